import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Role } from '@market/identity';
import { JobName, QueueName } from '@market/queue';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import {
  announce,
  bearer,
  createDraft,
  getListing,
  inventionPatentNumber,
  listingInput,
  runLatestJob,
  verifyOrganization,
} from './support/listings';
import { Api, eventually, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const DAY_MS = 24 * 3600 * 1000;

describe('listings: lifecycle, announcement and objections, listed trading', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let buyers: Account[];

  beforeAll(async () => {
    env = await createTestEnvironment({ ANNOUNCEMENT_DAYS: '15', LISTING_PERIOD_DAYS: '20' });
    api = await startApi({ clock });
    worker = await startWorker({ clock });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学技术转移中心' });
    await verifyOrganization(api, admin, seller.organizationId);
    buyers = [];
    for (let i = 0; i < 3; i++) {
      const buyer = await registerAccount(api, { roles: [Role.Buyer] });
      await verifyOrganization(api, admin, buyer.organizationId);
      buyers.push(buyer);
    }
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  describe('drafting and review', () => {
    it('keeps a draft private to its organization, with its internal note', async () => {
      const id = await createDraft(api, seller);
      const own = await getListing(api, id, seller).expect(200);
      expect(own.body).toMatchObject({
        status: 'draft',
        internalNote: '底价可谈，联系王老师',
        technicalFieldLabel: '新能源',
      });
      await getListing(api, id, buyers[0]).expect(404);
      await getListing(api, id).expect(404);
    });

    it('lets only the seller edit a draft, and validates the edit', async () => {
      const id = await createDraft(api, seller);
      const edited = await http(api)
        .patch(`/api/v1/listings/${id}`)
        .set(bearer(seller))
        .send({ askingPriceFen: 66_000_000, maturity: 'industrialized' })
        .expect(200);
      expect(edited.body).toMatchObject({ askingPriceFen: 66_000_000, maturity: 'industrialized' });
      await http(api).patch(`/api/v1/listings/${id}`).set(bearer(buyers[0])).send({ title: '篡改标题' }).expect(403);
      const bad = await http(api)
        .patch(`/api/v1/listings/${id}`)
        .set(bearer(seller))
        .send({ technicalField: 'alchemy', askingPriceFen: 12.5 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'askingPriceFen',
        'technicalField',
      ]);
    });

    it('refuses null for a required field of an edit, naming the field, and changes nothing', async () => {
      const id = await createDraft(api, seller);
      const before = (await getListing(api, id, seller).expect(200)).body;
      const required = ['title', 'summary', 'technicalField', 'maturity', 'pricingMode', 'ipItems', 'transferModes'];
      for (const field of required) {
        const refused = await http(api)
          .patch(`/api/v1/listings/${id}`)
          .set(bearer(seller))
          .send({ [field]: null });
        expect(refused.status).toBe(400);
        expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const after = (await getListing(api, id, seller).expect(200)).body;
      expect(after).toEqual(before);
      // The optional fields may still be cleared.
      const cleared = await http(api)
        .patch(`/api/v1/listings/${id}`)
        .set(bearer(seller))
        .send({ askingPriceFen: null, internalNote: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ askingPriceFen: null, internalNote: null, title: before.title });
    });

    it('refuses an IP number that is not a string with a 400 naming it', async () => {
      for (const kind of ['invention_patent', 'software_copyright', 'know_how']) {
        const response = await http(api)
          .post('/api/v1/listings')
          .set(bearer(seller))
          .send(listingInput({ ipItems: [{ kind, number: 202310123456, legalStatus: 'granted' }] }));
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body.errors).toEqual([{ field: 'ipItems.0.number', message: 'number must be a string' }]);
      }
    });

    it('verifies the check character of an invention patent number', async () => {
      const good = inventionPatentNumber(42);
      const wrongCheck = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
      const response = await http(api)
        .post('/api/v1/listings')
        .set(bearer(seller))
        .send(listingInput({ ipItems: [{ kind: 'invention_patent', number: wrongCheck, legalStatus: 'granted' }] }));
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('ipItems.0.number');
      expect(response.body.errors[0].message).toMatch(/check character/);
      const utilityAsInvention = await http(api)
        .post('/api/v1/listings')
        .set(bearer(seller))
        .send(listingInput({ ipItems: [{ kind: 'utility_model', number: good, legalStatus: 'granted' }] }));
      expect(utilityAsInvention.status).toBe(400);
      await http(api)
        .post('/api/v1/listings')
        .set(bearer(seller))
        .send(
          listingInput({ ipItems: [{ kind: 'software_copyright', number: '2023SR0123456', legalStatus: 'granted' }] }),
        )
        .expect(201);
    });

    it('refuses to create a listing without the seller role', async () => {
      await http(api).post('/api/v1/listings').set(bearer(buyers[0])).send(listingInput()).expect(403);
    });

    it('needs a verified organization, and a price for a listed-price listing, to submit', async () => {
      const unverified = await registerAccount(api, { roles: [Role.Seller] });
      const id = await createDraft(api, unverified);
      const refused = await http(api).post(`/api/v1/listings/${id}/submit`).set(bearer(unverified));
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('LISTING.ORGANIZATION_NOT_VERIFIED');

      const noPrice = await createDraft(api, seller, { askingPriceFen: undefined });
      const priceless = await http(api).post(`/api/v1/listings/${noPrice}/submit`).set(bearer(seller));
      expect(priceless.status).toBe(422);
      expect(priceless.body.code).toBe('LISTING.PRICE_REQUIRED');
      const negotiated = await createDraft(api, seller, { askingPriceFen: undefined, pricingMode: 'negotiated' });
      await http(api).post(`/api/v1/listings/${negotiated}/submit`).set(bearer(seller)).expect(200);
    });

    it('lets only an admin approve, and sends a rejected listing back to draft', async () => {
      const id = await createDraft(api, seller);
      await http(api).post(`/api/v1/listings/${id}/approve`).set(bearer(admin)).expect(409); // still a draft
      await http(api).post(`/api/v1/listings/${id}/submit`).set(bearer(seller)).expect(200);
      await http(api).post(`/api/v1/listings/${id}/approve`).set(bearer(seller)).expect(403);
      const rejected = await http(api)
        .post(`/api/v1/listings/${id}/reject`)
        .set(bearer(admin))
        .send({ reason: '专利权属证明缺失' })
        .expect(200);
      expect(rejected.body).toMatchObject({ status: 'draft', closedReason: '专利权属证明缺失' });
    });
  });

  describe('visibility', () => {
    it('answers another organization’s private listing with the same 404 as an unknown id, on every route', async () => {
      const otherSeller = await registerAccount(api, { roles: [Role.Seller] });
      await verifyOrganization(api, admin, otherSeller.organizationId);
      const draft = await createDraft(api, seller);
      const submitted = await createDraft(api, seller);
      await http(api).post(`/api/v1/listings/${submitted}/submit`).set(bearer(seller)).expect(200);
      const unknown = '00000000-0000-4000-8000-000000000000';
      const objectionId = '00000000-0000-4000-8000-000000000001';
      const routes: [Account, 'get' | 'post' | 'patch', string, object?][] = [
        [buyers[0], 'get', ''],
        [buyers[0], 'post', '/objections', { reason: '该成果的权属存在争议，请核实' }],
        [buyers[0], 'get', '/objections'],
        [buyers[0], 'post', '/intents', {}],
        [buyers[0], 'get', '/intents'],
        [otherSeller, 'patch', '', { title: '别人的草稿标题' }],
        [otherSeller, 'post', '/submit'],
        [otherSeller, 'post', '/withdraw'],
        [otherSeller, 'post', `/objections/${objectionId}/answer`, { answer: '答复' }],
      ];
      for (const [who, method, path, body] of routes) {
        const answers = [];
        for (const id of [draft, submitted, unknown]) {
          const request = http(api)[method](`/api/v1/listings/${id}${path}`).set(bearer(who));
          const response = await (body ? request.send(body) : request);
          answers.push({ route: `${method} ${path}`, status: response.status, code: response.body.code });
        }
        const notFound = { route: `${method} ${path}`, status: 404, code: 'LISTING.NOT_FOUND' };
        expect(answers).toEqual([notFound, notFound, notFound]);
      }
      expect((await getListing(api, draft, seller)).body.status).toBe('draft');
      expect(
        await env.query(`SELECT id FROM listing_objection WHERE listing_id = ANY($1)`, [[draft, submitted]]),
      ).toEqual([]);
    });
  });

  describe('announcement (公示)', () => {
    it('starts a 15-day announcement as a delayed job, and opens the listing when it runs after the deadline', async () => {
      const approvedAt = clock.now().getTime();
      const id = await announce(api, seller, admin);
      const announced = await getListing(api, id).expect(200);
      expect(announced.body.status).toBe('announced');
      const endsAt = new Date(announced.body.announcementEndsAt).getTime();
      expect(endsAt - approvedAt).toBeGreaterThanOrEqual(15 * DAY_MS - 5_000);
      expect(endsAt - approvedAt).toBeLessThanOrEqual(15 * DAY_MS + 5_000);

      // The relay turns the outbox row into a BullMQ job delayed until the deadline.
      const [row] = await env.query<{ id: string; run_at: Date }>(
        `SELECT id, run_at FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
        [JobName.ListingAnnouncementEnded, id],
      );
      expect(row.run_at.getTime()).toBe(endsAt);
      const queue = new Queue(QueueName.Listings, { connection: { url: env.redisUrl }, prefix: env.queuePrefix });
      try {
        const job = await eventually(async () => (await queue.getJob(row.id)) ?? undefined, 10_000, 'the delayed job');
        expect(await job.getState()).toBe('delayed');
        expect(job.delay).toBeGreaterThan(14 * DAY_MS);
      } finally {
        await queue.close();
      }

      clock.advance(15 * DAY_MS + 60_000);
      await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
      const open = await getListing(api, id).expect(200);
      expect(open.body.status).toBe('open');
      expect(new Date(open.body.listingPeriodEndsAt).getTime() - clock.now().getTime()).toBeGreaterThan(19 * DAY_MS);
    });

    it('re-checks the deadline: a job that fires early leaves the listing announced and reschedules itself', async () => {
      const id = await announce(api, seller, admin);
      await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
      expect((await getListing(api, id)).body.status).toBe('announced');
      const rows = await env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`, [
        JobName.ListingAnnouncementEnded,
        id,
      ]);
      expect(rows).toHaveLength(2);
    });

    it('pauses the announcement on an objection and resumes it with the time it had left when dismissed', async () => {
      const id = await announce(api, seller, admin);
      const endsAt = new Date((await getListing(api, id)).body.announcementEndsAt).getTime();
      clock.advanceDays(5);
      const objectedAt = clock.now().getTime();
      const objection = await http(api)
        .post(`/api/v1/listings/${id}/objections`)
        .set(bearer(buyers[0]))
        .send({ reason: '该专利的发明人包括我单位职工，权属存在争议' })
        .expect(201);
      expect((await getListing(api, id)).body.announcementPaused).toBe(true);

      // The original deadline passes while paused: its job changes nothing.
      clock.advanceDays(20);
      await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
      expect((await getListing(api, id)).body.status).toBe('announced');

      const objectionId = objection.body.id as string;
      await http(api)
        .post(`/api/v1/listings/${id}/objections/${objectionId}/ruling`)
        .set(bearer(seller))
        .send({ decision: 'dismissed', reason: 'x' })
        .expect(403);
      await http(api)
        .post(`/api/v1/listings/${id}/objections/${objectionId}/answer`)
        .set(bearer(seller))
        .send({ answer: '职务发明已依法归属本校，附权属证明' })
        .expect(200);
      const ruledAt = clock.now().getTime();
      await http(api)
        .post(`/api/v1/listings/${id}/objections/${objectionId}/ruling`)
        .set(bearer(admin))
        .send({ decision: 'dismissed', reason: '权属证明充分' })
        .expect(200);

      const resumed = (await getListing(api, id)).body;
      expect(resumed.announcementPaused).toBe(false);
      const remainingAtPause = endsAt - objectedAt;
      expect(new Date(resumed.announcementEndsAt).getTime() - ruledAt).toBeGreaterThanOrEqual(remainingAtPause - 2_000);
      expect(new Date(resumed.announcementEndsAt).getTime() - ruledAt).toBeLessThanOrEqual(remainingAtPause + 2_000);

      clock.advanceDays(11);
      await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
      expect((await getListing(api, id)).body.status).toBe('open');
    });

    it('withdraws the listing when an objection is upheld', async () => {
      const id = await announce(api, seller, admin);
      const objection = await http(api)
        .post(`/api/v1/listings/${id}/objections`)
        .set(bearer(buyers[1]))
        .send({ reason: '该专利已于去年独占许可给我公司' })
        .expect(201);
      await http(api)
        .post(`/api/v1/listings/${id}/objections/${objection.body.id}/ruling`)
        .set(bearer(admin))
        .send({ decision: 'upheld', reason: '许可合同属实' })
        .expect(200);
      expect((await getListing(api, id, seller)).body.status).toBe('withdrawn');
      await getListing(api, id, buyers[1]).expect(404);
    });

    it('refuses objections from the seller itself, from unverified organizations and after the announcement', async () => {
      const id = await announce(api, seller, admin);
      const own = await http(api)
        .post(`/api/v1/listings/${id}/objections`)
        .set(bearer(seller))
        .send({ reason: '卖方单位对自己的成果提出异议' });
      expect(own.status).toBe(422);
      const stranger = await registerAccount(api);
      const unverified = await http(api)
        .post(`/api/v1/listings/${id}/objections`)
        .set(bearer(stranger))
        .send({ reason: '未经认证的单位提出异议' });
      expect(unverified.body.code).toBe('LISTING.ORGANIZATION_NOT_VERIFIED');
      clock.advanceDays(16);
      const late = await http(api)
        .post(`/api/v1/listings/${id}/objections`)
        .set(bearer(buyers[0]))
        .send({ reason: '公示期结束后才提出异议' });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('LISTING.ANNOUNCEMENT_OVER');
    });
  });

  describe('listed trading (挂牌)', () => {
    async function openListedListing(overrides: Record<string, unknown> = {}): Promise<string> {
      const id = await announce(api, seller, admin, overrides);
      clock.advanceDays(16);
      await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
      expect((await getListing(api, id)).body.status).toBe('open');
      return id;
    }

    const intend = (id: string, buyer: Account, body: object = {}) =>
      http(api).post(`/api/v1/listings/${id}/intents`).set(bearer(buyer)).send(body);

    it('refuses intents from the seller, unverified buyers, at another price, twice, or on a negotiated listing', async () => {
      const id = await openListedListing();
      expect((await intend(id, seller)).status).toBe(403); // the seller lacks the buyer role
      const sellerBuyer = await http(api)
        .post(`/api/v1/orgs/${seller.organizationId}/members`)
        .set(bearer(admin))
        .send({
          email: `sb${Date.now()}@example.cn`,
          password: 'correct horse battery',
          displayName: '同校采购',
          roles: ['buyer'],
        })
        .expect(201);
      const sameOrgBuyer = (
        await http(api)
          .post('/api/v1/auth/login')
          .send({ email: sellerBuyer.body.email, password: 'correct horse battery' })
      ).body.accessToken as string;
      const own = await http(api)
        .post(`/api/v1/listings/${id}/intents`)
        .set('authorization', `Bearer ${sameOrgBuyer}`)
        .send({});
      expect(own.body.code).toBe('LISTING.OWN_LISTING');
      const unverified = await registerAccount(api, { roles: [Role.Buyer] });
      expect((await intend(id, unverified)).body.code).toBe('LISTING.ORGANIZATION_NOT_VERIFIED');
      expect((await intend(id, buyers[0], { priceFen: 1 })).body.code).toBe('LISTING.INTENT_PRICE_MISMATCH');
      await intend(id, buyers[0], { priceFen: 50_000_000 }).expect(201);
      expect((await intend(id, buyers[0])).status).toBe(409);
      const negotiated = await openListedListing({ pricingMode: 'negotiated' });
      expect((await intend(negotiated, buyers[1])).body.code).toBe('LISTING.NOT_LISTED_PRICE');
    });

    it('lets a listing with no intent expire when the listing period ends', async () => {
      const id = await openListedListing();
      clock.advanceDays(21);
      expect((await intend(id, buyers[0])).body.code).toBe('LISTING.LISTING_PERIOD_OVER');
      await runLatestJob(worker, env, id, JobName.ListingPeriodEnded);
      expect((await getListing(api, id, seller)).body.status).toBe('expired');
    });

    it('turns a single intent into a trade at the asking price, announced through the outbox', async () => {
      const id = await openListedListing({ askingPriceFen: 88_000_000 });
      const intent = await intend(id, buyers[1]).expect(201);
      expect(intent.body.priceFen).toBe(88_000_000);
      clock.advanceDays(21);
      await runLatestJob(worker, env, id, JobName.ListingPeriodEnded);
      expect((await getListing(api, id)).body.status).toBe('under_contract');

      const events = await env.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
        [JobName.TradeAgreed, id],
      );
      expect(events).toHaveLength(1);
      expect(events[0].payload).toMatchObject({
        tradeId: intent.body.id,
        source: 'listed',
        sellerOrganizationId: seller.organizationId,
        buyerOrganizationId: buyers[1].organizationId,
        priceFen: 88_000_000,
        terms: { priceFen: 88_000_000, depositAppliedFen: 0, paymentSchedule: { kind: 'lump_sum', dueOn: null } },
      });
      const inbox = await eventually(
        async () => {
          const body = (await http(api).get('/api/v1/me/notifications').set(bearer(buyers[1]))).body;
          const found = body.items.find(
            (n: { kind: string; data: { listingId: string } }) => n.kind === 'trade.agreed' && n.data.listingId === id,
          );
          return found;
        },
        15_000,
        'the trade notification',
      );
      expect(inbox.data.priceFen).toBe(88_000_000);

      // Running the same job again changes nothing.
      expect(await runLatestJob(worker, env, id, JobName.ListingPeriodEnded)).toBe('already-done');
      expect(
        await env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`, [
          JobName.TradeAgreed,
          id,
        ]),
      ).toHaveLength(1);
    });

    it('converts a listing with several intents to an auction among the intending buyers', async () => {
      const id = await openListedListing();
      for (const buyer of buyers) await intend(id, buyer).expect(201);
      const seen = await http(api).get(`/api/v1/listings/${id}/intents`).set(bearer(seller)).expect(200);
      expect(seen.body).toHaveLength(3);
      const ownOnly = await http(api).get(`/api/v1/listings/${id}/intents`).set(bearer(buyers[0])).expect(200);
      expect(ownOnly.body.map((i: { buyerOrganizationId: string }) => i.buyerOrganizationId)).toEqual([
        buyers[0].organizationId,
      ]);

      clock.advanceDays(21);
      await runLatestJob(worker, env, id, JobName.ListingPeriodEnded);
      const [event] = await env.query<{ payload: { buyerOrganizationIds: string[] } }>(
        `SELECT payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
        [JobName.ListingConvertedToAuction, id],
      );
      expect(event.payload.buyerOrganizationIds.sort()).toEqual(buyers.map((b) => b.organizationId).sort());
      const listing = (await getListing(api, id)).body;
      expect(listing).toMatchObject({ status: 'open', pricingMode: 'auction' });
      // The auction context hears the same event through its own queue and schedules the auction.
      const auction = await eventually(
        async () => {
          const rows = await env.query<{ allowed: string[]; status: string }>(
            `SELECT allowed_buyer_organization_ids AS allowed, status FROM auction WHERE listing_id = $1`,
            [id],
          );
          return rows[0];
        },
        15_000,
        'the auction',
      );
      expect(auction.status).toBe('scheduled');
      expect([...auction.allowed].sort()).toEqual(buyers.map((b) => b.organizationId).sort());
      expect(
        await env.query(`SELECT id FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`, [
          JobName.TradeAgreed,
          id,
        ]),
      ).toHaveLength(0);
    });

    it('lets the seller withdraw an open listing, but not twice', async () => {
      const id = await openListedListing();
      await http(api).post(`/api/v1/listings/${id}/withdraw`).set(bearer(seller)).expect(200);
      const again = await http(api).post(`/api/v1/listings/${id}/withdraw`).set(bearer(seller));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('LISTING.INVALID_STATE');
    });
  });
});
