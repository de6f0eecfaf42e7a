import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening, neighbourhood, otherContract } from '../screening-fixtures';
import type { ScreenedIpItem, ScreenedTransferMode } from '../screening-input';
import { DoubleSaleRule } from './double-sale.rule';

const rule = new DoubleSaleRule(configured.doubleSale);
const PATENT = 'ZL202310123456.7';
const ip: ScreenedIpItem = {
  kind: 'invention_patent',
  number: PATENT,
  filingDate: '2023-01-05',
  legalStatus: 'granted',
};
const screened = (transferMode: ScreenedTransferMode, validFrom = '2026-06-10', validTo = '2028-06-09') =>
  contractUnderScreening({
    type: transferMode === 'assignment' ? 'transfer' : 'license',
    transferMode,
    ipItems: [ip],
    signedOn: validFrom,
    validFrom,
    validTo,
  });
const earlier = (transferMode: ScreenedTransferMode, validFrom: string, validTo: string, overrides = {}) =>
  otherContract({
    contractId: 'first',
    buyerOrgId: 'first-buyer',
    transferMode,
    ipNumbers: [PATENT],
    signedOn: validFrom,
    validFrom,
    validTo,
    ...overrides,
  });

describe('double sale', () => {
  it('flags the same patent assigned twice by the same seller', () => {
    const finding = rule.check(
      screened('assignment'),
      neighbourhood({ ipContracts: [earlier('assignment', '2025-01-01', '2025-12-31')] }),
    );
    expect(finding?.evidence.map((e) => (e.kind === 'contract' ? e.contractId : null))).toEqual([
      'c-screened',
      'first',
    ]);
    expect(finding?.sentence.zh).toContain(PATENT);
  });

  it('flags two exclusive licenses with overlapping terms', () => {
    expect(
      rule.check(
        screened('exclusive_license'),
        neighbourhood({ ipContracts: [earlier('exclusive_license', '2025-06-10', '2026-06-10')] }),
      ),
    ).not.toBeNull();
  });

  it('does not flag sequential non-overlapping licenses', () => {
    expect(
      rule.check(
        screened('exclusive_license'),
        neighbourhood({ ipContracts: [earlier('exclusive_license', '2024-06-10', '2026-06-09')] }),
      ),
    ).toBeNull();
  });

  it('does not flag an exclusive license next to non-exclusive ones', () => {
    expect(
      rule.check(
        screened('exclusive_license'),
        neighbourhood({ ipContracts: [earlier('non_exclusive_license', '2025-06-10', '2027-06-10')] }),
      ),
    ).toBeNull();
  });

  it('does not flag the buyer of an assignment selling the patent on', () => {
    expect(
      rule.check(
        screened('assignment'),
        neighbourhood({
          ipContracts: [
            earlier('assignment', '2025-01-01', '2025-12-31', { sellerOrgId: 'previous-owner', buyerOrgId: 'seller' }),
          ],
        }),
      ),
    ).toBeNull();
  });

  it('flags an exclusive license of a patent the seller had already assigned away', () => {
    expect(
      rule.check(
        screened('exclusive_license'),
        neighbourhood({ ipContracts: [earlier('assignment', '2025-01-01', '2025-12-31')] }),
      ),
    ).not.toBeNull();
  });

  it('does not flag a different patent', () => {
    expect(
      rule.check(
        screened('assignment'),
        neighbourhood({
          ipContracts: [earlier('assignment', '2025-01-01', '2025-12-31', { ipNumbers: ['ZL202310999999.1'] })],
        }),
      ),
    ).toBeNull();
  });
});
