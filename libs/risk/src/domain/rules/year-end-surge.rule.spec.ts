import { configured } from '../../testing/configured-thresholds';
import { addDays } from '../dates';
import { contractUnderScreening, neighbourhood, otherContract } from '../screening-fixtures';
import type { ContractSummary } from '../screening-input';
import { YearEndSurgeRule } from './year-end-surge.rule';

const rule = new YearEndSurgeRule(configured.yearEndSurge);
const { factor, yearEndDays } = configured.yearEndSurge;
const windowFrom = addDays('2026-12-31', -(yearEndDays - 1));

/** Twelve monthly sales of `monthlyFen` in the year before the window. */
function steadyHistory(monthlyFen: number): ContractSummary[] {
  return Array.from({ length: 12 }, (_, i) =>
    otherContract({
      contractId: `h${i}`,
      buyerOrgId: `buyer${i}`,
      techAmountFen: monthlyFen,
      amountFen: monthlyFen,
      signedOn: addDays(windowFrom, -15 - 30 * i),
    }),
  );
}
const pace = (monthlyFen: number) => (monthlyFen * 12 * yearEndDays) / 365;

describe('year-end surge', () => {
  it('flags a December contract far above the seller’s own pace', () => {
    const fen = Math.ceil(pace(10_000_000) * factor);
    const finding = rule.check(
      contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' }),
      neighbourhood({ partyContracts: steadyHistory(10_000_000) }),
    );
    expect(finding?.evidence[0]).toMatchObject({ kind: 'pace', windowFrom, windowTo: '2026-12-31', windowFen: fen });
    expect(finding?.sentence.en).toContain('last 45 days');
  });

  it('adds the seller’s earlier sales in the window', () => {
    const fen = Math.ceil((pace(10_000_000) * factor) / 2);
    const inWindow = otherContract({ contractId: 'w1', techAmountFen: fen, amountFen: fen, signedOn: '2026-12-01' });
    const c = contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' });
    expect(
      rule.check(c, neighbourhood({ partyContracts: [...steadyHistory(10_000_000), inWindow] }))?.evidence,
    ).toHaveLength(3);
    expect(rule.check(c, neighbourhood({ partyContracts: steadyHistory(10_000_000) }))).toBeNull();
  });

  it('does not flag a growing firm whose contracts are spread over the year', () => {
    const growing = Array.from({ length: 12 }, (_, i) =>
      otherContract({
        contractId: `g${i}`,
        techAmountFen: 10_000_000 * (1 + i / 6),
        signedOn: addDays(windowFrom, -15 - 30 * (11 - i)),
      }),
    );
    const fen = 10_000_000 * 3;
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' }),
        neighbourhood({ partyContracts: growing }),
      ),
    ).toBeNull();
  });

  it('does not flag a surge just under the factor', () => {
    const fen = Math.floor(pace(10_000_000) * factor * 0.9);
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' }),
        neighbourhood({ partyContracts: steadyHistory(10_000_000) }),
      ),
    ).toBeNull();
  });

  it('does not flag the same amount outside the year-end window', () => {
    const fen = Math.ceil(pace(10_000_000) * factor * 2);
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: addDays(windowFrom, -1) }),
        neighbourhood({ partyContracts: steadyHistory(10_000_000) }),
      ),
    ).toBeNull();
  });

  it('does not flag one ordinary sale of a seller that sells a few times a year', () => {
    const sparse = steadyHistory(10_000_000).slice(0, 3);
    const fen = 12_000_000;
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' }),
        neighbourhood({ partyContracts: sparse }),
      ),
    ).toBeNull();
    const surge = 10_000_000 * factor;
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: surge, amountFen: surge, signedOn: '2026-12-20' }),
        neighbourhood({ partyContracts: sparse }),
      )?.evidence[0],
    ).toMatchObject({ baselineFen: 10_000_000 });
  });

  it('gives no finding for a seller without enough history', () => {
    const fen = 900_000_000;
    expect(
      rule.check(
        contractUnderScreening({ techAmountFen: fen, amountFen: fen, signedOn: '2026-12-20' }),
        neighbourhood({ partyContracts: steadyHistory(10_000_000).slice(0, 1) }),
      ),
    ).toBeNull();
  });
});
