import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { bearer, getListing } from './support/listings';
import { http } from './support/market';
import {
  assignmentOffer,
  colleague,
  deliverNotifications,
  inboxKinds,
  negotiationOf,
  NegotiationMarket,
  offerBody,
  openNegotiatedListing,
  openNegotiation,
  runNegotiationJob,
  startNegotiationMarket,
  tradesAgreed,
  verified,
} from './support/negotiations';

const DAY = 24 * 3600 * 1000;

describe('negotiations', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;
  let buyer: Account;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
    buyer = await verified(market.api, market.admin);
  });

  afterAll(() => market?.close());

  const api = () => market.api;
  const counter = (id: string, as: Account, replyToOfferId: string, offer = offerBody()) =>
    http(api())
      .post(`/api/v1/negotiations/${id}/offers`)
      .set(bearer(as))
      .send({ ...offer, replyToOfferId });
  const accept = (id: string, offerId: string, as: Account, key?: string) => {
    const request = http(api()).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(as));
    return key ? request.set('idempotency-key', key) : request;
  };
  const reject = (id: string, offerId: string, as: Account, reason = '价格过低') =>
    http(api()).post(`/api/v1/negotiations/${id}/offers/${offerId}/reject`).set(bearer(as)).send({ reason });
  const withdraw = (id: string, as: Account, body: Record<string, unknown> = {}) =>
    http(api()).post(`/api/v1/negotiations/${id}/withdraw`).set(bearer(as)).send(body);

  describe('offers and alternation', () => {
    let listingId: string;

    beforeAll(async () => {
      listingId = await openNegotiatedListing(market, market.seller);
    });

    it('lets the parties alternate, and refuses a side that made the last offer', async () => {
      const { id, offerId } = await openNegotiation(api(), buyer, listingId);
      const opened = await negotiationOf(api(), id, buyer);
      expect(opened).toMatchObject({ status: 'open', awaitingAnswerFrom: 'seller', yourRole: 'buyer' });
      expect(opened.currentOffer).toMatchObject({ side: 'buyer', priceFen: 1_000_000_00, validityDays: 7 });

      const again = await counter(id, buyer, offerId, offerBody({ priceFen: 1_100_000_00 })).expect(409);
      expect(again.body.code).toBe('NEGOTIATION.NOT_YOUR_TURN');

      const countered = await counter(id, market.seller, offerId, offerBody({ priceFen: 1_500_000_00 })).expect(201);
      expect(countered.body.awaitingAnswerFrom).toBe('buyer');
      const sellerOfferId = countered.body.currentOffer.id;
      expect(countered.body.offers.map((o: { status: string }) => o.status)).toEqual(['superseded', 'open']);

      const twice = await counter(id, market.seller, sellerOfferId, offerBody({ priceFen: 1_400_000_00 })).expect(409);
      expect(twice.body.code).toBe('NEGOTIATION.NOT_YOUR_TURN');
      const own = await accept(id, sellerOfferId, market.seller).expect(409);
      expect(own.body.code).toBe('NEGOTIATION.OWN_OFFER');
      const stale = await accept(id, offerId, market.seller).expect(409);
      expect(stale.body.code).toBe('NEGOTIATION.OFFER_SUPERSEDED');

      const buyerAgain = await counter(id, buyer, sellerOfferId, offerBody({ priceFen: 1_200_000_00 })).expect(201);
      const accepted = await accept(id, buyerAgain.body.currentOffer.id, market.seller).expect(200);
      // A company's deal is final at acceptance.
      expect(accepted.body).toMatchObject({ status: 'final', currentOffer: null });
      expect(accepted.body.agreedTerms).toMatchObject({
        priceFen: 1_200_000_00,
        transferMode: 'non_exclusive_license',
        commission: null,
      });
      const [trade] = await tradesAgreed(market.env, id);
      expect(trade.payload).toMatchObject({
        source: 'negotiation',
        listingId,
        buyerOrganizationId: buyer.organizationId,
        sellerOrganizationId: market.seller.organizationId,
        priceFen: 1_200_000_00,
        terms: { priceFen: 1_200_000_00, transferMode: 'non_exclusive_license', depositAppliedFen: 0 },
      });
      // A non-exclusive license leaves the listing open for others.
      expect((await getListing(api(), listingId).expect(200)).body.status).toBe('open');
    });

    it('lets the seller decline to negotiate at all, with a reason', async () => {
      const other = await verified(api(), market.admin);
      const { id, offerId } = await openNegotiation(api(), other, listingId);
      const noReason = await http(api())
        .post(`/api/v1/negotiations/${id}/offers/${offerId}/reject`)
        .set(bearer(market.seller))
        .send({})
        .expect(400);
      expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
      const declined = await reject(id, offerId, market.seller, '本成果暂不以该方式转让').expect(200);
      expect(declined.body).toMatchObject({ status: 'rejected', endedReason: '本成果暂不以该方式转让' });
      const late = await counter(id, other, offerId).expect(409);
      expect(late.body.code).toBe('NEGOTIATION.REJECTED');
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api(), other)).toContain('negotiation.rejected');
    });

    it('keeps one open negotiation per buyer organization and listing', async () => {
      const other = await verified(api(), market.admin);
      const { id } = await openNegotiation(api(), other, listingId);
      const second = await http(api())
        .post('/api/v1/negotiations')
        .set(bearer(other))
        .send({ listingId, ...offerBody() })
        .expect(409);
      expect(second.body).toMatchObject({ code: 'NEGOTIATION.ALREADY_OPEN', negotiationId: id });
    });

    it('refuses a listing that is not negotiated, the seller’s own, and an unverified buyer', async () => {
      const stranger = await registerAccount(api(), { roles: [Role.Buyer] });
      const notVerified = await http(api())
        .post('/api/v1/negotiations')
        .set(bearer(stranger))
        .send({ listingId, ...offerBody() })
        .expect(422);
      expect(notVerified.body.code).toBe('NEGOTIATION.ORGANIZATION_NOT_VERIFIED');
      const sellerBuyer = await colleague(api(), market.admin, market.seller, [Role.Buyer]);
      const own = await http(api())
        .post('/api/v1/negotiations')
        .set(bearer(sellerBuyer))
        .send({ listingId, ...offerBody() })
        .expect(422);
      expect(own.body.code).toBe('NEGOTIATION.OWN_LISTING');
      const listed = await openNegotiatedListing(market, market.seller, { pricingMode: 'listed', askingPriceFen: 100 });
      const notNegotiated = await http(api())
        .post('/api/v1/negotiations')
        .set(bearer(buyer))
        .send({ listingId: listed, ...offerBody() })
        .expect(422);
      expect(notNegotiated.body.code).toBe('NEGOTIATION.NOT_NEGOTIATED');
    });
  });

  it('takes no more offers on a listing its seller withdrew, and lets the parties withdraw', async () => {
    const listingId = await openNegotiatedListing(market, market.seller);
    const keen = await verified(api(), market.admin);
    const { id, offerId } = await openNegotiation(api(), keen, listingId);
    await http(api()).post(`/api/v1/listings/${listingId}/withdraw`).set(bearer(market.seller)).expect(200);
    const accepted = await accept(id, offerId, market.seller).expect(409);
    expect(accepted.body).toMatchObject({ code: 'NEGOTIATION.LISTING_NOT_OPEN', listingStatus: 'withdrawn' });
    const countered = await counter(id, market.seller, offerId).expect(409);
    expect(countered.body.code).toBe('NEGOTIATION.LISTING_NOT_OPEN');
    const left = await withdraw(id, keen, { offerId, reason: '成果已撤牌' }).expect(200);
    expect(left.body).toMatchObject({ status: 'withdrawn', endedReason: '成果已撤牌' });
    expect(await tradesAgreed(market.env, id)).toHaveLength(0);
  });

  describe('terms that do not fit or do not add up', () => {
    let listingId: string;

    beforeAll(async () => {
      listingId = await openNegotiatedListing(market, market.seller, {
        transferModes: ['assignment', 'non_exclusive_license'],
      });
    });

    const open = (offer: Record<string, unknown>) =>
      http(api())
        .post('/api/v1/negotiations')
        .set(bearer(buyer))
        .send({ listingId, ...offer });
    const fields = (body: { errors: { field: string }[] }) => body.errors.map((e) => e.field);

    it('is a 400 naming the instalments when they do not sum to the price', async () => {
      const response = await open({
        ...assignmentOffer(1_000_000),
        paymentSchedule: {
          kind: 'instalments',
          instalments: [
            { amountFen: 400_000, dueOn: '2027-01-31' },
            { amountFen: 500_000, dueOn: '2027-06-30' },
          ],
        },
      });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fields(response.body)).toEqual(['paymentSchedule.instalments']);
      expect(response.body.errors[0].message).toContain('900000');
    });

    it('names a royalty’s down payment that is not the price, and a transfer mode the listing does not offer', async () => {
      const royalty = await open(
        offerBody({
          priceFen: 500_000,
          paymentSchedule: { kind: 'royalty', downPaymentFen: 300_000, royaltyBasisPoints: 300, royaltyTermMonths: 36 },
        }),
      ).expect(400);
      expect(fields(royalty.body)).toEqual(['paymentSchedule.downPaymentFen']);
      const mode = await open(
        offerBody({
          transferMode: 'exclusive_license',
          license: { fieldOfUse: 'all fields', territory: 'nationwide', termMonths: 60, exclusivity: 'exclusive' },
        }),
      ).expect(400);
      expect(fields(mode.body)).toEqual(['transferMode']);
    });

    it('names a license without scope, a schedule field of another kind, and a bad territory', async () => {
      const noScope = await open(offerBody({ license: undefined })).expect(400);
      expect(fields(noScope.body)).toEqual(['license']);
      const stray = await open({
        ...assignmentOffer(1_000_000),
        paymentSchedule: { kind: 'lump_sum', royaltyBasisPoints: 5 },
      });
      expect(stray.status).toBe(400);
      expect(fields(stray.body)).toEqual(['paymentSchedule.royaltyBasisPoints']);
      const territory = await open(
        offerBody({
          license: { fieldOfUse: 'x', territory: ['4301'], termMonths: 12, exclusivity: 'non_exclusive' },
        }),
      ).expect(400);
      expect(fields(territory.body)).toEqual(['license.territory']);
      const tooLong = await open(offerBody({ validityDays: 30 })).expect(400);
      expect(fields(tooLong.body)).toEqual(['validityDays']);
    });

    it('accepts instalments that add up to the price', async () => {
      const ok = await open({
        ...assignmentOffer(900_000),
        paymentSchedule: {
          kind: 'instalments',
          instalments: [
            { amountFen: 400_000, dueOn: '2027-01-31' },
            { amountFen: 500_000, dueOn: '2027-06-30' },
          ],
        },
      }).expect(201);
      expect(ok.body.currentOffer.paymentSchedule.instalments).toHaveLength(2);
    });
  });

  describe('expiry and the reminder', () => {
    let listingId: string;

    beforeAll(async () => {
      listingId = await openNegotiatedListing(market, market.seller);
    });

    it('reminds the side that must answer a day before, then expires the offer and the negotiation', async () => {
      const expiring = await verified(api(), market.admin);
      const { id, offerId } = await openNegotiation(api(), expiring, listingId, offerBody({ validityDays: 3 }));
      const { expiresAt } = (await negotiationOf(api(), id, expiring)).currentOffer;
      expect(new Date(expiresAt).getTime() - clock.now().getTime()).toBeGreaterThan(3 * DAY - 60_000);

      // The reminder's job, run early, schedules itself again and tells nobody.
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnswerReminderDue);
      clock.advance(2 * DAY + 60_000);
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnswerReminderDue);
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api(), market.seller)).toContain('negotiation.answer_due');
      expect(await inboxKinds(api(), expiring)).not.toContain('negotiation.answer_due');
      expect((await negotiationOf(api(), id, expiring)).status).toBe('open');

      clock.advance(DAY);
      // Past the validity, before the job ran: the offer can no longer be accepted.
      const late = await accept(id, offerId, market.seller).expect(409);
      expect(late.body.code).toBe('NEGOTIATION.OFFER_EXPIRED');
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationOfferExpiryDue);
      const expired = await negotiationOf(api(), id, expiring);
      expect(expired.status).toBe('expired');
      expect(expired.offers[0].status).toBe('expired');
      const after = await counter(id, market.seller, offerId).expect(409);
      expect(after.body.code).toBe('NEGOTIATION.OFFER_EXPIRED');
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api(), expiring)).toContain('negotiation.expired');
    });

    it('does nothing when the expiry job of a countered offer runs', async () => {
      const busy = await verified(api(), market.admin);
      const { id, offerId } = await openNegotiation(api(), busy, listingId);
      const [firstJob] = await market.env.query<{ id: string }>(
        `SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'offerId' = $2`,
        [JobName.NegotiationOfferExpiryDue, offerId],
      );
      await counter(id, market.seller, offerId).expect(201);
      clock.advanceDays(7);
      const { worker, env } = market;
      const [row] = await env.query<{ payload: unknown }>(`SELECT payload FROM outbox_event WHERE id = $1`, [
        firstJob.id,
      ]);
      await worker
        .get(JobDispatcher)
        .run(QueueName.Negotiations, { id: firstJob.id, name: JobName.NegotiationOfferExpiryDue, data: row.payload });
      expect((await negotiationOf(api(), id, busy)).status).toBe('open');
      clock.advanceDays(1);
      await runNegotiationJob(worker, env, id, JobName.NegotiationOfferExpiryDue);
      expect((await negotiationOf(api(), id, busy)).status).toBe('expired');
    });
  });

  describe('one trade.agreed per deal', () => {
    it('answers a retried accept with the same key from memory, and with a new key says it was accepted', async () => {
      const listingId = await openNegotiatedListing(market, market.seller);
      const keen = await verified(api(), market.admin);
      const { id, offerId } = await openNegotiation(api(), keen, listingId, assignmentOffer());
      const first = await accept(id, offerId, market.seller, 'accept-1').expect(200);
      const replay = await accept(id, offerId, market.seller, 'accept-1').expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      const fresh = await accept(id, offerId, market.seller, 'accept-2').expect(409);
      expect(fresh.body.code).toBe('NEGOTIATION.ALREADY_ACCEPTED');
      const bare = await accept(id, offerId, market.seller).expect(409);
      expect(bare.body.code).toBe('NEGOTIATION.ALREADY_ACCEPTED');
      expect(await tradesAgreed(market.env, id)).toHaveLength(1);
      // An assignment takes the listing under contract.
      expect((await getListing(api(), listingId).expect(200)).body.status).toBe('under_contract');
    });
  });
});
