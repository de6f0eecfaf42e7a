import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import {
  announce,
  bearer,
  createDraft,
  inventionPatentNumber,
  runLatestJob,
  verifyOrganization,
} from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

interface Found {
  total: number;
  items: { id: string; title: string; internalNote?: unknown; askingPriceFen: number | null }[];
}

describe('listing search and achievement packages', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let changsha: Account;
  let zhuzhou: Account;
  const ids: Record<string, string> = {};

  const CATHODE = '高能量密度锂电池正极材料';
  const patent = inventionPatentNumber(777);

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({ clock });
    worker = await startWorker({ clock });
    admin = await createAdmin(api, env);
    changsha = await registerAccount(api, { roles: [Role.Seller] });
    zhuzhou = await registerAccount(api, { roles: [Role.Seller] });
    await verifyOrganization(api, admin, changsha.organizationId);
    await verifyOrganization(api, admin, zhuzhou.organizationId);
    // The second seller is in Zhuzhou (430200); the first stays in Changsha (430100).
    await env.query(`UPDATE organization SET region_code = '430211' WHERE id = $1`, [zhuzhou.organizationId]);

    const listings: [string, Account, Record<string, unknown>][] = [
      [
        'cathode',
        changsha,
        {
          title: CATHODE,
          summary: '共沉淀法制备高镍三元材料，Lithium battery cathode with long cycle life.',
          askingPriceFen: 80_000_000,
          ipItems: [{ kind: 'invention_patent', number: patent, legalStatus: 'granted' }],
        },
      ],
      [
        'apart',
        changsha,
        {
          title: '锂电设备与电池检测平台',
          summary: '面向动力电池产线的在线检测系统，适用于锂电工厂。',
          technicalField: 'high_end_equipment',
          askingPriceFen: 30_000_000,
          maturity: 'industrialized',
        },
      ],
      [
        'rice',
        zhuzhou,
        {
          title: '杂交水稻高产栽培技术',
          summary: 'Hybrid rice cultivation for the Dongting Lake plain, 亩产提高百分之十二。',
          technicalField: 'modern_agriculture',
          maturity: 'industrialized',
          pricingMode: 'negotiated',
          askingPriceFen: undefined,
          ipItems: [{ kind: 'plant_variety', number: 'CNA20191234.5', legalStatus: 'granted' }],
        },
      ],
      [
        'software',
        zhuzhou,
        {
          title: '工业互联网设备远程运维软件',
          summary: 'Remote maintenance platform for CNC machines, predictive maintenance.',
          technicalField: 'next_gen_it',
          maturity: 'small_pilot',
          pricingMode: 'auction',
          askingPriceFen: 12_000_000,
          ipItems: [{ kind: 'software_copyright', number: '2022SR0456789', legalStatus: 'granted' }],
        },
      ],
      [
        'solid',
        changsha,
        {
          title: '固态电池电解质薄膜',
          summary: '硫化物固态电解质的干法成膜工艺，可与高镍正极匹配。Solid-state battery electrolyte film.',
          askingPriceFen: 150_000_000,
          maturity: 'lab',
        },
      ],
    ];
    for (const [key, seller, overrides] of listings) {
      ids[key] = await announce(api, seller, admin, overrides);
      clock.advance(60_000); // distinct publication times for "newest"
    }
    // The solid-state listing goes on to open; the others stay announced: both are searchable.
    clock.advanceDays(16);
    await runLatestJob(worker, env, ids.solid, JobName.ListingAnnouncementEnded);
    // Private: a draft and a submitted listing carrying the same words must never appear.
    ids.draft = await createDraft(api, changsha, { title: `${CATHODE}（草稿）` });
    ids.submitted = await createDraft(api, changsha, { title: `${CATHODE}（待审）` });
    await http(api).post(`/api/v1/listings/${ids.submitted}/submit`).set(bearer(changsha)).expect(200);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  const search = async (query: Record<string, string | number>, as?: Account): Promise<Found> => {
    const request = http(api).get('/api/v1/listings').query(query);
    const response = await (as ? request.set(bearer(as)) : request).expect(200);
    return response.body as Found;
  };
  const idsOf = (found: Found) => found.items.map((item) => item.id).sort();
  const expectIds = (found: Found, keys: string[]) => {
    expect(idsOf(found)).toEqual(keys.map((k) => ids[k]).sort());
    expect(found.total).toBe(keys.length);
  };

  it('finds a Chinese substring inside words without spaces, and not its characters apart', async () => {
    expectIds(await search({ q: '锂电池' }), ['cathode']);
    expectIds(await search({ q: '正极材料' }), ['cathode']);
  });

  it('finds two-character and one-character Chinese terms', async () => {
    expectIds(await search({ q: '电池' }), ['cathode', 'apart', 'solid']);
    expectIds(await search({ q: '稻' }), ['rice']);
  });

  it('finds English words in any case, and needs every term', async () => {
    expectIds(await search({ q: 'LITHIUM' }), ['cathode']);
    expectIds(await search({ q: 'battery' }), ['cathode', 'solid']);
    expectIds(await search({ q: 'battery 固态' }), ['solid']);
    expectIds(await search({ q: 'maint' }), ['software']);
    expectIds(await search({ q: 'nonexistentword' }), []);
  });

  it('finds a listing by its IP number, with or without the ZL prefix', async () => {
    expectIds(await search({ q: patent }), ['cathode']);
    expectIds(await search({ q: patent.slice(2) }), ['cathode']);
    expectIds(await search({ q: '2022SR0456789' }), ['software']);
  });

  it('ranks a title match above a newer summary match', async () => {
    const found = await search({ q: '正极' });
    // The cathode listing says 正极 in its title; the newer solid-state one only in its summary.
    expect(found.items.map((i) => i.id)).toEqual([ids.cathode, ids.solid]);
    const byNewest = await search({ q: '正极', sort: 'newest' });
    expect(byNewest.items.map((i) => i.id)).toEqual([ids.solid, ids.cathode]);
  });

  it('filters by field, maturity, pricing mode, region, price range and IP kind', async () => {
    expectIds(await search({ field: 'new_energy' }), ['cathode', 'solid']);
    expectIds(await search({ maturity: 'industrialized' }), ['apart', 'rice']);
    expectIds(await search({ pricingMode: 'auction' }), ['software']);
    expectIds(await search({ pricingMode: 'negotiated' }), ['rice']);
    expectIds(await search({ region: '430200' }), ['rice', 'software']);
    expectIds(await search({ region: '430100' }), ['cathode', 'apart', 'solid']);
    expectIds(await search({ region: '430000' }), ['cathode', 'apart', 'rice', 'software', 'solid']);
    expectIds(await search({ minPriceFen: 30_000_000, maxPriceFen: 80_000_000 }), ['cathode', 'apart']);
    expectIds(await search({ ipKind: 'plant_variety' }), ['rice']);
    expectIds(await search({ q: '电池', field: 'new_energy', maturity: 'lab' }), ['solid']);
  });

  it('sorts by newest and by price', async () => {
    const newest = await search({ sort: 'newest' });
    expect(newest.items.map((i) => i.id)).toEqual([ids.solid, ids.software, ids.rice, ids.apart, ids.cathode]);
    const cheapest = await search({ sort: 'price_asc' });
    expect(cheapest.items.map((i) => i.askingPriceFen)).toEqual([
      12_000_000,
      30_000_000,
      80_000_000,
      150_000_000,
      null,
    ]);
  });

  it('pages with a total that does not depend on the page', async () => {
    const first = await search({ sort: 'newest', limit: 2, offset: 0 });
    const second = await search({ sort: 'newest', limit: 2, offset: 2 });
    const third = await search({ sort: 'newest', limit: 2, offset: 4 });
    const beyond = await search({ sort: 'newest', limit: 2, offset: 10 });
    expect([first.total, second.total, third.total, beyond.total]).toEqual([5, 5, 5, 5]);
    expect([first.items.length, second.items.length, third.items.length, beyond.items.length]).toEqual([2, 2, 1, 0]);
    const all = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(all).size).toBe(5);
  });

  it('counts the matches of a search paged past its last page', async () => {
    const beyond = await search({ q: '电池', offset: 500 });
    expect(beyond).toMatchObject({ total: 3, offset: 500, items: [] });
    const filtered = await search({ q: '电池', field: 'new_energy', minPriceFen: 1, offset: 40, limit: 10 });
    expect(filtered).toMatchObject({ total: 2, items: [] });
  });

  it('refuses an offset past the deepest page with a 400 naming it, on searches and packages', async () => {
    for (const [path, query] of [
      ['/api/v1/listings', { q: '电池' }],
      ['/api/v1/packages', {}],
    ] as const) {
      for (const offset of ['1e20', '9223372036854775807', '10001', '-1']) {
        const response = await http(api)
          .get(path)
          .query({ ...query, offset });
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['offset']);
      }
    }
    expect((await search({ q: '电池', offset: 10_000 })).total).toBe(3);
  });

  it('never shows drafts, submitted listings or private fields, not even to their seller', async () => {
    for (const as of [undefined, changsha]) {
      const found = await search({ q: CATHODE }, as);
      expectIds(found, ['cathode']);
      expect(found.items[0]).not.toHaveProperty('internalNote');
    }
  });

  it('answers bad parameters with a 400 naming them', async () => {
    const bad = await http(api).get('/api/v1/listings').query({ maturity: 'ancient', limit: 1000 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'maturity']);
    const range = await http(api).get('/api/v1/listings').query({ minPriceFen: 10, maxPriceFen: 5 });
    expect(range.status).toBe(400);
    expect(range.body.code).toBe('LISTING.PRICE_RANGE');
    const escaped = await search({ q: '100%_正极' });
    expect(escaped.total).toBe(0);
  });

  it('keeps a page until a listing changes, and never serves it past the change', async () => {
    const title = '工业互联网设备远程运维软件';
    const titles = async () => (await search({ q: '远程运维' })).items.map((i) => i.title);
    expect(await titles()).toEqual([title]);

    // Changed with triggers off, so the listing generation stays: the kept page is what is served.
    await env.query(`SET session_replication_role = replica`);
    await env.query(`UPDATE listing SET title = $2 WHERE id = $1`, [ids.software, `${title}（新版）`]);
    await env.query(`RESET session_replication_role`);
    expect(await titles()).toEqual([title]);

    // Any write to listing, even one to another column, raises the generation: the next search is fresh.
    await env.query(`UPDATE listing SET seller_name = seller_name WHERE id = $1`, [ids.software]);
    expect(await titles()).toEqual([`${title}（新版）`]);
    await env.query(`UPDATE listing SET title = $2 WHERE id = $1`, [ids.software, title]);
    expect(await titles()).toEqual([title]);
  });

  describe('achievement packages (科技成果包)', () => {
    it('lets an admin publish a dated package of public listings, which anyone can read', async () => {
      const published = await http(api)
        .post('/api/v1/packages')
        .set(bearer(admin))
        .send({
          title: '2026年新能源领域科技成果包',
          technicalField: 'new_energy',
          description: '面向储能与动力电池产业',
          issuedOn: '2026-11-20',
          listingIds: [ids.solid, ids.cathode],
        })
        .expect(201);
      expect(published.body).toMatchObject({ issuedOn: '2026-11-20', listingCount: 2 });
      expect(published.body.listings.map((l: { id: string }) => l.id)).toEqual([ids.solid, ids.cathode]);

      const list = await http(api).get('/api/v1/packages').query({ field: 'new_energy' }).expect(200);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0]).toMatchObject({ id: published.body.id, listingCount: 2 });
      const one = await http(api).get(`/api/v1/packages/${published.body.id}`).expect(200);
      expect(one.body.listings).toHaveLength(2);
      expect(one.body.listings[0]).not.toHaveProperty('internalNote');
    });

    it('dates a package issued without a date by the day in Hunan (Asia/Shanghai), from the clock', async () => {
      // 23:30 UTC is 07:30 the next morning in Changsha: the UTC date is still yesterday there.
      const now = clock.now();
      const lateUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 30);
      clock.advance(lateUtc - now.getTime());
      const hunanDay = new Date(lateUtc + 24 * 3600 * 1000).toISOString().slice(0, 10);
      const published = await http(api)
        .post('/api/v1/packages')
        .set(bearer(admin))
        .send({ title: '现代农业科技成果包', technicalField: 'modern_agriculture', listingIds: [ids.rice] })
        .expect(201);
      expect(published.body.issuedOn).toBe(hunanDay);
      const read = await http(api).get(`/api/v1/packages/${published.body.id}`).expect(200);
      expect(read.body.issuedOn).toBe(hunanDay);
    });

    it('lists the packages holding a listing while it is public (what its page shows)', async () => {
      const holding = async (listingId: string) =>
        (await http(api).get('/api/v1/packages').query({ listingId }).expect(200)).body;
      const cathode = await holding(ids.cathode);
      expect(cathode.items.map((p: { title: string }) => p.title)).toEqual(['2026年新能源领域科技成果包']);
      expect(cathode.total).toBe(1);
      expect((await holding(ids.rice)).items.map((p: { title: string }) => p.title)).toEqual(['现代农业科技成果包']);
      expect(await holding(ids.draft)).toEqual({ total: 0, items: [] });
      // With the field filter too: both must hold.
      const both = await http(api)
        .get('/api/v1/packages')
        .query({ listingId: ids.rice, field: 'new_energy' })
        .expect(200);
      expect(both.body.total).toBe(0);
      // A listing no longer public is in no package for anyone (as the package's own page hides it).
      const [{ status }] = await env.query<{ status: string }>(`SELECT status FROM listing WHERE id = $1`, [ids.rice]);
      await env.query(`UPDATE listing SET status = 'withdrawn' WHERE id = $1`, [ids.rice]);
      expect((await holding(ids.rice)).total).toBe(0);
      await env.query(`UPDATE listing SET status = $2 WHERE id = $1`, [ids.rice, status]);
      const bad = await http(api).get('/api/v1/packages').query({ listingId: 'not-a-uuid' }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['listingId']);
    });

    it('refuses a package holding a private listing, naming it, and refuses non-admins', async () => {
      const refused = await http(api)
        .post('/api/v1/packages')
        .set(bearer(admin))
        .send({ title: '含草稿的成果包', technicalField: 'new_energy', listingIds: [ids.cathode, ids.draft] });
      expect(refused.status).toBe(422);
      expect(refused.body.listingIds).toEqual([ids.draft]);
      await http(api)
        .post('/api/v1/packages')
        .set(bearer(changsha))
        .send({ title: '卖方自建成果包', technicalField: 'new_energy', listingIds: [ids.cathode] })
        .expect(403);
      await http(api).get('/api/v1/packages/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });
});
