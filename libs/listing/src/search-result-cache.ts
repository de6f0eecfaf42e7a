import { LRUCache } from 'lru-cache';

/**
 * Search pages kept by one api process, under the listing generation they were computed at (see
 * migration `1764000000800-listing-generation`). A caller reads the generation first and passes
 * it in, so whatever it computes is at least as new as that generation: when the generation
 * moves on, every kept page is dropped at once.
 *
 * Kept as promises, so concurrent callers of one page share a single search; a failed search is
 * forgotten. At capacity the least recently used page goes (`lru-cache`).
 */
export class SearchResultCache<T> {
  private generation = 0;
  private readonly pages: LRUCache<string, Promise<T>> | null;

  constructor(capacity: number) {
    // lru-cache needs a positive size; a capacity of 0 keeps nothing.
    this.pages = capacity > 0 ? new LRUCache<string, Promise<T>>({ max: capacity }) : null;
  }

  /** False with a capacity of 0: nothing is kept, so a caller need not read the generation. */
  get keeps(): boolean {
    return this.pages !== null;
  }

  get size(): number {
    return this.pages?.size ?? 0;
  }

  get(generation: number, key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.pages || generation < this.generation) {
      // A caller that read the generation before a newer one was seen: its page may be older than
      // the kept ones, so it is served but not kept.
      return compute();
    }
    if (generation > this.generation) {
      this.pages.clear();
      this.generation = generation;
    }
    const kept = this.pages.get(key); // also marks it the most recently used
    if (kept) return kept;
    const page = compute();
    this.pages.set(key, page);
    const pages = this.pages;
    page.catch(() => {
      if (pages.peek(key) === page) pages.delete(key);
    });
    return page;
  }
}
