import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood, otherContract } from '../screening-fixtures';
import { AmountSplittingRule } from './amount-splitting.rule';

const rule = new AmountSplittingRule(configured.amountSplitting);
const { thresholdFen: T, marginPercent, windowDays, minContracts } = configured.amountSplitting;
const under = Math.round(T * 0.95);
const screened = contractUnderScreening({ amountFen: under, techAmountFen: under, signedOn: '2026-06-10' });
const part = (id: string, signedOn: string, fen = under) =>
  otherContract({ contractId: id, amountFen: fen, techAmountFen: fen, signedOn });

describe('amount splitting', () => {
  it('flags several contracts between the same parties, each just under the threshold, in a short window', () => {
    expect(minContracts).toBe(3);
    const finding = rule.check(
      screened,
      neighbourhood({ partyContracts: [part('p1', '2026-05-01'), part('p2', '2026-05-20')] }),
    );
    expect(finding?.evidence.map((e) => (e.kind === 'contract' ? e.contractId : null))).toEqual([
      'p1',
      'p2',
      'c-screened',
    ]);
    expect(finding?.sentence.en).toMatch(/3 contracts/);
  });

  it('does not flag too few parts', () => {
    expect(rule.check(screened, neighbourhood({ partyContracts: [part('p1', '2026-05-01')] }))).toBeNull();
  });

  it('does not flag an honest renewal: the same contract again a year later', () => {
    expect(
      rule.check(screened, neighbourhood({ partyContracts: [part('y1', '2025-06-10'), part('y2', '2024-06-10')] })),
    ).toBeNull();
  });

  it('does not flag parts signed just outside the window', () => {
    const outside = windowDays + Math.ceil(windowDays * 0.1);
    const day = (n: number) => new Date(Date.UTC(2026, 5, 10) - n * 86_400_000).toISOString().slice(0, 10);
    expect(
      rule.check(screened, neighbourhood({ partyContracts: [part('p1', day(outside)), part('p2', day(outside + 5))] })),
    ).toBeNull();
    expect(
      rule.check(
        screened,
        neighbourhood({ partyContracts: [part('p1', day(windowDays)), part('p2', day(windowDays - 5))] }),
      ),
    ).not.toBeNull();
  });

  it('does not flag amounts below the band just under the threshold, nor at the threshold', () => {
    const low = Math.floor(T * (1 - (marginPercent * 1.1) / 100));
    const lowScreened = contractUnderScreening({ amountFen: low, techAmountFen: low, signedOn: '2026-06-10' });
    expect(
      rule.check(
        lowScreened,
        neighbourhood({ partyContracts: [part('p1', '2026-05-01', low), part('p2', '2026-05-20', low)] }),
      ),
    ).toBeNull();
    const at = contractUnderScreening({ amountFen: T, techAmountFen: T, signedOn: '2026-06-10' });
    expect(
      rule.check(at, neighbourhood({ partyContracts: [part('p1', '2026-05-01'), part('p2', '2026-05-20')] })),
    ).toBeNull();
  });

  it('does not count contracts with another buyer', () => {
    const elsewhere = [part('p1', '2026-05-01'), { ...part('p2', '2026-05-20'), buyerOrgId: 'someone-else' }];
    expect(rule.check(screened, neighbourhood({ partyContracts: elsewhere }))).toBeNull();
  });
});
