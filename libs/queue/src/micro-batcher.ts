import { AsyncResource } from 'node:async_hooks';

export interface MicroBatcherOptions {
  /** A batch is handled as soon as it holds this many items. */
  maxSize: number;
  /** …or this long after its first item arrived, however many it holds. */
  maxWaitMs: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items added at about the same time — concurrent callers — into one call of `handle`, and
 * settles each caller's promise with its item's result (the result at its index). If `handle`
 * throws, every caller of that batch gets the error. Batches do not wait for each other: the next
 * one gathers while the previous is handled.
 *
 * `handle` runs outside the async context of whichever caller happened to open or fill the batch,
 * so a transaction (or any other async-local state) of one caller never leaks into the others'.
 */
export class MicroBatcher<I, O> {
  private pending: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly flushDetached: () => void;

  constructor(
    private readonly handle: (items: I[]) => Promise<O[]>,
    private readonly options: MicroBatcherOptions,
  ) {
    if (!(options.maxSize >= 1) || !(options.maxWaitMs >= 0)) {
      throw new Error(`A batch needs maxSize ≥ 1 and maxWaitMs ≥ 0 (got ${options.maxSize}, ${options.maxWaitMs})`);
    }
    this.flushDetached = AsyncResource.bind(() => this.flush());
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.flushDetached();
      else this.timer ??= setTimeout(this.flushDetached, this.options.maxWaitMs);
    });
  }

  /** Handles what has gathered now, without waiting (a full batch, or the wait is over). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    void this.settle(batch);
  }

  private async settle(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.handle(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`A batch of ${batch.length} items was handled into ${results.length} results`);
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
