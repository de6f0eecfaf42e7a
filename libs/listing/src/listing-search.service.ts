import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ListingStatus } from './domain/listing-state';
import { likePattern, needsRecheck, parseQuery } from './domain/search-text';
import { ListingPage, ListingSearchQuery } from './dto/search.dto';
import { Listing } from './entities/listing.entity';
import { ListingErrors } from './listing.errors';
import { toListingView } from './listing-views';

/** What buyers search: listings being announced or open. Drafts and private fields never appear. */
const SEARCHABLE = [ListingStatus.Announced, ListingStatus.Open];

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
]
  .map((c) => `l.${c}`)
  .join(', ');

/** 430000 → 43 (a province), 430100 → 4301 (a city), 430104 → 430104 (a county). */
function regionPrefix(code: string): string {
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

@Injectable()
export class ListingSearchService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * One statement over `listing_search` (the searchable listings' search columns, kept in step by
   * a trigger on `listing`): the token array narrows candidates through its GIN index, LIKE
   * confirms the terms the tokens do not imply, filters apply; the matches are ranked and counted
   * on their sort keys, and only the page's rows are read in full from `listing`.
   */
  async search(query: ListingSearchQuery): Promise<ListingPage> {
    if (query.minPriceFen !== undefined && query.maxPriceFen !== undefined && query.minPriceFen > query.maxPriceFen) {
      throw ListingErrors.priceRange();
    }
    const where = ['l.status = ANY($1)'];
    const params: unknown[] = [SEARCHABLE];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const parsed = query.q ? parseQuery(query.q) : null;
    let patterns: string | undefined;
    if (parsed) {
      patterns = param(parsed.substrings.map(likePattern));
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

    const sort = query.sort ?? (parsed ? 'relevance' : 'newest');
    const orderBy = {
      // A term in the title ranks above a term only in the summary; then the newest first.
      relevance: patterns ? 'm.in_title DESC, m.approved_at DESC' : 'm.approved_at DESC',
      newest: 'm.approved_at DESC',
      price_asc: 'm.asking_price_fen ASC NULLS LAST',
      price_desc: 'm.asking_price_fen DESC NULLS LAST',
    }[sort];
    const inTitle = patterns ? `l.title_text LIKE ALL(${patterns})` : 'false';

    // Ranking and counting carry only the sort keys of each match, so thousands of matches sort in
    // memory; the public columns are read for the page alone.
    const rows: Record<string, unknown>[] = await this.txHost.tx.query(
      `WITH m AS (
         SELECT l.id, ${inTitle} AS in_title, l.approved_at, l.asking_price_fen
           FROM listing_search l
          WHERE ${where.join(' AND ')}
       ), page AS (
         SELECT m.* FROM m
          ORDER BY ${orderBy}, m.id
          LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}
       )
       SELECT ${PUBLIC_COLUMNS}, (SELECT count(*) FROM m) AS total
         FROM page m JOIN listing l ON l.id = m.id
        ORDER BY ${orderBy}, m.id`,
      params,
    );
    const total = rows.length ? Number(rows[0].total) : await this.countBeyondPage(where, params, query);
    return { total, limit: query.limit, offset: query.offset, items: rows.map((row) => toListingView(fromRow(row))) };
  }

  /** An offset past the last match returns no row to carry the window count; count separately. */
  private async countBeyondPage(where: string[], params: unknown[], query: ListingSearchQuery): Promise<number> {
    if (query.offset === 0) return 0;
    const [{ count }] = await this.txHost.tx.query(
      `SELECT count(*)::int AS count FROM listing_search l WHERE ${where.join(' AND ')}`,
      params.slice(0, params.length - 2),
    );
    return count as number;
  }
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
  });
}
