import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { bearer, getListing } from './support/listings';
import { Api, http } from './support/market';
import {
  assignmentOffer,
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

const license = (exclusivity: 'exclusive' | 'sole' | 'non_exclusive', territory: string[] | 'nationwide') =>
  offerBody({
    transferMode: `${exclusivity}_license`,
    license: { fieldOfUse: 'all fields', territory, termMonths: 60, exclusivity },
  });

/** What an agreed deal does to the rest of the listing, and the price announcement of public institutions. */
describe('negotiated deals', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;
  let api: Api;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
    api = market.api;
  });

  afterAll(() => market?.close());

  const accept = (id: string, offerId: string, as: Account) =>
    http(api).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(as));

  describe('exclusivity', () => {
    it('closes the negotiations an agreed sole license overlaps, and leaves the others open', async () => {
      const listingId = await openNegotiatedListing(market, market.seller);
      const [winner, overlapping, elsewhere, nonExclusive] = await Promise.all(
        [0, 1, 2, 3].map(() => verified(api, market.admin)),
      );
      const agreed = await openNegotiation(api, winner, listingId, license('sole', ['430000']));
      const clash = await openNegotiation(api, overlapping, listingId, license('exclusive', ['430100']));
      const apart = await openNegotiation(api, elsewhere, listingId, license('sole', ['110000']));
      const shared = await openNegotiation(api, nonExclusive, listingId, license('non_exclusive', ['430104']));
      expect((await getListing(api, listingId).expect(200)).body.openNegotiations).toBe(4);

      await accept(agreed.id, agreed.offerId, market.seller).expect(200);
      const closed = await negotiationOf(api, clash.id, overlapping);
      expect(closed).toMatchObject({ status: 'closed', currentOffer: null });
      expect(closed.endedReason).toContain('sole license');
      expect(closed.offers[0].status).toBe('closed');
      expect((await negotiationOf(api, shared.id, nonExclusive)).status).toBe('closed');
      expect((await negotiationOf(api, apart.id, elsewhere)).status).toBe('open');
      const listing = (await getListing(api, listingId).expect(200)).body;
      // A sole license of one province leaves the listing open for the rest of the country.
      expect(listing).toMatchObject({ status: 'open', openNegotiations: 1 });

      // The parties of the closed negotiation are told; the price agreed elsewhere is not theirs to see.
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api, overlapping)).toContain('negotiation.closed_by_exclusivity');
      expect(await inboxKinds(api, elsewhere)).not.toContain('negotiation.closed_by_exclusivity');
      const late = await accept(clash.id, clash.offerId, market.seller).expect(409);
      expect(late.body.code).toBe('NEGOTIATION.CLOSED');
    });

    it('closes every other negotiation when the listing is assigned outright, and puts it under contract', async () => {
      const listingId = await openNegotiatedListing(market, market.seller);
      const [winner, other] = await Promise.all([verified(api, market.admin), verified(api, market.admin)]);
      const agreed = await openNegotiation(api, winner, listingId, assignmentOffer());
      const excluded = await openNegotiation(api, other, listingId, license('non_exclusive', ['430100']));
      const done = await accept(agreed.id, agreed.offerId, market.seller).expect(200);
      expect(done.body.status).toBe('final');
      expect((await negotiationOf(api, excluded.id, other)).status).toBe('closed');
      expect((await getListing(api, listingId).expect(200)).body).toMatchObject({
        status: 'under_contract',
        openNegotiations: 0,
      });
      // Nobody negotiates on a listing under contract.
      const third = await verified(api, market.admin);
      const refused = await http(api)
        .post('/api/v1/negotiations')
        .set(bearer(third))
        .send({ listingId, ...offerBody() })
        .expect(409);
      expect(refused.body.code).toBe('NEGOTIATION.LISTING_NOT_OPEN');
    });
  });

  describe('price announcement (交易价格公示) of a university’s deal', () => {
    const announcements = async (state?: string) =>
      (
        await http(api)
          .get(`/api/v1/price-announcements${state ? `?state=${state}` : ''}`)
          .expect(200)
      ).body;

    it('announces the price, pauses on an objection, resumes when it is dismissed, and is final when it ends', async () => {
      const listingId = await openNegotiatedListing(market, market.university);
      const buyer = await verified(api, market.admin);
      const objector = await verified(api, market.admin);
      const { id, offerId } = await openNegotiation(api, buyer, listingId, assignmentOffer(3_000_000_00));
      const agreed = await accept(id, offerId, market.university).expect(200);
      expect(agreed.body.status).toBe('announced');
      expect(await tradesAgreed(market.env, id)).toHaveLength(0);
      // Still open for now: the deal is not final.
      expect((await getListing(api, listingId).expect(200)).body.status).toBe('open');

      const running = await announcements('running');
      const shown = running.items.find((a: { id: string }) => a.id === id);
      expect(shown).toMatchObject({
        listingId,
        transferMode: 'assignment',
        priceFen: 3_000_000_00,
        sellerName: '湘江大学',
        paused: false,
        state: 'running',
      });
      expect(shown.buyerName).toBeTruthy();

      // A party may not object; another verified organization may.
      const own = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(buyer))
        .send({ reason: 'x' })
        .expect(422);
      expect(own.body.code).toBe('NEGOTIATION.OWN_DEAL');
      clock.advanceDays(5);
      const objection = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(objector))
        .send({ reason: '成交价明显低于评估值' })
        .expect(201);
      expect((await announcements('running')).items.find((a: { id: string }) => a.id === id)).toMatchObject({
        paused: true,
        endsAt: null,
        openObjections: 1,
      });
      // The original end passes while paused: nothing happens.
      clock.advanceDays(11);
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnnouncementEnded);
      expect((await negotiationOf(api, id, buyer)).status).toBe('announced');

      const notAdmin = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections/${objection.body.id}/ruling`)
        .set(bearer(market.university))
        .send({ decision: 'dismissed', reason: 'x' })
        .expect(403);
      expect(notAdmin.body.code).toBeDefined();
      const dismissed = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections/${objection.body.id}/ruling`)
        .set(bearer(market.admin))
        .send({ decision: 'dismissed', reason: '价格经评估备案，合理' })
        .expect(200);
      expect(dismissed.body.status).toBe('dismissed');
      const resumed = await negotiationOf(api, id, buyer);
      // Ten days were left when the objection came.
      expect(new Date(resumed.announcementEndsAt).getTime() - clock.now().getTime()).toBeGreaterThan(
        10 * 24 * 3600 * 1000 - 120_000,
      );
      clock.advanceDays(10);
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnnouncementEnded);
      expect((await negotiationOf(api, id, buyer)).status).toBe('final');
      const [trade] = await tradesAgreed(market.env, id);
      expect(trade.payload).toMatchObject({ source: 'negotiation', priceFen: 3_000_000_00 });
      expect((await getListing(api, listingId).expect(200)).body.status).toBe('under_contract');
      expect((await announcements('final')).items.map((a: { id: string }) => a.id)).toContain(id);
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api, buyer)).toEqual(
        expect.arrayContaining(['negotiation.announcement_started', 'negotiation.announcement_ended', 'trade.agreed']),
      );
    });

    it('annuls the deal when an objection is upheld: no trade, and the listing stays open', async () => {
      const listingId = await openNegotiatedListing(market, market.university);
      const buyer = await verified(api, market.admin);
      const objector = await verified(api, market.admin);
      const { id, offerId } = await openNegotiation(api, buyer, listingId, assignmentOffer(50_000_00));
      await accept(id, offerId, market.university).expect(200);
      const objection = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(objector))
        .send({ reason: '关联交易，价格畸低' })
        .expect(201);
      // The objector sees its own objection; the parties see every one; others none.
      const stranger = await verified(api, market.admin);
      const seen = async (as: Account) =>
        (await http(api).get(`/api/v1/price-announcements/${id}/objections`).set(bearer(as)).expect(200)).body.length;
      expect([await seen(objector), await seen(market.university), await seen(stranger)]).toEqual([1, 1, 0]);
      // Only a verified organization objects, only a signed-in caller, and only an admin rules.
      const unverified = await registerAccount(api, { roles: [Role.Buyer] });
      const notVerified = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(unverified))
        .send({ reason: 'x' })
        .expect(422);
      expect(notVerified.body.code).toBe('NEGOTIATION.ORGANIZATION_NOT_VERIFIED');
      await http(api).post(`/api/v1/price-announcements/${id}/objections`).send({ reason: 'x' }).expect(401);
      for (const notAdmin of [stranger, buyer, market.broker]) {
        await http(api)
          .post(`/api/v1/price-announcements/${id}/objections/${objection.body.id}/ruling`)
          .set(bearer(notAdmin))
          .send({ decision: 'upheld', reason: 'x' })
          .expect(403);
      }
      await http(api)
        .post(`/api/v1/price-announcements/${id}/objections/${objection.body.id}/ruling`)
        .set(bearer(market.admin))
        .send({ decision: 'upheld', reason: '存在关联关系' })
        .expect(200);
      const annulled = await negotiationOf(api, id, buyer);
      expect(annulled).toMatchObject({ status: 'annulled' });
      expect(annulled.endedReason).toContain('存在关联关系');
      clock.advanceDays(20);
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnnouncementEnded);
      expect((await negotiationOf(api, id, buyer)).status).toBe('annulled');
      expect(await tradesAgreed(market.env, id)).toHaveLength(0);
      expect((await getListing(api, listingId).expect(200)).body.status).toBe('open');
      const over = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(stranger))
        .send({ reason: 'late' })
        .expect(409);
      expect(over.body.code).toBe('NEGOTIATION.ANNOUNCEMENT_OVER');
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api, buyer)).toContain('negotiation.annulled');
      expect(await inboxKinds(api, market.university)).toContain('negotiation.annulled');
      // The buyer may negotiate again.
      await openNegotiation(api, buyer, listingId, assignmentOffer(80_000_00));
    });

    it('keeps a negotiation that was never announced out of the announcements (404)', async () => {
      const listingId = await openNegotiatedListing(market, market.seller);
      const buyer = await verified(api, market.admin);
      const { id } = await openNegotiation(api, buyer, listingId);
      const objector = await verified(api, market.admin);
      const hidden = await http(api)
        .post(`/api/v1/price-announcements/${id}/objections`)
        .set(bearer(objector))
        .send({ reason: 'x' })
        .expect(404);
      expect(hidden.body.code).toBe('PRICE_ANNOUNCEMENT.NOT_FOUND');
      await http(api).get(`/api/v1/price-announcements/${id}/objections`).set(bearer(objector)).expect(404);
      expect((await announcements()).items.map((a: { id: string }) => a.id)).not.toContain(id);
    });
  });
});
