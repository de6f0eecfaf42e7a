import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '@market/config';
import { preparedQuery } from '@market/database';
import { likePattern, needsRecheck, parseQuery } from './domain/search-text';
import { ListingPage, ListingSearchQuery } from './dto/search.dto';
import { Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { toListingView } from './listing-views';
import { SearchResultCache } from './search-result-cache';

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

@Injectable()
export class ListingSearchService {
  private readonly pages: SearchResultCache<ListingPage>;

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    config: AppConfig,
  ) {
    this.pages = new SearchResultCache(config.listing.searchCacheEntries);
  }

  /**
   * A search reads every listing that matches (to rank and count them), which costs milliseconds
   * when thousands match, while listings change rarely next to how often buyers search. So pages
   * are kept until any listing changes: the listing generation (raised by a trigger on every
   * write to `listing`, in the writer's transaction) is read first, and a page kept under it is
   * exactly what the search would return now.
   */
  async search(query: ListingSearchQuery): Promise<ListingPage> {
    if (query.minPriceFen !== undefined && query.maxPriceFen !== undefined && query.minPriceFen > query.maxPriceFen) {
      throw ListingErrors.priceRange();
    }
    const [{ n }] = await preparedQuery<{ n: string }>(
      this.txHost.tx,
      'listing-generation',
      'SELECT n FROM listing_generation',
      [],
    );
    return this.pages.get(Number(n), pageKey(query), () => this.searchDatabase(query));
  }

  /**
   * One statement over `listing_search` (the searchable listings' search columns, kept in step by
   * a trigger on `listing`): the token array narrows candidates through its GIN index, LIKE
   * confirms the terms the tokens do not imply, filters apply; the matches are ranked and counted
   * on their sort keys, and only the page's rows are read in full from `listing`.
   */
  private async searchDatabase(query: ListingSearchQuery): Promise<ListingPage> {
    // `listing_search` holds the searchable listings only (announced or open), so no status filter.
    const where = ['true'];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const parsed = query.q ? parseQuery(query.q) : null;
    if (parsed) {
      where.push(`l.search_tokens @> ${param(parsed.tokens)}::text[]`);
      // Short CJK terms and words are implied by their tokens; only the others are confirmed.
      const recheck = parsed.substrings.filter(needsRecheck);
      if (recheck.length) where.push(`l.search_text LIKE ALL(${param(recheck.map(likePattern))})`);
    }
    if (query.field) where.push(`l.technical_field = ${param(query.field)}`);
    if (query.maturity) where.push(`l.maturity = ${param(query.maturity)}`);
    if (query.pricingMode) where.push(`l.pricing_mode = ${param(query.pricingMode)}`);
    if (query.region) where.push(`l.region_code LIKE ${param(regionPrefix(query.region) + '%')}`);
    if (query.minPriceFen !== undefined) where.push(`l.asking_price_fen >= ${param(query.minPriceFen)}`);
    if (query.maxPriceFen !== undefined) where.push(`l.asking_price_fen <= ${param(query.maxPriceFen)}`);
    if (query.ipKind) where.push(`l.ip_kinds @> ARRAY[${param(query.ipKind)}]::text[]`);
    // The parameters the WHERE clause uses come first, so the count beyond the last page binds only them.
    const whereParams = params.length;
    const patterns = parsed ? param(parsed.substrings.map(likePattern)) : undefined;

    const sort = query.sort ?? (parsed ? 'relevance' : 'newest');
    const sortKeys = {
      // A term in the title ranks above a term only in the summary; then the newest first.
      relevance: patterns ? ['in_title DESC', 'approved_at DESC'] : ['approved_at DESC'],
      newest: ['approved_at DESC'],
      price_asc: ['asking_price_fen ASC NULLS LAST'],
      price_desc: ['asking_price_fen DESC NULLS LAST'],
    }[sort];
    const orderBy = (alias?: string) => [...sortKeys, 'id'].map((key) => (alias ? `${alias}.${key}` : key)).join(', ');
    const inTitle = patterns ? `l.title_text LIKE ALL(${patterns})` : 'false';

    // One pass over the matches ranks and counts them on their sort keys alone; the public columns
    // are read from `listing` for the page's rows only.
    const sql = `WITH page AS (
         SELECT l.id, ${inTitle} AS in_title, l.approved_at, l.asking_price_fen, count(*) OVER () AS total
           FROM listing_search l
          WHERE ${where.join(' AND ')}
          ORDER BY ${orderBy()}
          LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}
       )
       SELECT ${PUBLIC_COLUMNS}, m.total
         FROM page m JOIN listing l ON l.id = m.id
        ORDER BY ${orderBy('m')}`;
    // One prepared statement per shape of search (which filters, which sort): planned once per connection.
    const rows = await preparedQuery<Record<string, unknown>>(this.txHost.tx, statementName(sql), sql, params);
    const total = rows.length
      ? Number(rows[0].total)
      : await this.countBeyondPage(where, params.slice(0, whereParams), query);
    return { total, limit: query.limit, offset: query.offset, items: rows.map((row) => toListingView(fromRow(row))) };
  }

  /** An offset past the last match returns no row to carry the window count; count separately. */
  private async countBeyondPage(where: string[], params: unknown[], query: ListingSearchQuery): Promise<number> {
    if (query.offset === 0) return 0;
    const [{ count }] = await this.txHost.tx.query(
      `SELECT count(*)::int AS count FROM listing_search l WHERE ${where.join(' AND ')}`,
      params,
    );
    return count as number;
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
  });
}
