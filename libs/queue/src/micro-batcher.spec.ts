import { AsyncLocalStorage } from 'node:async_hooks';
import { MicroBatcher } from './micro-batcher';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MicroBatcher', () => {
  it('handles concurrent items in one call and gives each caller the result at its index', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, string>(
      async (items) => {
        calls.push(items);
        return items.map((n) => `#${n}`);
      },
      { maxSize: 10, maxWaitMs: 5 },
    );
    const results = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    expect(results).toEqual(['#1', '#2', '#3']);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('handles a full batch at once, without waiting for the timer', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        return items;
      },
      { maxSize: 2, maxWaitMs: 60_000 },
    );
    const started = Date.now();
    await expect(Promise.all([1, 2, 3, 4].map((n) => batcher.add(n)))).resolves.toEqual([1, 2, 3, 4]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('handles a lone item after the wait', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        return items;
      },
      { maxSize: 50, maxWaitMs: 20 },
    );
    const result = batcher.add(7);
    await tick(5);
    expect(calls).toEqual([]);
    await expect(result).resolves.toBe(7);
    expect(calls).toEqual([[7]]);
  });

  it('fails every caller of a failed batch, and only that batch', async () => {
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error('unlucky batch');
        return items;
      },
      { maxSize: 2, maxWaitMs: 5 },
    );
    const first = [batcher.add(1), batcher.add(13)];
    const second = [batcher.add(2), batcher.add(3)];
    const settled = await Promise.allSettled([...first, ...second]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[0] as PromiseRejectedResult).reason).toEqual(new Error('unlucky batch'));
  });

  it('fails every caller when the handler returns a result count that does not match', async () => {
    const batcher = new MicroBatcher<number, number>(async (items) => items.slice(1), { maxSize: 2, maxWaitMs: 5 });
    const settled = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
  });

  it('gathers the next batch while the previous one is still being handled', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        calls.push(items);
        if (items[0] === 1) await gate;
        return items;
      },
      { maxSize: 2, maxWaitMs: 5 },
    );
    const first = Promise.all([batcher.add(1), batcher.add(2)]);
    await tick(1);
    await expect(Promise.all([batcher.add(3), batcher.add(4)])).resolves.toEqual([3, 4]);
    release();
    await expect(first).resolves.toEqual([1, 2]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('runs the handler outside the async context of the caller that opened or filled the batch', async () => {
    const store = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const batcher = new MicroBatcher<number, number>(
      async (items) => {
        seen.push(store.getStore());
        return items;
      },
      { maxSize: 2, maxWaitMs: 5 },
    );
    await store.run('caller a', () => Promise.all([batcher.add(1), store.run('caller b', () => batcher.add(2))]));
    await store.run('caller c', () => batcher.add(3));
    expect(seen).toEqual([undefined, undefined]);
  });

  it('refuses a batch size below one', () => {
    expect(() => new MicroBatcher(async (items: number[]) => items, { maxSize: 0, maxWaitMs: 5 })).toThrow(/maxSize/);
  });
});
