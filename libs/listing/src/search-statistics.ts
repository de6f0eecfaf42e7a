/**
 * What one api process knows about the searchable listings, to plan a search (never to answer
 * one): how many were approved on each UTC day, and how often the common tokens occur (the element
 * statistics PostgreSQL keeps of `listing_search.search_tokens`). Read at most once a minute; a
 * stale figure only makes a search walk more or fewer days, never changes what it returns.
 */
export interface DayCount {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  listings: number;
}

/**
 * What PostgreSQL's statistics say of one filtered column of `listing_search`: its most common
 * values and their shares, the share of nulls, and (for prices) the bounds of its histogram.
 */
export interface ColumnStatistics {
  values: ReadonlyMap<string, number>;
  nullShare: number;
  bounds?: readonly number[];
}

/** The filters of a search that the statistics can weigh (the others count as keeping every match). */
export interface SearchFilters {
  field?: string;
  maturity?: string;
  pricingMode?: string;
  /** A region code's prefix: `43` for a province, `4301` for a city. */
  regionPrefix?: string;
  minPriceFen?: number;
  maxPriceFen?: number;
}

export class SearchStatistics {
  /** Searchable listings in all. */
  readonly listings: number;

  constructor(
    /** Newest day first. */
    readonly days: readonly DayCount[],
    private readonly tokenFrequencies: ReadonlyMap<string, number>,
    /** By column name: `technical_field`, `maturity`, `pricing_mode`, `region_code`, `asking_price_fen`. */
    private readonly columns: ReadonlyMap<string, ColumnStatistics> = new Map(),
  ) {
    this.listings = days.reduce((sum, d) => sum + d.listings, 0);
  }

  /**
   * About which share of listings the filters keep, each filter taken as independent of the others
   * and of the terms. A value the statistics do not list counts as rare as the rarest listed one; a
   * column without statistics keeps every listing. A walk sized with it reads the days its page
   * needs at once, where sizing for the terms alone would read too few days and walk again.
   */
  filterShare(filters: SearchFilters): number {
    let share = 1;
    const equal = (column: string, value: string | undefined) => {
      const stats = this.columns.get(column);
      if (value === undefined || !stats || stats.values.size === 0) return;
      share *= stats.values.get(value) ?? Math.min(...stats.values.values());
    };
    equal('technical_field', filters.field);
    equal('maturity', filters.maturity);
    equal('pricing_mode', filters.pricingMode);
    const regions = this.columns.get('region_code');
    if (filters.regionPrefix !== undefined && regions && regions.values.size) {
      let inRegion = 0;
      for (const [code, frequency] of regions.values) if (code.startsWith(filters.regionPrefix)) inRegion += frequency;
      share *= inRegion || Math.min(...regions.values.values());
    }
    const prices = this.columns.get('asking_price_fen');
    if ((filters.minPriceFen !== undefined || filters.maxPriceFen !== undefined) && prices) {
      share *= 1 - prices.nullShare;
      const bounds = prices.bounds ?? [];
      if (bounds.length > 1) {
        const min = filters.minPriceFen ?? -Infinity;
        const max = filters.maxPriceFen ?? Infinity;
        const inRange = bounds.filter((bound) => bound >= min && bound <= max).length;
        share *= Math.max(inRange, 1) / bounds.length;
      }
    }
    return share;
  }

  /**
   * About how many listings carry every token: the rarest token's frequency times the listings.
   * A token the statistics do not list as common counts as rare (0). No token: every listing.
   */
  estimateMatches(tokens: readonly string[]): number {
    if (tokens.length === 0) return this.listings;
    const rarest = Math.min(...tokens.map((t) => this.tokenFrequencies.get(t) ?? 0));
    return rarest * this.listings;
  }

  /**
   * The newest days holding at least `listings` listings in all, as `d:` tokens from the oldest of
   * them up to `until` (a day after the newest one known, or the clock's day, whichever is later),
   * so a listing approved since the figures were read is never left out. Null when that takes
   * every day.
   */
  newestDays(listings: number, today: string): { tokens: string[]; listings: number } | null {
    let sum = 0;
    let index = 0;
    while (index < this.days.length && sum < listings) sum += this.days[index++].listings;
    if (index >= this.days.length) return null;
    const from = this.days[index - 1].day;
    const newest = this.days[0].day > today ? this.days[0].day : today;
    const tokens: string[] = [];
    for (let day = from; day <= nextDay(newest); day = nextDay(day)) tokens.push(`d:${day}`);
    return tokens.length > MAX_DAY_TOKENS ? null : { tokens, listings: sum };
  }
}

/** Past this many days a walk reads every match instead: the index would look up too many lists. */
const MAX_DAY_TOKENS = 400;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` of an instant, UTC: the day of the `d:` tokens. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
