import { SearchResultCache } from './search-result-cache';

describe('SearchResultCache', () => {
  const counter = () => {
    let calls = 0;
    return {
      compute: (value: string) => () => {
        calls++;
        return Promise.resolve(value);
      },
      calls: () => calls,
    };
  };

  it('serves a kept page while the generation stays', async () => {
    const cache = new SearchResultCache<string>(10);
    const searches = counter();
    expect(await cache.get(1, 'q=电池', searches.compute('first'))).toBe('first');
    expect(await cache.get(1, 'q=电池', searches.compute('second'))).toBe('first');
    expect(searches.calls()).toBe(1);
  });

  it('drops every page when the generation moves on', async () => {
    const cache = new SearchResultCache<string>(10);
    await cache.get(1, 'a', () => Promise.resolve('a1'));
    await cache.get(1, 'b', () => Promise.resolve('b1'));
    expect(await cache.get(2, 'a', () => Promise.resolve('a2'))).toBe('a2');
    expect(cache.size).toBe(1);
    expect(await cache.get(2, 'b', () => Promise.resolve('b2'))).toBe('b2');
  });

  it('serves but never keeps a page computed under an older generation', async () => {
    const cache = new SearchResultCache<string>(10);
    await cache.get(5, 'a', () => Promise.resolve('new'));
    expect(await cache.get(4, 'a', () => Promise.resolve('old'))).toBe('old');
    expect(await cache.get(5, 'a', () => Promise.resolve('again'))).toBe('new');
  });

  it('shares one search between concurrent callers of a page', async () => {
    const cache = new SearchResultCache<string>(10);
    let finish!: (value: string) => void;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const first = cache.get(1, 'a', slow);
    const second = cache.get(1, 'a', slow);
    finish('page');
    expect(await Promise.all([first, second])).toEqual(['page', 'page']);
    expect(calls).toBe(1);
  });

  it('forgets a failed search so the next caller tries again', async () => {
    const cache = new SearchResultCache<string>(10);
    await expect(cache.get(1, 'a', () => Promise.reject(new Error('connection lost')))).rejects.toThrow();
    expect(await cache.get(1, 'a', () => Promise.resolve('page'))).toBe('page');
  });

  it('lets the least recently used page go at capacity', async () => {
    const cache = new SearchResultCache<string>(2);
    await cache.get(1, 'a', () => Promise.resolve('a'));
    await cache.get(1, 'b', () => Promise.resolve('b'));
    await cache.get(1, 'a', () => Promise.resolve('a again')); // a is now the most recent
    await cache.get(1, 'c', () => Promise.resolve('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get(1, 'a', () => Promise.resolve('a recomputed'))).toBe('a');
    expect(await cache.get(1, 'b', () => Promise.resolve('b recomputed'))).toBe('b recomputed');
  });

  it('keeps nothing with a capacity of 0', async () => {
    const cache = new SearchResultCache<string>(0);
    await cache.get(1, 'a', () => Promise.resolve('first'));
    expect(await cache.get(1, 'a', () => Promise.resolve('second'))).toBe('second');
    expect(cache.size).toBe(0);
  });
});
