import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { bid, createAuction, runAuctionJob, verifiedBuyer } from './support/auctions';
import { FakeClock } from './support/fake-clock';
import { bearer, verifyOrganization } from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { deliverStripeEvent, StripeFake, startStripeFake } from './support/stripe-fake';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const MINUTE = 60_000;

describe('bids on a card deposit', () => {
  let stripeFake: StripeFake;
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    env = await createTestEnvironment({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripeFake.url,
    });
    api = await startApi({ clock });
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller] });
    await verifyOrganization(api, admin, seller.organizationId);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
    await stripeFake?.close();
  });

  const deliver = (event: { id: string }) => deliverStripeEvent(api, event, WEBHOOK_SECRET).expect(200);

  it('refuses the bidder once Stripe reports the card hold canceled (lapsed) while the auction runs', async () => {
    const auctionId = await createAuction({ api, worker, env, clock, seller, admin });
    const buyer = await verifiedBuyer(api, admin);
    const opened = await http(api)
      .post(`/api/v1/auctions/${auctionId}/deposits`)
      .set(bearer(buyer))
      .send({ method: 'stripe' })
      .expect(201);
    const intentId = opened.body.stripe.paymentIntentId as string;
    await deliver(stripeFake.event('payment_intent.amount_capturable_updated', stripeFake.authorise(intentId)));
    clock.advance(2 * MINUTE);
    await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
    await bid(api, buyer, auctionId, 1_000_000).expect(201); // the api has seen the deposit held

    // The authorisation goes away on Stripe's side (it lapsed, or the card issuer canceled it).
    const url = new URL(stripeFake.url);
    await new Stripe(SECRET_KEY, { host: url.hostname, port: url.port, protocol: 'http' }).paymentIntents.cancel(
      intentId,
    );
    await deliver(stripeFake.event('payment_intent.canceled', stripeFake.intent(intentId)));

    const refused = await bid(api, buyer, auctionId, 1_010_000);
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'AUCTION.NO_DEPOSIT', minimumFen: 1_010_000 });
    const [auction] = await env.query<{ current_price_fen: string; bid_count: number }>(
      `SELECT current_price_fen, bid_count FROM auction WHERE id = $1`,
      [auctionId],
    );
    expect(auction).toEqual({ current_price_fen: '1000000', bid_count: 1 });
  });
});
