import { DataSource } from 'typeorm';
import { postgresOptions } from '@market/database';
import { Role } from '@market/identity';
import { documentTokens, ListingStatus, searchDocument } from '@market/listing';
import { SearchWalk1764000002000 } from '../libs/database/src/migrations/1764000002000-search-walk';
import { generateListing, LISTING_INSERT_COLUMNS, listingRow, seededRandom } from '../tools/listing-generator';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { announce, verifyOrganization } from './support/listings';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

interface Page {
  total: number;
  totalIsExact: boolean;
  items: { id: string; title: string }[];
}

/**
 * Searches matching hundreds of listings walk the matches newest day first instead of ranking
 * them all: the pages must be exactly what ranking every match gives, and the total an estimate.
 */
describe('listing search over many matches', () => {
  let env: TestEnvironment;
  let api: Api;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  const LISTINGS = 2_400;
  const MINUTE = 60_000;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({ clock });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '储能研究院' });
    await verifyOrganization(api, admin, seller.organizationId);

    // A third of the listings say 储能 in the title, a third only in the summary; one approved
    // every seven minutes, the newest first, over the last twelve days.
    const random = seededRandom(7);
    const now = clock.now().getTime();
    const owner = { organizationId: seller.organizationId, name: '储能研究院', userId: seller.userId };
    for (let start = 0; start < LISTINGS; start += 400) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let serial = start; serial < start + 400; serial++) {
        const listing = generateListing(random, serial);
        if (serial % 3 === 0) listing.title = `储能${listing.title}`;
        if (serial % 3 === 1) listing.summary = `${listing.summary} 可用于储能电站。`;
        listing.searchText = searchDocument(listing);
        listing.searchTokens = documentTokens(listing.searchText);
        const row = listingRow(listing, owner, ListingStatus.Open, new Date(now - (serial * 7 + 1) * MINUTE));
        tuples.push(`(${row.map((_, n) => `$${values.length + n + 1}`).join(', ')})`);
        values.push(...row);
      }
      await env.query(`INSERT INTO listing (${LISTING_INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    }
    // The element statistics a search plans with, as autovacuum would have gathered them.
    await env.query('ANALYZE listing_search');
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const search = async (query: Record<string, string | number>): Promise<Page> =>
    (await http(api).get('/api/v1/listings').query(query).expect(200)).body as Page;

  /** What ranking every match gives: title matches first (relevance), then the newest. */
  const ranked = async (tokens: string[], titlePattern: string | null, limit: number, offset: number) => {
    const rows = await env.query<{ id: string }>(
      `SELECT id FROM listing_search
        WHERE search_tokens @> $1::text[]
        ORDER BY ${titlePattern ? 'title_text LIKE $4 DESC,' : ''} approved_at DESC, id
        LIMIT $2 OFFSET $3`,
      titlePattern ? [tokens, limit, offset, titlePattern] : [tokens, limit, offset],
    );
    return rows.map((row) => row.id);
  };
  const countOf = async (tokens: string[]) =>
    Number(
      (
        await env.query<{ n: string }>(`SELECT count(*) AS n FROM listing_search WHERE search_tokens @> $1::text[]`, [
          tokens,
        ])
      )[0].n,
    );

  const expectAbout = (page: Page, exact: number) => {
    expect(page.totalIsExact).toBe(false);
    expect(page.total).toBeGreaterThanOrEqual(exact * 0.6);
    expect(page.total).toBeLessThanOrEqual(exact * 1.4);
  };

  it('ranks title matches first, then the newest, exactly as ranking every match would, on every page', async () => {
    const exact = await countOf(['储能']);
    expect(exact).toBe(LISTINGS * (2 / 3));
    for (const [offset, limit] of [
      [0, 20],
      [20, 20],
      [300, 40],
    ]) {
      const page = await search({ q: '储能', offset, limit });
      expect(page.items.map((i) => i.id)).toEqual(await ranked(['储能'], '%储能%', limit, offset));
      expectAbout(page, exact);
    }
    // A page deep enough to need every day ranks every match, and counts them exactly.
    const deep = await search({ q: '储能', offset: 1_500, limit: 50 });
    expect(deep.items.map((i) => i.id)).toEqual(await ranked(['储能'], '%储能%', 50, 1_500));
    expect(deep).toMatchObject({ total: exact, totalIsExact: true });
  });

  it('walks a term that no title holds in newest order, with an estimated total', async () => {
    const exact = await countOf(['key']);
    expect(exact).toBe(LISTINGS);
    const page = await search({ q: 'key', offset: 40 });
    expect(page.items.map((i) => i.id)).toEqual(await ranked(['key'], '%key%', 20, 40));
    expectAbout(page, exact);
  });

  it('walks a search filtered by price exactly as ranking every filtered match would, with an estimated total', async () => {
    const minPriceFen = 20_000_000;
    const filtered = async (limit: number, offset: number) =>
      (
        await env.query<{ id: string }>(
          `SELECT id FROM listing_search
            WHERE search_tokens @> ARRAY['储能'] AND asking_price_fen >= $3
            ORDER BY title_text LIKE '%储能%' DESC, approved_at DESC, id
            LIMIT $1 OFFSET $2`,
          [limit, offset, minPriceFen],
        )
      ).map((row) => row.id);
    const [{ n }] = await env.query<{ n: string }>(
      `SELECT count(*) AS n FROM listing_search WHERE search_tokens @> ARRAY['储能'] AND asking_price_fen >= $1`,
      [minPriceFen],
    );
    for (const [offset, limit] of [
      [0, 20],
      [40, 30],
    ]) {
      const page = await search({ q: '储能', minPriceFen, offset, limit });
      expect(page.items.map((i) => i.id)).toEqual(await filtered(limit, offset));
      expectAbout(page, Number(n));
    }
  });

  it('sorts newest first without a term, and with one', async () => {
    const browse = await search({ sort: 'newest', limit: 30 });
    expect(browse.items.map((i) => i.id)).toEqual(await ranked([], null, 30, 0));
    expectAbout(browse, LISTINGS);
    const newest = await search({ q: '储能', sort: 'newest', offset: 10 });
    expect(newest.items.map((i) => i.id)).toEqual(await ranked(['储能'], null, 20, 10));
  });

  it('counts exactly when few listings match, and when sorting by price', async () => {
    const [{ number }] = await env.query<{ number: string }>(
      `SELECT ip_items->0->>'number' AS number FROM listing ORDER BY approved_at DESC LIMIT 1`,
    );
    expect(await search({ q: number })).toMatchObject({ total: 1, totalIsExact: true });
    const byPrice = await search({ q: '储能', sort: 'price_asc' });
    expect(byPrice).toMatchObject({ total: LISTINGS * (2 / 3), totalIsExact: true });
  });

  it('finds a listing approved after the search statistics were read, first among the newest', async () => {
    await search({ q: '储能' }); // the statistics are read by now
    clock.advanceDays(3); // a day the statistics have never seen
    const id = await announce(api, seller, admin, {
      title: '储能电站热管理系统',
      summary: '面向储能电站的液冷热管理系统。',
    });
    const page = await search({ q: '储能' });
    expect(page.items[0].id).toBe(id);
    expect(page.items.map((i) => i.id)).toEqual(await ranked(['储能'], '%储能%', 20, 0));
  });

  it('reverts the day and title tokens cleanly, and adds them again', async () => {
    const dataSource = await new DataSource(postgresOptions(env.databaseUrl, 1)).initialize();
    const runner = dataSource.createQueryRunner();
    const extraTokens = async () =>
      Number(
        (
          await env.query<{ n: string }>(
            `SELECT count(*) AS n FROM listing_search, unnest(search_tokens) t WHERE t LIKE 'd:%' OR t LIKE 't:%'`,
          )
        )[0].n,
      );
    try {
      const migration = new SearchWalk1764000002000();
      await migration.down(runner);
      expect(await extraTokens()).toBe(0);
      // Without the day tokens no day holds a match: the search ranks every match instead.
      const page = await search({ q: '储能', limit: 30 });
      expect(page.items.map((i) => i.id)).toEqual(await ranked(['储能'], '%储能%', 30, 0));
      await migration.up(runner);
      expect(await extraTokens()).toBeGreaterThan(LISTINGS * 10);
      expect((await search({ q: '储能', limit: 25 })).totalIsExact).toBe(false);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
  });
});
