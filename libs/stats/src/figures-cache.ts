import { LRUCache } from 'lru-cache';

/**
 * Answers kept by one api process under the statistics generation they were computed at (migration
 * `1764000050002-stats-generation`; the same scheme as the listing search's pages). A caller reads the
 * generation first and passes it in, so whatever it computes is at least as new as that generation:
 * when the generation moves on, every kept answer is dropped at once. Kept as promises, so
 * concurrent callers of one answer share a single query; a failed one is forgotten.
 */
export class FiguresCache<T> {
  private generation = 0;
  private readonly answers: LRUCache<string, Promise<T>> | null;

  constructor(capacity: number) {
    this.answers = capacity > 0 ? new LRUCache<string, Promise<T>>({ max: capacity }) : null;
  }

  /** False with a capacity of 0: nothing is kept, so a caller need not read the generation. */
  get keeps(): boolean {
    return this.answers !== null;
  }

  get(generation: number, key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.answers || generation < this.generation) return compute();
    if (generation > this.generation) {
      this.answers.clear();
      this.generation = generation;
    }
    const kept = this.answers.get(key);
    if (kept) return kept;
    const answer = compute();
    this.answers.set(key, answer);
    const answers = this.answers;
    answer.catch(() => {
      if (answers.peek(key) === answer) answers.delete(key);
    });
    return answer;
  }
}

/** Raises the statistics generation in the caller's transaction: kept answers are dropped when it commits. */
export const RAISE_STATS_GENERATION = 'UPDATE stats_generation SET n = n + 1';
export const READ_STATS_GENERATION = 'SELECT n FROM stats_generation';
