import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '@market/config';
import { preparedQuery } from '@market/database';
import { Clock } from '@market/clock';
import { likePattern, needsRecheck, parseQuery, SearchQuery } from './domain/search-text';
import { ListingView } from './dto/listing.dto';
import { ListingPage, ListingSearchQuery } from './dto/search.dto';
import { Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { toListingView } from './listing-views';
import { SearchResultCache } from './search-result-cache';
import { SearchStatistics, utcDay } from './search-statistics';

/** The columns a search returns: the public ones (no internal note, no search columns). */
const PUBLIC_COLUMNS = [
  'id',
  'organization_id',
  'seller_name',
  'title',
  'summary',
  'technical_field',
  'maturity',
  'ip_items',
  'transfer_modes',
  'pricing_mode',
  'asking_price_fen',
  'region_code',
  'status',
  'approved_at',
  'announcement_ends_at',
  'announcement_paused_at',
  'opened_at',
  'listing_period_ends_at',
  'auction_id',
  'open_negotiations',
]
  .map((c) => `l.${c}`)
  .join(', ');

/** 430000 → 43 (a province), 430100 → 4301 (a city), 430104 → 430104 (a county). */
function regionPrefix(code: string): string {
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

/** What makes one search page differ from another: every field of the query, in a fixed order. */
function pageKey(query: ListingSearchQuery): string {
  const { q, field, maturity, pricingMode, region, minPriceFen, maxPriceFen, ipKind, sort, limit, offset } = query;
  return JSON.stringify([
    q,
    field,
    maturity,
    pricingMode,
    region,
    minPriceFen,
    maxPriceFen,
    ipKind,
    sort,
    limit,
    offset,
  ]);
}

/**
 * At about this many matches (as estimated) a search stops ranking and counting every match: it
 * walks the matches newest day first, reads only as many days as its page needs, and estimates the
 * total. Below it, every match is ranked and the total is exact.
 */
export const WALK_FROM_MATCHES = 300;

/** How often a process re-reads its search statistics (days, token frequencies). */
const STATISTICS_TTL_MS = 60_000;

type Sort = 'relevance' | 'newest' | 'price_asc' | 'price_desc';

/** A search's WHERE clause over `listing_search l`, its parameters, and what it needs to rank. */
class SearchStatement {
  readonly params: unknown[] = [];
  readonly where: string[] = ['true'];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

function matchWhere(
  statement: SearchStatement,
  query: ListingSearchQuery,
  parsed: SearchQuery | null,
  tokens?: string[],
) {
  const { where } = statement;
  if (parsed) {
    where.push(`l.search_tokens @> ${statement.param(tokens ?? parsed.tokens)}::text[]`);
    // Short CJK terms and words are implied by their tokens; only the others are confirmed.
    const recheck = parsed.substrings.filter(needsRecheck);
    if (recheck.length) where.push(`l.search_text LIKE ALL(${statement.param(recheck.map(likePattern))})`);
  }
  if (query.field) where.push(`l.technical_field = ${statement.param(query.field)}`);
  if (query.maturity) where.push(`l.maturity = ${statement.param(query.maturity)}`);
  if (query.pricingMode) where.push(`l.pricing_mode = ${statement.param(query.pricingMode)}`);
  if (query.region) where.push(`l.region_code LIKE ${statement.param(regionPrefix(query.region) + '%')}`);
  if (query.minPriceFen !== undefined) where.push(`l.asking_price_fen >= ${statement.param(query.minPriceFen)}`);
  if (query.maxPriceFen !== undefined) where.push(`l.asking_price_fen <= ${statement.param(query.maxPriceFen)}`);
  if (query.ipKind) where.push(`l.ip_kinds @> ARRAY[${statement.param(query.ipKind)}]::text[]`);
}

const SORT_KEYS: Record<Sort, string[]> = {
  // A term in the title ranks above a term only in the summary; then the newest first.
  relevance: ['in_title DESC', 'approved_at DESC'],
  newest: ['approved_at DESC'],
  price_asc: ['asking_price_fen ASC NULLS LAST'],
  price_desc: ['asking_price_fen DESC NULLS LAST'],
};

function orderBy(sort: Sort, parsed: SearchQuery | null, alias?: string): string {
  const keys = sort === 'relevance' && !parsed ? SORT_KEYS.newest : SORT_KEYS[sort];
  return [...keys, 'id'].map((key) => (alias ? `${alias}.${key}` : key)).join(', ');
}

/** 7,036 → 7,000; 2,345 → 2,300: an estimate does not pretend to more digits than it has. */
export function roundEstimate(estimate: number): number {
  if (estimate < 100) return Math.round(estimate);
  const unit = 10 ** (Math.floor(Math.log10(estimate)) - 1);
  return Math.round(estimate / unit) * unit;
}

@Injectable()
export class ListingSearchService {
  private readonly pages: SearchResultCache<ListingPage>;
  private statistics?: { readAt: number; value: Promise<SearchStatistics>; refreshing: boolean };

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.pages = new SearchResultCache(config.listing.searchCacheEntries);
  }

  /**
   * Listings change rarely next to how often buyers search, so pages are kept until any listing
   * changes: the listing generation (raised by a trigger on every write to `listing`, in the
   * writer's transaction) is read first, and a page kept under it is exactly what the search
   * would return now. With nothing kept (`SEARCH_CACHE_ENTRIES=0`) the generation is not read.
   */
  async search(query: ListingSearchQuery): Promise<ListingPage> {
    if (query.minPriceFen !== undefined && query.maxPriceFen !== undefined && query.minPriceFen > query.maxPriceFen) {
      throw ListingErrors.priceRange();
    }
    if (!this.pages.keeps) return this.searchDatabase(query);
    const [{ n }] = await preparedQuery<{ n: string }>(
      this.txHost.tx,
      'listing-generation',
      'SELECT n FROM listing_generation',
      [],
    );
    return this.pages.get(Number(n), pageKey(query), () => this.searchDatabase(query));
  }

  /**
   * Searches `listing_search` (the searchable listings' search columns, kept in step by a trigger on
   * `listing`). A search that matches many listings, by relevance or newest first, walks the newest
   * days (`walk`); any other ranks and counts every match (`rankAll`).
   */
  private async searchDatabase(query: ListingSearchQuery): Promise<ListingPage> {
    const parsed = query.q ? parseQuery(query.q) : null;
    const sort: Sort = query.sort ?? (parsed ? 'relevance' : 'newest');
    if (sort === 'relevance' || sort === 'newest') {
      const statistics = await this.currentStatistics();
      const filterShare = statistics.filterShare({
        field: query.field,
        maturity: query.maturity,
        pricingMode: query.pricingMode,
        regionPrefix: query.region === undefined ? undefined : regionPrefix(query.region),
        minPriceFen: query.minPriceFen,
        maxPriceFen: query.maxPriceFen,
      });
      if (statistics.estimateMatches(parsed?.tokens ?? []) * filterShare >= WALK_FROM_MATCHES) {
        const walked = await this.walk(query, parsed, sort, statistics, filterShare);
        if (walked) return walked;
      }
    }
    return this.rankAll(query, parsed, sort);
  }

  /**
   * The matches in rank order without reading them all: relevance and newest both order by
   * approval time (title matches first for relevance), so the matches approved on the newest days
   * come first. The GIN index gives the matches of a set of days (their `d:` tokens, see migration
   * `1764000002000-search-walk`) without visiting older ones; the walk takes enough of the newest
   * days for the page, and more (four times as many listings) until the page is complete:
   *
   * - newest: the days hold at least offset + limit matches;
   * - relevance: they hold that many title matches, or at least that many matches and every title
   *   match there is (counted once through the `t:` tokens: usually none, for English terms on
   *   Chinese titles).
   *
   * The total is then estimated from the share of matches among the days' listings. Null when the
   * estimate is under WALK_FROM_MATCHES (counted exactly instead) or the page needs every day.
   */
  private async walk(
    query: ListingSearchQuery,
    parsed: SearchQuery | null,
    sort: 'relevance' | 'newest',
    statistics: SearchStatistics,
    filterShare: number,
  ): Promise<ListingPage | null> {
    const need = query.offset + query.limit;
    const expected = statistics.estimateMatches(parsed?.tokens ?? []) * filterShare;
    const byRelevance = sort === 'relevance' && parsed !== null;
    const expectedTitles = byRelevance
      ? statistics.estimateMatches(parsed.tokens.map((t) => `t:${t}`)) * filterShare
      : 0;
    // Title matches that are rare (English terms on Chinese titles) are counted in the same
    // statement, through the `t:` tokens: the page then needs no title match outside the days.
    const countTitles = byRelevance && expectedTitles < need;
    // When title matches are common, a relevance page is made of title matches alone: the days
    // are sized for a page of those, not of matches, or the walk would read them twice.
    const pageRate = byRelevance && !countTitles ? expectedTitles : expected;
    let listings = Math.ceil((2 * need * statistics.listings) / pageRate);
    let titleMatches: number | undefined;
    for (;;) {
      const days = statistics.newestDays(listings, utcDay(this.clock.now()));
      if (!days) return null;
      const slice = await this.slice(query, parsed, sort, days.tokens, need, countTitles);
      titleMatches ??= slice.allTitles;
      // Fewer matches than the page needs: too few days for the page, and for an estimate. The
      // filters the statistics do not know of made the matches rarer than expected: read enough
      // more days for one and a half pages at the rate seen.
      if (slice.total < need) {
        listings = Math.ceil(listings * Math.min(16, Math.max(2, (1.5 * need) / Math.max(slice.total, need / 16))));
        continue;
      }
      const estimate = (slice.total / days.listings) * statistics.listings;
      if (estimate < WALK_FROM_MATCHES) return null;
      // Title matches that, at the rate seen on these days, run to a page or more over every day:
      // counting them all costs more than reading enough more days for a page of them.
      const titlesFillAPage =
        titleMatches === undefined && (slice.titles / days.listings) * statistics.listings >= 2 * need;
      if (parsed && sort === 'relevance' && slice.titles < need && titlesFillAPage) {
        listings = Math.ceil(listings * Math.min(16, Math.max(2, (1.5 * need) / Math.max(slice.titles, need / 16))));
        continue;
      }
      const complete =
        sort === 'newest' ||
        !parsed ||
        slice.titles >= need ||
        (titleMatches ??= await this.countTitleMatches(query, parsed)) === slice.titles;
      if (complete) {
        return {
          total: roundEstimate(estimate),
          totalIsExact: false,
          limit: query.limit,
          offset: query.offset,
          items: slice.page,
        };
      }
      listings *= 4;
    }
  }

  /**
   * The first `need` matches of some days in rank order, how many match on those days and how many
   * of those in the title, and the public columns of the rows past the offset (the page, should
   * these days be enough).
   */
  private async slice(
    query: ListingSearchQuery,
    parsed: SearchQuery | null,
    sort: 'relevance' | 'newest',
    days: string[],
    need: number,
    countTitles: boolean,
  ): Promise<{ total: number; titles: number; allTitles?: number; page: ListingView[] }> {
    const statement = new SearchStatement();
    matchWhere(statement, query, parsed);
    statement.where.push(`l.search_tokens && ${statement.param(days)}::text[]`);
    const inTitle = parsed ? `l.title_text LIKE ALL(${statement.param(parsed.substrings.map(likePattern))})` : 'false';
    const allTitles = countTitles && parsed ? `(${this.titleMatchesSql(statement, query, parsed)})` : 'NULL::int';
    const sql = `WITH s AS (
         SELECT l.id, ${inTitle} AS in_title, l.approved_at,
                count(*) OVER () AS total, count(*) FILTER (WHERE ${inTitle}) OVER () AS titles
           FROM listing_search l
          WHERE ${statement.where.join(' AND ')}
          ORDER BY ${orderBy(sort, parsed)}
          LIMIT ${statement.param(need)}
       ), ranked AS (
         SELECT s.*, row_number() OVER (ORDER BY ${orderBy(sort, parsed, 's')}) AS rank FROM s
       )
       SELECT ranked.total, ranked.titles, ${allTitles} AS all_titles, ${PUBLIC_COLUMNS}
         FROM ranked LEFT JOIN listing l ON l.id = ranked.id AND ranked.rank > ${statement.param(query.offset)}
        ORDER BY ranked.rank`;
    const rows = await preparedQuery<Record<string, unknown>>(
      this.txHost.tx,
      statementName(sql),
      sql,
      statement.params,
    );
    return {
      total: rows.length ? Number(rows[0].total) : 0,
      titles: rows.length ? Number(rows[0].titles) : 0,
      allTitles: rows.length && rows[0].all_titles !== null ? Number(rows[0].all_titles) : undefined,
      page: rows.filter((row) => row.id !== null).map((row) => toListingView(fromRow(row))),
    };
  }

  /** How many matches hold every term in the title, through the `t:` tokens of the GIN index. */
  private async countTitleMatches(query: ListingSearchQuery, parsed: SearchQuery): Promise<number> {
    const statement = new SearchStatement();
    const sql = this.titleMatchesSql(statement, query, parsed);
    const [{ n }] = await preparedQuery<{ n: number }>(this.txHost.tx, statementName(sql), sql, statement.params);
    return n;
  }

  /** The statement counting the title matches, its parameters added to `outer`'s. */
  private titleMatchesSql(outer: SearchStatement, query: ListingSearchQuery, parsed: SearchQuery): string {
    const statement = new SearchStatement();
    statement.params.push(...outer.params);
    matchWhere(statement, query, parsed, [...parsed.tokens, ...parsed.tokens.map((token) => `t:${token}`)]);
    statement.where.push(`l.title_text LIKE ALL(${statement.param(parsed.substrings.map(likePattern))})`);
    outer.params.splice(0, outer.params.length, ...statement.params);
    return `SELECT count(*)::int AS n FROM listing_search l WHERE ${statement.where.join(' AND ')}`;
  }

  /**
   * One statement ranks every match and counts them all (`count(*) OVER ()`) on their sort keys
   * alone, and reads only the page's rows in full from `listing`: the total is exact.
   */
  private async rankAll(query: ListingSearchQuery, parsed: SearchQuery | null, sort: Sort): Promise<ListingPage> {
    const statement = new SearchStatement();
    matchWhere(statement, query, parsed);
    // The parameters the WHERE clause uses come first, so the count beyond the last page binds only them.
    const whereParams = statement.params.length;
    const inTitle = parsed ? `l.title_text LIKE ALL(${statement.param(parsed.substrings.map(likePattern))})` : 'false';
    const where = statement.where.join(' AND ');
    const sql = `WITH page AS (
         SELECT l.id, ${inTitle} AS in_title, l.approved_at, l.asking_price_fen, count(*) OVER () AS total
           FROM listing_search l
          WHERE ${where}
          ORDER BY ${orderBy(sort, parsed)}
          LIMIT ${statement.param(query.limit)} OFFSET ${statement.param(query.offset)}
       )
       SELECT ${PUBLIC_COLUMNS}, m.total
         FROM page m JOIN listing l ON l.id = m.id
        ORDER BY ${orderBy(sort, parsed, 'm')}`;
    // One prepared statement per shape of search (which filters, which sort): planned once per connection.
    const rows = await preparedQuery<Record<string, unknown>>(
      this.txHost.tx,
      statementName(sql),
      sql,
      statement.params,
    );
    const total = rows.length
      ? Number(rows[0].total)
      : await this.countBeyondPage(where, statement.params.slice(0, whereParams), query);
    return {
      total,
      totalIsExact: true,
      limit: query.limit,
      offset: query.offset,
      items: rows.map((row) => toListingView(fromRow(row))),
    };
  }

  /** An offset past the last match returns no row to carry the window count; count separately. */
  private async countBeyondPage(where: string, params: unknown[], query: ListingSearchQuery): Promise<number> {
    if (query.offset === 0) return 0;
    const [{ count }] = await this.txHost.tx.query(
      `SELECT count(*)::int AS count FROM listing_search l WHERE ${where}`,
      params,
    );
    return count as number;
  }

  /**
   * This process's search statistics, read again once they are a minute old; meanwhile the old
   * ones serve (they only plan searches). The first search of a process waits for them.
   */
  private currentStatistics(): Promise<SearchStatistics> {
    const now = performance.now();
    const current = this.statistics;
    if (current && (current.refreshing || now - current.readAt < STATISTICS_TTL_MS)) return current.value;
    const value = this.readStatistics();
    if (!current) {
      this.statistics = { readAt: now, value, refreshing: false };
      value.catch(() => (this.statistics = undefined));
      return value;
    }
    current.refreshing = true;
    value.then(
      () => (this.statistics = { readAt: now, value, refreshing: false }),
      () => (current.refreshing = false),
    );
    return current.value;
  }

  private async readStatistics(): Promise<SearchStatistics> {
    const days = await this.txHost.tx.query<{ day: string; listings: number }[]>(
      `SELECT to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS listings
         FROM listing_search WHERE approved_at IS NOT NULL
        GROUP BY 1 ORDER BY 1 DESC`,
    );
    const frequencies = await this.txHost.tx.query<{ token: string; frequency: number }[]>(
      `SELECT u.token, u.frequency
         FROM pg_stats s,
              unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(token, frequency)
        WHERE s.schemaname = current_schema() AND s.tablename = 'listing_search'
          AND s.attname = 'search_tokens' AND u.token IS NOT NULL`,
    );
    const columns = await this.txHost.tx.query<
      { column: string; vals: string[] | null; freqs: number[] | null; null_share: number; bounds: string[] | null }[]
    >(
      `SELECT s.attname AS column, s.most_common_vals::text::text[] AS vals, s.most_common_freqs AS freqs,
              s.null_frac AS null_share,
              CASE WHEN s.attname = 'asking_price_fen' THEN s.histogram_bounds::text::text[] END AS bounds
         FROM pg_stats s
        WHERE s.schemaname = current_schema() AND s.tablename = 'listing_search'
          AND s.attname IN ('technical_field', 'maturity', 'pricing_mode', 'region_code', 'asking_price_fen')`,
    );
    return new SearchStatistics(
      days,
      new Map(frequencies.map((f) => [f.token, Number(f.frequency)])),
      new Map(
        columns.map((c) => [
          c.column,
          {
            values: new Map((c.vals ?? []).map((value, i) => [value, Number(c.freqs?.[i] ?? 0)])),
            nullShare: Number(c.null_share),
            bounds: c.bounds?.map(Number),
          },
        ]),
      ),
    );
  }
}

function statementName(sql: string): string {
  return `listing-search-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
}

function fromRow(row: Record<string, unknown>): Listing {
  const date = (value: unknown) => (value ? new Date(value as string) : null);
  return Object.assign(new Listing(), {
    id: row.id,
    organizationId: row.organization_id,
    sellerName: row.seller_name,
    title: row.title,
    summary: row.summary,
    technicalField: row.technical_field,
    maturity: row.maturity,
    ipItems: row.ip_items,
    transferModes: row.transfer_modes,
    pricingMode: row.pricing_mode,
    askingPriceFen: row.asking_price_fen === null ? null : Number(row.asking_price_fen),
    regionCode: row.region_code,
    status: row.status,
    approvedAt: date(row.approved_at),
    announcementEndsAt: date(row.announcement_ends_at),
    announcementPausedAt: date(row.announcement_paused_at),
    openedAt: date(row.opened_at),
    listingPeriodEndsAt: date(row.listing_period_ends_at),
    auctionId: (row.auction_id as string | null) ?? null,
    openNegotiations: Number(row.open_negotiations ?? 0),
  });
}
