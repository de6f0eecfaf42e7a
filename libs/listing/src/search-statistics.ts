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

export class SearchStatistics {
  /** Searchable listings in all. */
  readonly listings: number;

  constructor(
    /** Newest day first. */
    readonly days: readonly DayCount[],
    private readonly tokenFrequencies: ReadonlyMap<string, number>,
  ) {
    this.listings = days.reduce((sum, d) => sum + d.listings, 0);
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
