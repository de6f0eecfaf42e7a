import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood, otherContract, party } from '../screening-fixtures';
import { RoundTripRule } from './round-trip.rule';

const rule = new RoundTripRule(configured.roundTrip);
const { amountTolerancePercent: tol, windowDays } = configured.roundTrip;
const screened = contractUnderScreening({
  seller: party('a'),
  buyer: party('b'),
  amountFen: 100_000_000,
  signedOn: '2026-06-10',
});

describe('round trips', () => {
  it('flags B→A earlier of a similar amount when A→B is screened', () => {
    const back = otherContract({
      contractId: 'back',
      sellerOrgId: 'b',
      buyerOrgId: 'a',
      sellerName: 'B',
      buyerName: 'A',
      amountFen: 100_000_000 * (1 - tol / 100),
      signedOn: '2026-02-01',
    });
    const finding = rule.check(screened, neighbourhood({ partyContracts: [back] }));
    expect(finding?.evidence.map((e) => (e.kind === 'contract' ? e.contractId : null))).toEqual(['c-screened', 'back']);
    expect(finding?.sentence.en).toContain('a 有限公司 → b 有限公司 → A');
  });

  it('flags a cycle of three parties A→B, B→C, C→A', () => {
    const legs = [
      otherContract({
        contractId: 'bc',
        sellerOrgId: 'b',
        buyerOrgId: 'c',
        buyerName: 'C',
        amountFen: 95_000_000,
        signedOn: '2026-04-01',
      }),
      otherContract({
        contractId: 'ca',
        sellerOrgId: 'c',
        buyerOrgId: 'a',
        buyerName: 'A',
        amountFen: 98_000_000,
        signedOn: '2026-05-01',
      }),
    ];
    expect(rule.check(screened, neighbourhood({ partyContracts: legs }))?.evidence).toHaveLength(3);
  });

  it('does not flag an honest renewal: A→B again a year later', () => {
    const earlier = otherContract({
      contractId: 'renewed',
      sellerOrgId: 'a',
      buyerOrgId: 'b',
      amountFen: 100_000_000,
      signedOn: '2025-06-10',
    });
    expect(rule.check(screened, neighbourhood({ partyContracts: [earlier] }))).toBeNull();
  });

  it('does not flag a way back whose amount differs by more than the tolerance', () => {
    const back = otherContract({
      contractId: 'back',
      sellerOrgId: 'b',
      buyerOrgId: 'a',
      amountFen: Math.floor(100_000_000 * (1 - (tol * 1.1) / 100)),
      signedOn: '2026-02-01',
    });
    expect(rule.check(screened, neighbourhood({ partyContracts: [back] }))).toBeNull();
  });

  it('does not flag a way back signed outside the window', () => {
    const back = otherContract({ contractId: 'back', sellerOrgId: 'b', buyerOrgId: 'a', signedOn: '2025-06-09' });
    expect(windowDays).toBe(365);
    expect(rule.check(screened, neighbourhood({ partyContracts: [back] }))).toBeNull();
  });

  it('does not flag a chain that does not come back to A', () => {
    const legs = [
      otherContract({ contractId: 'bc', sellerOrgId: 'b', buyerOrgId: 'c', signedOn: '2026-04-01' }),
      otherContract({ contractId: 'cd', sellerOrgId: 'c', buyerOrgId: 'd', signedOn: '2026-05-01' }),
    ];
    expect(rule.check(screened, neighbourhood({ partyContracts: legs }))).toBeNull();
  });
});
