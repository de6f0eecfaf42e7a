/**
 * Search pages kept by one api process, under the listing generation they were computed at (see
 * migration `1764000000800-listing-generation`). A caller reads the generation first and passes
 * it in, so whatever it computes is at least as new as that generation: when the generation
 * moves on, every kept page is dropped at once.
 *
 * Kept as promises, so concurrent callers of one page share a single search; a failed search is
 * forgotten. At capacity the least recently used page goes.
 */
export class SearchResultCache<T> {
  private generation = 0;
  private readonly pages = new Map<string, Promise<T>>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.pages.size;
  }

  get(generation: number, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.capacity === 0 || generation < this.generation) {
      // A caller that read the generation before a newer one was seen: its page may be older than
      // the kept ones, so it is served but not kept.
      return compute();
    }
    if (generation > this.generation) {
      this.pages.clear();
      this.generation = generation;
    }
    const kept = this.pages.get(key);
    if (kept) {
      this.pages.delete(key);
      this.pages.set(key, kept);
      return kept;
    }
    const page = compute();
    if (this.pages.size >= this.capacity) this.pages.delete(this.pages.keys().next().value as string);
    this.pages.set(key, page);
    page.catch(() => {
      if (this.pages.get(key) === page) this.pages.delete(key);
    });
    return page;
  }
}
