import type { INestApplicationContext } from '@nestjs/common';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { bid, createAuction, depositStatuses, runAuctionJob, runDepositJobs, verifiedBuyer } from './support/auctions';
import { FakeClock } from './support/fake-clock';
import { bearer, verifyOrganization } from './support/listings';
import { Api, eventually, http, spawnWorker, startApi, startWorker } from './support/market';
import { deliverStripeEvent, StripeFake, startStripeFake } from './support/stripe-fake';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const MINUTE = 60_000;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;

/**
 * Settlement with card deposits, through the real Stripe SDK against a Stripe-compatible fake.
 * Settlement records its decisions first; jobs then capture and release at Stripe. The worker is
 * killed while the loser's release is at Stripe; a new worker runs the job again. Each deposit is
 * captured or released exactly once at Stripe, and the auction ends settled.
 */
describe('settlement killed half-way and run again', () => {
  let stripe: StripeFake;
  let env: TestEnvironment;
  let api: Api;
  let jobs: INestApplicationContext;
  const clock = new FakeClock();
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    stripe = await startStripeFake();
    env = await createTestEnvironment({
      STRIPE_SECRET_KEY: `sk_test_${randomBytes(12).toString('hex')}`,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: stripe.url,
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
    });
    api = await startApi({ clock });
    // Runs the jobs the test hands it, with the test's clock; relays and consumes nothing.
    jobs = await startWorker({ clock, consume: false });
  });

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await jobs?.close();
    await api?.close();
    await env?.close();
    await stripe?.close();
  });

  const deliver = (event: { id: string }) => deliverStripeEvent(api, event, WEBHOOK_SECRET).expect(200);

  async function cardDeposit(buyer: Account, auctionId: string): Promise<{ depositId: string; intentId: string }> {
    const opened = await http(api)
      .post(`/api/v1/auctions/${auctionId}/deposits`)
      .set(bearer(buyer))
      .send({ method: 'stripe' })
      .expect(201);
    const intentId = opened.body.stripe.paymentIntentId as string;
    await deliver(stripe.event('payment_intent.amount_capturable_updated', stripe.authorise(intentId)));
    return { depositId: opened.body.deposit.id, intentId };
  }

  it('captures the winner and releases the loser once each', async () => {
    const admin = await createAdmin(api, env);
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    await verifyOrganization(api, admin, seller.organizationId);
    const auctionId = await createAuction({ api, worker: jobs, env, clock, seller, admin });

    const winner = await verifiedBuyer(api, admin);
    const loser = await verifiedBuyer(api, admin);
    const winnerDeposit = await cardDeposit(winner, auctionId);
    const loserDeposit = await cardDeposit(loser, auctionId);

    clock.advance(2 * MINUTE);
    await runAuctionJob(jobs, env, auctionId, JobName.AuctionOpenDue);
    await bid(api, loser, auctionId, 1_000_000).expect(201);
    await bid(api, winner, auctionId, 1_500_000).expect(201);
    clock.advance(60 * MINUTE);
    await runAuctionJob(jobs, env, auctionId, JobName.AuctionCloseDue);

    // The settlement job is in the outbox; a real worker process relays and runs it.
    const stalled = stripe.stall(`/v1/payment_intents/${loserDeposit.intentId}/cancel`);
    const first = spawnWorker(env.env);
    workers.push(first);
    await stalled.reached;
    // Money moves after the books: by the time Stripe is asked, settlement has committed.
    const [booked] = await env.query<{ status: string }>(`SELECT status FROM auction WHERE id = $1`, [auctionId]);
    expect(booked.status).toBe('settled');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    stalled.release(); // Stripe acts on the release; its answer goes to a dead worker

    workers.push(spawnWorker(env.env));
    await eventually(
      async () => {
        const statuses = Object.values(await depositStatuses(env, auctionId)).sort();
        return statuses.join() === 'captured,released' ? statuses : undefined;
      },
      30_000,
      'the deposits to be captured and released',
    );

    expect(stripe.effects(winnerDeposit.intentId, 'capture')).toBe(1);
    expect(stripe.effects(winnerDeposit.intentId, 'cancel')).toBe(0);
    expect(stripe.effects(loserDeposit.intentId, 'cancel')).toBe(1);
    expect(stripe.effects(loserDeposit.intentId, 'capture')).toBe(0);
    const deposits = await env.query<{ id: string; status: string }>(
      `SELECT id, status FROM deposit WHERE reference_id = $1`,
      [auctionId],
    );
    const statusOf = (id: string) => deposits.find((d) => d.id === id)!.status;
    expect([statusOf(winnerDeposit.depositId), statusOf(loserDeposit.depositId)]).toEqual(['captured', 'released']);
    const trades = await env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'tradeId' = $2`, [
      JobName.TradeAgreed,
      auctionId,
    ]);
    expect(trades).toHaveLength(1);
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL'); // the tests below run jobs by hand
  });

  /** An auction with card deposits held by `winner` and `loser`, bid on by both, and closed. */
  async function closedCardAuction() {
    const admin = await createAdmin(api, env);
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    await verifyOrganization(api, admin, seller.organizationId);
    const auctionId = await createAuction({ api, worker: jobs, env, clock, seller, admin });
    const winner = await verifiedBuyer(api, admin);
    const loser = await verifiedBuyer(api, admin);
    const winnerDeposit = await cardDeposit(winner, auctionId);
    const loserDeposit = await cardDeposit(loser, auctionId);
    clock.advance(2 * MINUTE);
    await runAuctionJob(jobs, env, auctionId, JobName.AuctionOpenDue);
    await bid(api, loser, auctionId, 1_000_000).expect(201);
    await bid(api, winner, auctionId, 1_500_000).expect(201);
    clock.advance(60 * MINUTE);
    await runAuctionJob(jobs, env, auctionId, JobName.AuctionCloseDue);
    const [listing] = await env.query<{ listing_id: string }>(`SELECT listing_id FROM auction WHERE id = $1`, [
      auctionId,
    ]);
    return { auctionId, listingId: listing.listing_id, winner, loser, winnerDeposit, loserDeposit };
  }

  const intentCalls = (...intentIds: string[]) =>
    stripe.requests.filter(
      (r) => r.method === 'POST' && intentIds.some((id) => r.path.startsWith(`/v1/payment_intents/${id}/`)),
    );

  it('records every settlement decision before any money moves, then moves it from jobs', async () => {
    const { auctionId, listingId, winner, loser, winnerDeposit, loserDeposit } = await closedCardAuction();
    await runAuctionJob(jobs, env, auctionId, JobName.AuctionSettle);

    // The books: settled, the listing under contract, the deal handed on, the deposits instructed.
    expect(intentCalls(winnerDeposit.intentId, loserDeposit.intentId)).toEqual([]);
    const [auction] = await env.query<{ status: string }>(`SELECT status FROM auction WHERE id = $1`, [auctionId]);
    expect(auction.status).toBe('settled');
    const [listing] = await env.query<{ status: string }>(`SELECT status FROM listing WHERE id = $1`, [listingId]);
    expect(listing.status).toBe('under_contract');
    expect(
      await env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'tradeId' = $2`, [
        JobName.TradeAgreed,
        auctionId,
      ]),
    ).toHaveLength(1);
    expect(await depositStatuses(env, auctionId)).toEqual({
      [winner.organizationId]: 'capturing',
      [loser.organizationId]: 'releasing',
    });

    // Then the money, each call keyed by deposit and operation.
    expect(await runDepositJobs(jobs, env, auctionId)).toBe(2);
    expect(await depositStatuses(env, auctionId)).toEqual({
      [winner.organizationId]: 'captured',
      [loser.organizationId]: 'released',
    });
    expect(
      intentCalls(winnerDeposit.intentId, loserDeposit.intentId)
        .map((r) => r.idempotencyKey)
        .sort(),
    ).toEqual([`deposit-${winnerDeposit.depositId}-capture`, `deposit-${loserDeposit.depositId}-release`].sort());
    expect(await runDepositJobs(jobs, env, auctionId)).toBe(2); // run again: already done, no new call
    expect(intentCalls(winnerDeposit.intentId, loserDeposit.intentId)).toHaveLength(2);
  });

  it('moves no money when settlement cannot be recorded, and leaves the books as they were', async () => {
    const { auctionId, winner, loser, winnerDeposit, loserDeposit } = await closedCardAuction();
    // The last write of the settlement fails (here: the deal cannot be handed on).
    await env.query(
      `ALTER TABLE outbox_event ADD CONSTRAINT no_trade_ck CHECK (job_name <> '${JobName.TradeAgreed}') NOT VALID`,
    );
    try {
      await expect(runAuctionJob(jobs, env, auctionId, JobName.AuctionSettle)).rejects.toThrow(/no_trade_ck/);
    } finally {
      await env.query(`ALTER TABLE outbox_event DROP CONSTRAINT no_trade_ck`);
    }
    expect(intentCalls(winnerDeposit.intentId, loserDeposit.intentId)).toEqual([]);
    const [auction] = await env.query<{ status: string }>(`SELECT status FROM auction WHERE id = $1`, [auctionId]);
    expect(auction.status).toBe('closed');
    expect(await depositStatuses(env, auctionId)).toEqual({
      [winner.organizationId]: 'held',
      [loser.organizationId]: 'held',
    });
    expect(await runDepositJobs(jobs, env, auctionId)).toBe(0);
  });

  it('passes over a winner whose card hold was canceled after the close, and never captures it', async () => {
    const { auctionId, winner, loser, winnerDeposit, loserDeposit } = await closedCardAuction();
    const url = new URL(stripe.url);
    const sdk = new Stripe(env.env.STRIPE_SECRET_KEY, { host: url.hostname, port: url.port, protocol: 'http' });
    const canceled = await sdk.paymentIntents.cancel(winnerDeposit.intentId);
    await deliver(stripe.event('payment_intent.canceled', stripe.intent(canceled.id)));

    await runAuctionJob(jobs, env, auctionId, JobName.AuctionSettle);
    await runDepositJobs(jobs, env, auctionId);
    const [auction] = await env.query<{ status: string; winner: string; price: string }>(
      `SELECT status, winner_organization_id AS winner, final_price_fen AS price FROM auction WHERE id = $1`,
      [auctionId],
    );
    expect(auction).toEqual({ status: 'settled', winner: loser.organizationId, price: '1000000' });
    expect(await depositStatuses(env, auctionId)).toEqual({
      [winner.organizationId]: 'released',
      [loser.organizationId]: 'captured',
    });
    expect(stripe.effects(winnerDeposit.intentId, 'capture')).toBe(0);
    expect(stripe.effects(loserDeposit.intentId, 'capture')).toBe(1);
  });
});
