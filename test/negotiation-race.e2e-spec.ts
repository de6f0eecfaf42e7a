import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type request from 'supertest';
import { Account } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { bearer, getListing } from './support/listings';
import { http } from './support/market';
import {
  NegotiationMarket,
  offerBody,
  openNegotiatedListing,
  openNegotiation,
  startNegotiationMarket,
  tradesAgreed,
  verified,
} from './support/negotiations';

const RUNS = 50;

/**
 * Accept, counter-offer, withdrawal and the expiry job, fired at once on the same standing offer.
 * The worker's clock is a week ahead of the api's: the expiry job finds the offer due, while for
 * the requests it still stands (a request arriving just before the deadline, the job just after).
 */
describe('the race of accept, counter-offer, withdrawal and the expiry job', () => {
  const clock = new FakeClock();
  const workerClock = new FakeClock();
  let market: NegotiationMarket;
  let buyer: Account;
  let listingId: string;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock, { workerClock });
    buyer = await verified(market.api, market.admin);
    // The listing's announcement ends on the worker's clock too.
    workerClock.advanceDays(16);
    listingId = await openNegotiatedListing(market, market.seller);
    workerClock.advance(clock.now().getTime() - workerClock.now().getTime() + 7 * 24 * 3600 * 1000 + 60_000);
  });

  afterAll(() => market?.close());

  it(`has exactly one winner in each of ${RUNS} runs, and leaves no partial state`, async () => {
    const { api, env, worker, seller } = market;
    const winners: Record<string, number> = { accept: 0, counter: 0, withdraw: 0, expiry: 0 };
    const losses = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const { id, offerId } = await openNegotiation(api, buyer, listingId);
      const [job] = await env.query<{ id: string; payload: unknown }>(
        `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'offerId' = $2`,
        [JobName.NegotiationOfferExpiryDue, offerId],
      );
      const fire = [
        () => http(api).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(seller)),
        () =>
          http(api)
            .post(`/api/v1/negotiations/${id}/offers`)
            .set(bearer(seller))
            .send({ ...offerBody({ priceFen: 1_300_000_00 }), replyToOfferId: offerId }),
        () => http(api).post(`/api/v1/negotiations/${id}/withdraw`).set(bearer(buyer)).send({ offerId }),
        () =>
          worker
            .get(JobDispatcher)
            .run(QueueName.Negotiations, { id: job.id, name: JobName.NegotiationOfferExpiryDue, data: job.payload }),
      ];
      // All four at once; which one is sent first turns with each run.
      const order = [0, 1, 2, 3].map((n) => (n + run) % 4);
      const pending: Promise<unknown>[] = [];
      for (const n of order) pending[n] = Promise.resolve(fire[n]());
      const [acceptRes, counterRes, withdrawRes] = (await Promise.all(pending)) as request.Response[];
      const after = (await http(api).get(`/api/v1/negotiations/${id}`).set(bearer(buyer)).expect(200)).body;
      const requests = { accept: acceptRes, counter: counterRes, withdraw: withdrawRes };
      const succeeded = Object.entries(requests).filter(([, res]) => res.status < 300);
      for (const [, res] of Object.entries(requests)) {
        if (res.status >= 300) {
          expect(res.status).toBe(409);
          expect(res.headers['content-type']).toContain('application/problem+json');
          losses.add(res.body.code);
        }
      }
      const expiryWon = after.status === 'expired';
      expect(succeeded.length + (expiryWon ? 1 : 0)).toBe(1);
      const winner = expiryWon ? 'expiry' : succeeded[0][0];
      winners[winner] += 1;

      // The state is exactly the winner's, whole.
      const statuses = after.offers.map((o: { status: string }) => o.status);
      const trades = await tradesAgreed(env, id);
      switch (winner) {
        case 'accept':
          expect(after.status).toBe('final');
          expect(statuses).toEqual(['accepted']);
          expect(trades).toHaveLength(1);
          break;
        case 'counter':
          expect(after.status).toBe('open');
          expect(statuses).toEqual(['superseded', 'open']);
          expect(after.awaitingAnswerFrom).toBe('buyer');
          expect(trades).toHaveLength(0);
          break;
        case 'withdraw':
          expect(after.status).toBe('withdrawn');
          expect(statuses).toEqual(['withdrawn']);
          expect(trades).toHaveLength(0);
          break;
        case 'expiry':
          expect(after.status).toBe('expired');
          expect(statuses).toEqual(['expired']);
          expect(trades).toHaveLength(0);
          break;
      }
      if (after.status === 'open') {
        // Leave the listing free for the next run's negotiation of the same buyer.
        await http(api).post(`/api/v1/negotiations/${id}/withdraw`).set(bearer(buyer)).send({}).expect(200);
      }
    }
    // Every loser was told what happened first.
    for (const code of losses) {
      expect([
        'NEGOTIATION.ALREADY_ACCEPTED',
        'NEGOTIATION.OFFER_SUPERSEDED',
        'NEGOTIATION.WITHDRAWN',
        'NEGOTIATION.OFFER_EXPIRED',
      ]).toContain(code);
    }
    // Each of the four can win.
    console.error(`winners over ${RUNS} runs: ${JSON.stringify(winners)}`);
    expect(Object.values(winners).reduce((a, b) => a + b, 0)).toBe(RUNS);
    // The listing's public count of open negotiations is back to none.
    expect((await getListing(api, listingId).expect(200)).body.openNegotiations).toBe(0);
  });
});
