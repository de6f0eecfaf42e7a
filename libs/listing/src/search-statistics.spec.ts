import { roundEstimate } from './listing-search.service';
import { SearchStatistics } from './search-statistics';

describe('search statistics', () => {
  const statistics = new SearchStatistics(
    [
      { day: '2026-11-29', listings: 100 },
      { day: '2026-11-28', listings: 300 },
      { day: '2026-11-20', listings: 600 },
    ],
    new Map([
      ['电池', 0.07],
      ['锂电', 0.03],
    ]),
  );

  it('estimates the matches of a query from its rarest common token, and a token it does not list as rare', () => {
    expect(statistics.estimateMatches(['电池'])).toBeCloseTo(70);
    expect(statistics.estimateMatches(['电池', '锂电'])).toBeCloseTo(30);
    expect(statistics.estimateMatches(['电池', 'zl2023'])).toBe(0);
    expect(statistics.estimateMatches([])).toBe(1000);
  });

  it('takes the newest days holding enough listings, every day up to the day after today', () => {
    expect(statistics.newestDays(50, '2026-11-29')).toEqual({
      tokens: ['d:2026-11-29', 'd:2026-11-30'],
      listings: 100,
    });
    // A day after the figures were read (the clock's today) is covered as well.
    expect(statistics.newestDays(150, '2026-12-01')?.tokens).toEqual([
      'd:2026-11-28',
      'd:2026-11-29',
      'd:2026-11-30',
      'd:2026-12-01',
      'd:2026-12-02',
    ]);
  });

  it('gives up days when the page needs every day', () => {
    expect(statistics.newestDays(401, '2026-11-29')).toBeNull();
    expect(new SearchStatistics([], new Map()).newestDays(1, '2026-11-29')).toBeNull();
  });

  it('rounds an estimated total to two significant figures', () => {
    expect(roundEstimate(7036)).toBe(7000);
    expect(roundEstimate(2345)).toBe(2300);
    expect(roundEstimate(487.4)).toBe(490);
    expect(roundEstimate(42.6)).toBe(43);
  });
});
