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

  it('weighs the filters by the shares of their values, so a filtered walk is sized for the matches it keeps', () => {
    const filtered = new SearchStatistics(
      statistics.days,
      new Map(),
      new Map([
        [
          'technical_field',
          {
            values: new Map([
              ['new_energy', 0.2],
              ['agriculture', 0.05],
            ]),
            nullShare: 0,
          },
        ],
        [
          'region_code',
          {
            values: new Map([
              ['430104', 0.1],
              ['430111', 0.3],
              ['430211', 0.2],
            ]),
            nullShare: 0,
          },
        ],
        ['asking_price_fen', { values: new Map(), nullShare: 0.25, bounds: [0, 100, 200, 300] }],
      ]),
    );
    expect(filtered.filterShare({})).toBe(1);
    expect(filtered.filterShare({ field: 'new_energy' })).toBeCloseTo(0.2);
    // A value not listed counts as rare as the rarest listed one.
    expect(filtered.filterShare({ field: 'materials' })).toBeCloseTo(0.05);
    // A city takes its counties' shares; two filters multiply.
    expect(filtered.filterShare({ regionPrefix: '4301', field: 'new_energy' })).toBeCloseTo(0.4 * 0.2);
    // A price range keeps the priced listings within it: a ceiling above every price, all priced ones.
    expect(filtered.filterShare({ maxPriceFen: 1_000 })).toBeCloseTo(0.75);
    expect(filtered.filterShare({ minPriceFen: 150, maxPriceFen: 1_000 })).toBeCloseTo(0.75 * 0.5);
    // A column without statistics keeps every listing.
    expect(filtered.filterShare({ maturity: 'industrialized' })).toBe(1);
  });

  it('rounds an estimated total to two significant figures', () => {
    expect(roundEstimate(7036)).toBe(7000);
    expect(roundEstimate(2345)).toBe(2300);
    expect(roundEstimate(487.4)).toBe(490);
    expect(roundEstimate(42.6)).toBe(43);
  });
});
