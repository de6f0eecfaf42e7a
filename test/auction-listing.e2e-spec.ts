import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, registerAccount } from './support/accounts';
import {
  createAuction as createAuctionFor,
  depositStatuses,
  holdDeposit,
  runAuctionJob,
  runDepositJobs,
  verifiedBuyer,
  startAuctionMarket,
  AuctionMarket,
} from './support/auctions';
import { FakeClock } from './support/fake-clock';
import { announce, bearer, createDraft, getListing, runLatestJob, verifyOrganization } from './support/listings';
import { Api, http } from './support/market';
import { TestEnvironment } from './support/test-env';

const MINUTE = 60_000;

/** Auctions as the listing context sees them: withdrawal, conversion from a listed trade, finding them. */
describe('auctions and their listings', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let finance: Account;

  let market: AuctionMarket;

  beforeAll(async () => {
    market = await startAuctionMarket(clock);
    ({ env, api, worker, admin, seller, finance } = market);
  });

  afterAll(() => market?.close());

  const createAuction = (overrides: Record<string, unknown> = {}) =>
    createAuctionFor({ api, worker, env, clock, seller, admin }, overrides);
  const auctionOf = async (id: string) => (await http(api).get(`/api/v1/auctions/${id}`).expect(200)).body;
  const withdraw = (listingId: string, as = seller) =>
    http(api).post(`/api/v1/listings/${listingId}/withdraw`).set(bearer(as));

  async function openListing(overrides: Record<string, unknown>, owner = seller): Promise<string> {
    const id = await announce(api, owner, admin, overrides);
    clock.advanceDays(16);
    await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
    return id;
  }

  const scheduleBody = (listingId: string, overrides: Record<string, unknown> = {}) => {
    const now = clock.now().getTime();
    return {
      listingId,
      kind: 'english',
      startingPriceFen: 1_000_000,
      incrementFen: 10_000,
      depositFen: 100_000,
      startsAt: new Date(now + MINUTE).toISOString(),
      endsAt: new Date(now + 60 * MINUTE).toISOString(),
      ...overrides,
    };
  };

  describe('withdrawal', () => {
    it('refuses to withdraw a listing while its auction is scheduled or open, and allows it once the auction failed', async () => {
      const auctionId = await createAuction();
      const { listingId } = await auctionOf(auctionId);
      const buyer = await verifiedBuyer(api, admin);
      await holdDeposit(api, finance, buyer, auctionId);

      const whileScheduled = await withdraw(listingId);
      expect(whileScheduled.status).toBe(409);
      expect(whileScheduled.headers['content-type']).toContain('application/problem+json');
      expect(whileScheduled.body.code).toBe('LISTING.HAS_COMMITMENTS');
      clock.advance(2 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
      expect((await withdraw(listingId)).body.code).toBe('LISTING.HAS_COMMITMENTS');
      expect((await getListing(api, listingId)).body).toMatchObject({ status: 'open', auctionId });

      // No bid: the auction fails, every deposit is released, and the seller may withdraw.
      clock.advance(60 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionCloseDue);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionSettle);
      await runDepositJobs(worker, env, auctionId);
      expect(await depositStatuses(env, auctionId)).toEqual({ [buyer.organizationId]: 'released' });
      const withdrawn = await withdraw(listingId).expect(200);
      expect(withdrawn.body.status).toBe('withdrawn');
    });

    it('refuses to withdraw a listed-price listing on which buyers registered intent', async () => {
      const listingId = await openListing({ pricingMode: 'listed', askingPriceFen: 2_000_000 });
      const buyer = await verifiedBuyer(api, admin);
      await http(api).post(`/api/v1/listings/${listingId}/intents`).set(bearer(buyer)).send({}).expect(201);
      const refused = await withdraw(listingId);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('LISTING.HAS_COMMITMENTS');
      expect((await getListing(api, listingId)).body.status).toBe('open');
    });
  });

  describe('a listing converted to an auction among its intending buyers', () => {
    it('gets that auction and no other, and cannot be withdrawn before it is scheduled', async () => {
      const listingId = await openListing({ pricingMode: 'listed', askingPriceFen: 2_000_000 });
      const buyers = [await verifiedBuyer(api, admin), await verifiedBuyer(api, admin)];
      for (const buyer of buyers) {
        await http(api).post(`/api/v1/listings/${listingId}/intents`).set(bearer(buyer)).send({}).expect(201);
      }
      clock.advanceDays(21);
      await runLatestJob(worker, env, listingId, JobName.ListingPeriodEnded);
      expect((await getListing(api, listingId)).body.pricingMode).toBe('auction');

      // The seller tries to get in first with an auction open to anyone.
      const first = await http(api).post('/api/v1/auctions').set(bearer(seller)).send(scheduleBody(listingId));
      expect(first.status).toBe(409);
      expect(first.body.code).toBe('AUCTION.RESERVED_FOR_INTENDING_BUYERS');
      expect(
        await env.query(`SELECT id FROM auction WHERE listing_id = $1 AND allowed_buyer_organization_ids IS NULL`, [
          listingId,
        ]),
      ).toHaveLength(0);

      // The conversion reaches the auction context (here run by hand; the worker may have run it already).
      const [event] = await env.query<{ id: string; payload: unknown }>(
        `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
        [JobName.ListingConvertedToAuction, listingId],
      );
      await worker
        .get(JobDispatcher)
        .run(QueueName.Auctions, { id: event.id, name: JobName.ListingConvertedToAuction, data: event.payload });
      const auctions = await env.query<{ id: string; allowed: string[] }>(
        `SELECT id, allowed_buyer_organization_ids AS allowed FROM auction WHERE listing_id = $1`,
        [listingId],
      );
      expect(auctions).toHaveLength(1);
      expect([...auctions[0].allowed].sort()).toEqual(buyers.map((b) => b.organizationId).sort());
      expect((await getListing(api, listingId)).body.auctionId).toBe(auctions[0].id);
      const again = await http(api).post('/api/v1/auctions').set(bearer(seller)).send(scheduleBody(listingId));
      expect(again.body.code).toBe('AUCTION.RESERVED_FOR_INTENDING_BUYERS');
      expect((await withdraw(listingId)).body.code).toBe('LISTING.HAS_COMMITMENTS');
    });
  });

  describe('a converted listing whose auction among the intending buyers fails', () => {
    it('expires, with the reason shown to its seller, instead of staying open with no way forward', async () => {
      const listingId = await openListing({ pricingMode: 'listed', askingPriceFen: 2_000_000 });
      for (const buyer of [await verifiedBuyer(api, admin), await verifiedBuyer(api, admin)]) {
        await http(api).post(`/api/v1/listings/${listingId}/intents`).set(bearer(buyer)).send({}).expect(201);
      }
      clock.advanceDays(21);
      await runLatestJob(worker, env, listingId, JobName.ListingPeriodEnded);
      const [event] = await env.query<{ id: string; payload: unknown }>(
        `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
        [JobName.ListingConvertedToAuction, listingId],
      );
      await worker
        .get(JobDispatcher)
        .run(QueueName.Auctions, { id: event.id, name: JobName.ListingConvertedToAuction, data: event.payload });
      const [{ id: auctionId }] = await env.query<{ id: string }>(`SELECT id FROM auction WHERE listing_id = $1`, [
        listingId,
      ]);

      // Nobody bids: the auction opens a day later, closes a day after that, and fails.
      clock.advanceDays(1);
      clock.advance(MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
      clock.advanceDays(1);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionCloseDue);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionSettle);
      expect((await auctionOf(auctionId)).status).toBe('failed');

      const listing = await getListing(api, listingId, seller).expect(200);
      expect(listing.body).toMatchObject({
        status: 'expired',
        closedReason: 'its auction among the intending buyers failed',
      });
      // Expired is private and final: gone from the public, and no auction can be scheduled on it.
      expect((await getListing(api, listingId)).status).toBe(404);
      const refused = await http(api).post('/api/v1/auctions').set(bearer(seller)).send(scheduleBody(listingId));
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('AUCTION.LISTING_NOT_AUCTIONABLE');
      expect(await env.query(`SELECT id FROM auction WHERE listing_id = $1`, [listingId])).toHaveLength(1);
    });

    it('leaves a listing the seller put up for auction open after its auction fails', async () => {
      const auctionId = await createAuction();
      const { listingId } = await auctionOf(auctionId);
      clock.advance(2 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
      clock.advance(60 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionCloseDue);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionSettle);
      expect((await auctionOf(auctionId)).status).toBe('failed');
      expect((await getListing(api, listingId)).body.status).toBe('open');
    });
  });

  describe("another organization's listing", () => {
    it('is a 404 to POST /auctions while private, as an unknown id is, and a 403 once public', async () => {
      const other = await registerAccount(api, { roles: [Role.Seller] });
      await verifyOrganization(api, admin, other.organizationId);
      const draft = await createDraft(api, other, { pricingMode: 'auction', askingPriceFen: 1_000_000 });
      const hidden = await http(api).post('/api/v1/auctions').set(bearer(seller)).send(scheduleBody(draft));
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('LISTING.NOT_FOUND');
      const unknown = await http(api)
        .post('/api/v1/auctions')
        .set(bearer(seller))
        .send(scheduleBody('00000000-0000-4000-8000-000000000000'));
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe(hidden.body.code);

      const open = await openListing({ pricingMode: 'auction', askingPriceFen: 1_000_000 }, other);
      const refused = await http(api).post('/api/v1/auctions').set(bearer(seller)).send(scheduleBody(open));
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('AUCTION.NOT_SELLER');
      expect(await env.query(`SELECT id FROM auction WHERE listing_id IN ($1, $2)`, [draft, open])).toHaveLength(0);
    });
  });

  describe('finding auctions', () => {
    it('lists auctions by status, kind, listing and technical field, paged with the total', async () => {
      const farmListing = await openListing({
        pricingMode: 'auction',
        askingPriceFen: 1_000_000,
        technicalField: 'modern_agriculture',
      });
      const farm = await http(api)
        .post('/api/v1/auctions')
        .set(bearer(seller))
        .send(scheduleBody(farmListing, { kind: 'sealed', incrementFen: undefined }))
        .expect(201);
      const energy = await createAuction(); // new_energy, English
      const { listingId: energyListing } = await auctionOf(energy);
      const list = async (query: string) => (await http(api).get(`/api/v1/auctions?${query}`).expect(200)).body;

      const byField = await list('field=modern_agriculture');
      expect(byField.total).toBe(1);
      expect(byField.items.map((a: { id: string }) => a.id)).toEqual([farm.body.id]);
      expect(byField.items[0]).toMatchObject({ technicalField: 'modern_agriculture', kind: 'sealed' });
      expect((await list(`listingId=${energyListing}`)).items.map((a: { id: string }) => a.id)).toEqual([energy]);
      expect((await list(`kind=sealed&listingId=${energyListing}`)).total).toBe(0);
      const sealed = await list('kind=sealed');
      expect(sealed.items.every((a: { kind: string }) => a.kind === 'sealed')).toBe(true);
      expect(sealed.items.map((a: { id: string }) => a.id)).toContain(farm.body.id);

      const scheduled = await list('status=scheduled');
      expect(scheduled.total).toBeGreaterThanOrEqual(2);
      expect(scheduled.items.every((a: { status: string }) => a.status === 'scheduled')).toBe(true);
      const [total] = await env.query<{ n: string }>(`SELECT count(*) AS n FROM auction WHERE status = 'scheduled'`);
      expect(scheduled.total).toBe(Number(total.n));
      const page = await list('status=scheduled&limit=1&offset=1');
      expect(page).toMatchObject({ total: scheduled.total, limit: 1, offset: 1 });
      expect(page.items).toHaveLength(1);
      expect(page.items[0].id).toBe(scheduled.items[1].id);
      // The reserve stays hidden in the list as on the auction itself.
      expect(byField.items[0]).not.toHaveProperty('reservePriceFen');
    });

    it('refuses an unknown status or field and a page over 100 with a 400 problem', async () => {
      for (const query of ['status=bogus', 'field=astrology', 'limit=101', 'listingId=nope']) {
        const response = await http(api).get(`/api/v1/auctions?${query}`);
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });

    it("names the listing's auction on the listing", async () => {
      const auctionId = await createAuction();
      const { listingId } = await auctionOf(auctionId);
      expect((await getListing(api, listingId)).body.auctionId).toBe(auctionId);
      const found = await http(api).get('/api/v1/listings?pricingMode=auction&sort=newest&limit=100').expect(200);
      const inSearch = found.body.items.find((item: { id: string }) => item.id === listingId);
      expect(inSearch.auctionId).toBe(auctionId);
      const fresh = await openListing({ pricingMode: 'auction', askingPriceFen: 1_000_000 });
      expect((await getListing(api, fresh)).body.auctionId).toBeNull();
    });
  });
});
