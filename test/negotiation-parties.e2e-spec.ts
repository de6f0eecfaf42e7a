import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { bearer, getListing } from './support/listings';
import { Api, http } from './support/market';
import {
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

/**
 * Who sees a negotiation and who may do what in it: its parties' members, their invited broker
 * and admins; a competing buyer on the same listing and an unrelated organization get a 404 on
 * every route, exactly as for an id that does not exist.
 */
describe('negotiation parties, brokers and confidentiality', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;
  let api: Api;
  let listingId: string;
  let buyer: Account;
  let buyerClerk: Account; // a member of the buyer's organization without the buyer role
  let competitor: Account; // negotiates on the same listing
  let stranger: Account; // an unrelated organization
  let otherBroker: Account; // a broker nobody invited
  let negotiationId: string;
  let firstOfferId: string;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
    api = market.api;
    buyer = await verified(api, market.admin);
    buyerClerk = await colleague(api, market.admin, buyer, [Role.Seller]);
    competitor = await verified(api, market.admin);
    stranger = await verified(api, market.admin, { roles: [Role.Buyer, Role.Seller] });
    otherBroker = await verified(api, market.admin, { roles: [Role.Broker], kind: 'agency' });
    listingId = await openNegotiatedListing(market, market.seller);
    ({ id: negotiationId, offerId: firstOfferId } = await openNegotiation(api, buyer, listingId));
    await openNegotiation(api, competitor, listingId, offerBody({ priceFen: 900_000_00 }));
  });

  afterAll(() => market?.close());

  const routes = (id: string, offerId: string) => [
    { method: 'get', path: `/api/v1/negotiations/${id}` },
    { method: 'get', path: `/api/v1/negotiations/${id}/messages` },
    { method: 'post', path: `/api/v1/negotiations/${id}/messages`, body: { body: '你好' } },
    { method: 'post', path: `/api/v1/negotiations/${id}/offers`, body: { ...offerBody(), replyToOfferId: offerId } },
    { method: 'post', path: `/api/v1/negotiations/${id}/offers/${offerId}/accept` },
    { method: 'post', path: `/api/v1/negotiations/${id}/offers/${offerId}/reject`, body: { reason: 'x' } },
    { method: 'post', path: `/api/v1/negotiations/${id}/offers/${offerId}/confirm` },
    { method: 'post', path: `/api/v1/negotiations/${id}/withdraw`, body: {} },
    {
      method: 'post',
      path: `/api/v1/negotiations/${id}/broker`,
      body: { brokerUserId: market.broker.userId, commission: { rateBasisPoints: 300, paidBy: 'seller' } },
    },
  ];

  const call = (route: { method: string; path: string; body?: object }, as: Account) => {
    const request = route.method === 'get' ? http(api).get(route.path) : http(api).post(route.path);
    return route.body ? request.set(bearer(as)).send(route.body) : request.set(bearer(as));
  };

  it('answers a competing buyer and an unrelated organization as for an unknown id, on every route', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const outsider of [competitor, stranger, otherBroker]) {
      for (const [n, route] of routes(negotiationId, firstOfferId).entries()) {
        const refused = await call(route, outsider);
        const missing = await call(routes(unknown, firstOfferId)[n], outsider);
        expect({ route: route.path, status: refused.status }).toEqual({ route: route.path, status: 404 });
        expect(refused.body.code).toBe(missing.body.code);
        expect(refused.body.code).toBe('NEGOTIATION.NOT_FOUND');
      }
    }
    expect((await negotiationOf(api, negotiationId, buyer)).status).toBe('open');
  });

  it('leaves a negotiation out of every list but its parties’, its broker’s and admins’', async () => {
    const ids = async (as: Account, query = '') =>
      (await http(api).get(`/api/v1/negotiations${query}`).set(bearer(as)).expect(200)).body.items.map(
        (n: { id: string }) => n.id,
      );
    expect(await ids(buyer)).toContain(negotiationId);
    expect(await ids(buyerClerk)).toContain(negotiationId);
    expect(await ids(market.seller)).toContain(negotiationId);
    expect(await ids(market.admin, `?listingId=${listingId}`)).toContain(negotiationId);
    expect(await ids(competitor)).not.toContain(negotiationId);
    expect(await ids(competitor)).toHaveLength(1);
    expect(await ids(stranger)).toEqual([]);
    expect(await ids(market.seller, `?listingId=${listingId}&state=open`)).toHaveLength(2);
    expect(await ids(market.seller, `?state=final`)).toEqual([]);
  });

  it('shows the public only how many negotiations are open on the listing', async () => {
    const listing = (await getListing(api, listingId).expect(200)).body;
    expect(listing.openNegotiations).toBe(2);
    const text = JSON.stringify(listing);
    expect(text).not.toContain(buyer.organizationId);
    expect(text).not.toContain('100000000');
    const search = await http(api).get('/api/v1/listings?pricingMode=negotiated').expect(200);
    const found = search.body.items.find((l: { id: string }) => l.id === listingId);
    expect(found.openNegotiations).toBe(2);
    expect(JSON.stringify(search.body)).not.toContain(competitor.organizationId);
  });

  it('lets every member of a party read and write the thread, and admins read it', async () => {
    await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/messages`)
      .set(bearer(buyerClerk))
      .send({ body: '我方可提供中试场地' })
      .expect(201);
    await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/messages`)
      .set(bearer(market.seller))
      .send({ body: '请提供产能计划' })
      .expect(201);
    const adminWrites = await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/messages`)
      .set(bearer(market.admin))
      .send({ body: '管理员' })
      .expect(403);
    expect(adminWrites.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
    const thread = await http(api)
      .get(`/api/v1/negotiations/${negotiationId}/messages`)
      .set(bearer(market.admin))
      .expect(200);
    expect(thread.body.map((m: { authorRole: string }) => m.authorRole)).toEqual(['buyer', 'seller']);
  });

  it('refuses a member without the side’s role, and admins, any move in the negotiation', async () => {
    const clerk = await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/withdraw`)
      .set(bearer(buyerClerk))
      .send({})
      .expect(403);
    expect(clerk.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
    const adminAccepts = await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/offers/${firstOfferId}/accept`)
      .set(bearer(market.admin))
      .expect(403);
    expect(adminAccepts.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
    const adminCounters = await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/offers`)
      .set(bearer(market.admin))
      .send({ ...offerBody(), replyToOfferId: firstOfferId })
      .expect(403);
    expect(adminCounters.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
    const sellerWithoutRole = await colleague(api, market.admin, market.seller, [Role.Buyer]);
    const wrongRole = await http(api)
      .post(`/api/v1/negotiations/${negotiationId}/offers/${firstOfferId}/accept`)
      .set(bearer(sellerWithoutRole))
      .expect(403);
    expect(wrongRole.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
    // Opening is for buyers: a seller-only account is refused by role.
    const sellerOpens = await http(api)
      .post('/api/v1/negotiations')
      .set(bearer(market.seller))
      .send({ listingId, ...offerBody() })
      .expect(403);
    expect(sellerOpens.body.code).toBeDefined();
    expect((await negotiationOf(api, negotiationId, buyer)).status).toBe('open');
  });

  describe('an invited broker', () => {
    let brokerAssistant: Account; // the broker's colleague: not invited

    beforeAll(async () => {
      brokerAssistant = await colleague(api, market.admin, market.broker, [Role.Broker]);
    });

    it('refuses to invite anyone but a broker of a transfer agency, and needs one kind of commission', async () => {
      const notBroker = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/broker`)
        .set(bearer(buyer))
        .send({ brokerUserId: stranger.userId, commission: { rateBasisPoints: 300, paidBy: 'buyer' } })
        .expect(422);
      expect(notBroker.body.code).toBe('NEGOTIATION.NOT_A_BROKER');
      const both = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/broker`)
        .set(bearer(buyer))
        .send({
          brokerUserId: market.broker.userId,
          commission: { rateBasisPoints: 300, fixedFen: 100, paidBy: 'buyer' },
        })
        .expect(400);
      expect(both.body.errors[0].field).toBe('commission');
    });

    it('sees the thread once invited, writes in it, and only its own proposals wait for its client', async () => {
      const before = await http(api)
        .get(`/api/v1/negotiations/${negotiationId}`)
        .set(bearer(market.broker))
        .expect(404);
      expect(before.body.code).toBe('NEGOTIATION.NOT_FOUND');
      const invited = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/broker`)
        .set(bearer(market.seller))
        .send({ brokerUserId: market.broker.userId, commission: { rateBasisPoints: 300, paidBy: 'seller' } })
        .expect(200);
      expect(invited.body.broker).toMatchObject({ userId: market.broker.userId, clientSide: 'seller' });
      const again = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/broker`)
        .set(bearer(buyer))
        .send({ brokerUserId: otherBroker.userId, commission: { fixedFen: 5_000_00, paidBy: 'buyer' } })
        .expect(409);
      expect(again.body.code).toBe('NEGOTIATION.BROKER_ALREADY_INVITED');

      expect((await negotiationOf(api, negotiationId, market.broker)).yourRole).toBe('broker');
      await http(api).get(`/api/v1/negotiations/${negotiationId}`).set(bearer(brokerAssistant)).expect(404);
      await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/messages`)
        .set(bearer(market.broker))
        .send({ body: '建议按分期付款' })
        .expect(201);
      const listed = await http(api).get('/api/v1/negotiations').set(bearer(market.broker)).expect(200);
      expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual([negotiationId]);

      // The broker may not accept, reject or withdraw for its client.
      for (const path of [`offers/${firstOfferId}/accept`, 'withdraw']) {
        const refused = await http(api)
          .post(`/api/v1/negotiations/${negotiationId}/${path}`)
          .set(bearer(market.broker))
          .send({})
          .expect(403);
        expect(refused.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
      }
    });

    it('proposes an offer that does nothing until a member of its client confirms it', async () => {
      const proposed = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers`)
        .set(bearer(market.broker))
        .send({ ...offerBody({ priceFen: 1_250_000_00 }), replyToOfferId: firstOfferId })
        .expect(201);
      const proposal = proposed.body.offers.find((o: { viaBroker: boolean }) => o.viaBroker);
      expect(proposal).toMatchObject({ status: 'awaiting_confirmation', side: 'seller', expiresAt: null });
      // Nothing changed: the buyer's offer still stands, and the buyer does not even see the proposal.
      const asBuyer = await negotiationOf(api, negotiationId, buyer);
      expect(asBuyer.currentOffer.id).toBe(firstOfferId);
      expect(asBuyer.awaitingAnswerFrom).toBe('seller');
      expect(asBuyer.offers.map((o: { id: string }) => o.id)).not.toContain(proposal.id);
      const early = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/accept`)
        .set(bearer(buyer))
        .expect(404);
      expect(early.body.code).toBe('OFFER.NOT_FOUND');
      // The seller sees it, but cannot accept its own side's proposal; the broker cannot confirm it itself.
      const own = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/accept`)
        .set(bearer(market.seller))
        .expect(409);
      expect(own.body.code).toBe('NEGOTIATION.OFFER_NOT_CONFIRMED');
      const self = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/confirm`)
        .set(bearer(market.broker))
        .expect(403);
      expect(self.body.code).toBe('NEGOTIATION.NOT_AUTHORIZED');
      const otherSide = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/confirm`)
        .set(bearer(buyer))
        .expect(404);
      expect(otherSide.body.code).toBe('OFFER.NOT_FOUND');

      const confirmed = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/confirm`)
        .set(bearer(market.seller))
        .expect(200);
      expect(confirmed.body.currentOffer).toMatchObject({ id: proposal.id, status: 'open', viaBroker: true });
      expect(confirmed.body.awaitingAnswerFrom).toBe('buyer');
      const twice = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/confirm`)
        .set(bearer(market.seller))
        .expect(409);
      expect(twice.body.code).toBe('NEGOTIATION.OFFER_NOT_AWAITING_CONFIRMATION');

      // The buyer accepts: the commission is part of the agreed terms, and the broker hears of the deal.
      const accepted = await http(api)
        .post(`/api/v1/negotiations/${negotiationId}/offers/${proposal.id}/accept`)
        .set(bearer(buyer))
        .expect(200);
      expect(accepted.body.status).toBe('final');
      expect(accepted.body.agreedTerms.commission).toEqual({
        brokerOrganizationId: market.broker.organizationId,
        brokerUserId: market.broker.userId,
        rateBasisPoints: 300,
        fixedFen: null,
        paidBy: 'seller',
      });
      const [trade] = await tradesAgreed(market.env, negotiationId);
      expect(trade.payload.terms).toMatchObject({ priceFen: 1_250_000_00, commission: { rateBasisPoints: 300 } });
      await deliverNotifications(market.worker, market.env);
      expect(await inboxKinds(api, market.broker)).toEqual(
        expect.arrayContaining(['trade.agreed', 'negotiation.accepted', 'negotiation.broker_invited']),
      );
      expect(await inboxKinds(api, market.seller)).toEqual(
        expect.arrayContaining(['negotiation.offer_received', 'negotiation.proposal_to_confirm', 'trade.agreed']),
      );
      expect(await inboxKinds(api, buyer)).toEqual(
        expect.arrayContaining(['negotiation.offer_received', 'negotiation.accepted', 'trade.agreed']),
      );
      expect(await inboxKinds(api, buyer)).not.toContain('negotiation.proposal_to_confirm');
      expect(await inboxKinds(api, stranger)).toEqual([]);
      expect(await inboxKinds(api, competitor)).not.toContain('trade.agreed');
    });
  });

  describe('every route, for every role and an unrelated organization', () => {
    type Who = 'buyer' | 'buyerClerk' | 'seller' | 'sellerClerk' | 'broker' | 'admin' | 'competitor' | 'stranger';
    let who: Record<Who, Account>;
    let id: string;
    let offerId: string;
    let proposalId: string;

    beforeAll(async () => {
      const listing = await openNegotiatedListing(market, market.seller);
      const buyer2 = await verified(api, market.admin);
      const competitor2 = await verified(api, market.admin);
      ({ id, offerId } = await openNegotiation(api, buyer2, listing));
      await openNegotiation(api, competitor2, listing);
      await http(api)
        .post(`/api/v1/negotiations/${id}/broker`)
        .set(bearer(market.seller))
        .send({ brokerUserId: market.broker.userId, commission: { fixedFen: 20_000_00, paidBy: 'buyer' } })
        .expect(200);
      who = {
        buyer: buyer2,
        buyerClerk: await colleague(api, market.admin, buyer2, [Role.Seller]),
        seller: market.seller,
        sellerClerk: await colleague(api, market.admin, market.seller, [Role.Buyer]),
        broker: market.broker,
        admin: market.admin,
        competitor: competitor2,
        stranger,
      };
      const proposed = await http(api)
        .post(`/api/v1/negotiations/${id}/offers`)
        .set(bearer(market.broker))
        .send({ ...offerBody({ priceFen: 1_100_000_00 }), replyToOfferId: offerId })
        .expect(201);
      proposalId = proposed.body.offers.find((o: { viaBroker: boolean }) => o.viaBroker).id;
    });

    const outsiders = { competitor: 404, stranger: 404 } as const;
    const expectations = (): [
      string,
      { method: 'get' | 'post'; path: string; body?: object },
      Partial<Record<Who, number>>,
    ][] => [
      [
        'read',
        { method: 'get', path: `/api/v1/negotiations/${id}` },
        { buyer: 200, buyerClerk: 200, seller: 200, sellerClerk: 200, broker: 200, admin: 200, ...outsiders },
      ],
      [
        'read the thread',
        { method: 'get', path: `/api/v1/negotiations/${id}/messages` },
        { buyer: 200, buyerClerk: 200, seller: 200, sellerClerk: 200, broker: 200, admin: 200, ...outsiders },
      ],
      [
        'write in the thread',
        { method: 'post', path: `/api/v1/negotiations/${id}/messages`, body: { body: '您好' } },
        { buyer: 201, buyerClerk: 201, seller: 201, sellerClerk: 201, broker: 201, admin: 403, ...outsiders },
      ],
      [
        'counter',
        {
          method: 'post',
          path: `/api/v1/negotiations/${id}/offers`,
          body: { ...offerBody(), replyToOfferId: offerId },
        },
        { buyer: 409, buyerClerk: 403, sellerClerk: 403, admin: 403, ...outsiders },
      ],
      [
        'accept',
        { method: 'post', path: `/api/v1/negotiations/${id}/offers/${offerId}/accept` },
        { buyer: 409, buyerClerk: 403, sellerClerk: 403, broker: 403, admin: 403, ...outsiders },
      ],
      [
        'reject',
        { method: 'post', path: `/api/v1/negotiations/${id}/offers/${offerId}/reject`, body: { reason: '不合适' } },
        { buyer: 409, buyerClerk: 403, sellerClerk: 403, broker: 403, admin: 403, ...outsiders },
      ],
      [
        'confirm the broker’s proposal',
        { method: 'post', path: `/api/v1/negotiations/${id}/offers/${proposalId}/confirm` },
        { buyer: 404, buyerClerk: 404, sellerClerk: 403, broker: 403, admin: 403, ...outsiders },
      ],
      [
        'withdraw',
        { method: 'post', path: `/api/v1/negotiations/${id}/withdraw`, body: {} },
        { buyerClerk: 403, sellerClerk: 403, broker: 403, admin: 403, ...outsiders },
      ],
      [
        'invite a broker',
        {
          method: 'post',
          path: `/api/v1/negotiations/${id}/broker`,
          body: { brokerUserId: otherBroker.userId, commission: { rateBasisPoints: 100, paidBy: 'buyer' } },
        },
        { buyer: 409, buyerClerk: 403, broker: 403, admin: 403, ...outsiders },
      ],
    ];

    it('answers each caller as its relationship to the negotiation allows, and leaves it unchanged', async () => {
      const seen: Record<string, Partial<Record<Who, number>>> = {};
      for (const [action, route, expected] of expectations()) {
        seen[action] = {};
        for (const name of Object.keys(expected) as Who[]) {
          const request = route.method === 'get' ? http(api).get(route.path) : http(api).post(route.path);
          const response = await (route.body
            ? request.set(bearer(who[name])).send(route.body)
            : request.set(bearer(who[name])));
          seen[action][name] = response.status;
        }
        // Without a token: 401 everywhere.
        const anonymous = route.method === 'get' ? http(api).get(route.path) : http(api).post(route.path);
        expect((await (route.body ? anonymous.send(route.body) : anonymous)).status).toBe(401);
      }
      expect(seen).toEqual(Object.fromEntries(expectations().map(([action, , expected]) => [action, expected])));
      const after = await negotiationOf(api, id, who.buyer);
      expect(after).toMatchObject({ status: 'open', awaitingAnswerFrom: 'seller' });
      expect(after.currentOffer.id).toBe(offerId);
    });

    it('reminds the side that must answer, and its broker, a day before the offer runs out', async () => {
      clock.advanceDays(6);
      await runNegotiationJob(market.worker, market.env, id, JobName.NegotiationAnswerReminderDue);
      await deliverNotifications(market.worker, market.env);
      const reminded = async (account: Account) =>
        (await inboxKinds(api, account)).filter((kind) => kind === 'negotiation.answer_due').length;
      expect(await reminded(who.sellerClerk)).toBe(1);
      expect(await reminded(market.broker)).toBe(1);
      expect(await reminded(who.buyer)).toBe(0);
      expect(await reminded(who.competitor)).toBe(0);
    });

    it('lets only a buyer of a verified organization open a negotiation', async () => {
      const listing = await openNegotiatedListing(market, market.seller);
      for (const [account, status] of [
        [market.seller, 403],
        [market.broker, 403],
        [market.admin, 403],
        // A buyer of the seller's own organization: its own listing.
        [who.sellerClerk, 422],
        [stranger, 201],
      ] as const) {
        const response = await http(api)
          .post('/api/v1/negotiations')
          .set(bearer(account))
          .send({ listingId: listing, ...offerBody() });
        expect({ status: response.status, code: response.body.code }).toMatchObject({ status });
      }
      await http(api)
        .post('/api/v1/negotiations')
        .send({ listingId: listing, ...offerBody() })
        .expect(401);
    });
  });
});
