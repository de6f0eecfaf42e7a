import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood } from '../screening-fixtures';
import type { ComparableDeal } from '../screening-input';
import { PriceAnomalyRule } from './price-anomaly.rule';

const rule = new PriceAnomalyRule(configured.priceAnomaly);
const { minComparables, minRatio } = configured.priceAnomaly;

/** Comparables around 1,000,000 yuan, spread ±30 % multiplicatively, plus one wild outlier. */
function comparables(n: number): ComparableDeal[] {
  return Array.from({ length: n }, (_, i) => ({
    contractId: `k${i}`,
    number: `2643010200${String(i).padStart(4, '0')}`,
    techAmountFen: i === 0 ? 9_000_000_000 : Math.round(100_000_000 * Math.exp(0.3 * Math.sin(i * 1.7))),
    signedOn: `2026-0${1 + (i % 5)}-15`,
  }));
}

describe('price anomaly', () => {
  it('flags a price far above comparable deals, with the median and the deals compared', () => {
    const finding = rule.check(
      contractUnderScreening({ techAmountFen: 100_000_000 * minRatio * 2, amountFen: 600_000_000 }),
      neighbourhood({ comparables: comparables(20) }),
    );
    expect(finding?.evidence[0]).toMatchObject({ kind: 'price', comparables: 20 });
    expect(finding?.evidence.filter((e) => e.kind === 'comparable')).toHaveLength(10);
    expect(finding?.sentence.en).toMatch(/above the median/);
  });

  it('flags a price far below', () => {
    const finding = rule.check(
      contractUnderScreening({ techAmountFen: Math.round(100_000_000 / (minRatio * 2)) }),
      neighbourhood({ comparables: comparables(20) }),
    );
    expect(finding?.sentence.zh).toContain('低于');
  });

  it('is not moved by an outlier among the comparables (a mean would be)', () => {
    const price = rule.check(
      contractUnderScreening({ techAmountFen: 100_000_000 }),
      neighbourhood({ comparables: comparables(20) }),
    );
    expect(price).toBeNull();
  });

  it('does not flag a price just under the ratio threshold even with a tight market', () => {
    const tight = Array.from({ length: 20 }, (_, i) => ({
      contractId: `t${i}`,
      number: null,
      techAmountFen: 100_000_000 + i,
      signedOn: '2026-01-01',
    }));
    const justUnder = Math.floor(100_000_000 * minRatio * 0.9);
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: justUnder, amountFen: justUnder }),
        neighbourhood({ comparables: tight }),
      ),
    ).toBeNull();
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: 100_000_010 * minRatio, amountFen: 400_000_000 }),
        neighbourhood({ comparables: tight }),
      ),
    ).not.toBeNull();
  });

  it('does not flag a high ratio in a market whose prices spread widely (robust z below threshold)', () => {
    const wide = Array.from({ length: 20 }, (_, i) => ({
      contractId: `w${i}`,
      number: null,
      techAmountFen: Math.round(100_000_000 * Math.exp(((i % 10) - 4.5) * 0.6)),
      signedOn: '2026-01-01',
    }));
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: 100_000_000 * minRatio * 1.5, amountFen: 500_000_000 }),
        neighbourhood({ comparables: wide }),
      ),
    ).toBeNull();
  });

  it('gives no finding with too few comparables', () => {
    const few = comparables(minComparables - 1);
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: 100_000_000 * minRatio * 5, amountFen: 600_000_000 }),
        neighbourhood({ comparables: few }),
      ),
    ).toBeNull();
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: 100_000_000 * minRatio * 5, amountFen: 600_000_000 }),
        neighbourhood({ comparables: comparables(minComparables) }),
      ),
    ).not.toBeNull();
  });
});
