import { configured } from '../../testing/configured-thresholds';
import { contractUnderScreening } from '../screening-fixtures';
import type { ScreenedIpItem } from '../screening-input';
import { filingDateFromNumber, IpNotInForceRule, patentExpiry } from './ip-not-in-force.rule';

const rule = new IpNotInForceRule(configured.ipNotInForce);
const invention = (
  filingDate: string | null,
  number = 'ZL200610012345.6',
  legalStatus: ScreenedIpItem['legalStatus'] = 'granted',
): ScreenedIpItem => ({
  kind: 'invention_patent',
  number,
  filingDate,
  legalStatus,
});
const license = (ipItems: ScreenedIpItem[], validTo: string) =>
  contractUnderScreening({
    type: 'license',
    transferMode: 'non_exclusive_license',
    ipItems,
    validFrom: '2026-01-01',
    validTo,
  });

describe('IP not in force', () => {
  it('flags an invention patent whose 20-year term ends before the license does', () => {
    const finding = rule.check(license([invention('2006-03-10')], '2026-12-31'));
    expect(finding?.evidence[0]).toMatchObject({ kind: 'ip', expiresOn: '2026-03-09', filingDateFromNumber: false });
    expect(finding?.sentence.en).toContain('expires on 2026-03-09');
  });

  it('does not flag a patent in force until just after the contract ends', () => {
    expect(rule.check(license([invention('2006-03-10')], '2026-03-09'))).toBeNull();
  });

  it('falls back to the number’s year, counting from the year’s last day', () => {
    expect(filingDateFromNumber('ZL200610012345.6')).toBe('2006-12-31');
    expect(filingDateFromNumber('ZL98123456.X')).toBe('1998-12-31');
    expect(rule.check(license([invention(null)], '2026-12-30'))).toBeNull();
    expect(rule.check(license([invention(null)], '2027-01-01'))?.evidence[0]).toMatchObject({
      filingDateFromNumber: true,
      expiresOn: '2026-12-30',
    });
  });

  it('flags a lapsed or invalidated patent whatever its term', () => {
    expect(
      rule.check(license([invention('2024-01-01', 'ZL202410012345.1', 'lapsed')], '2026-12-31'))?.sentence.en,
    ).toContain('is lapsed');
    expect(
      rule.check(license([invention('2024-01-01', 'ZL202410012345.1', 'invalidated')], '2026-12-31')),
    ).not.toBeNull();
  });

  it('does not flag a pending application being transferred', () => {
    expect(rule.check(license([invention('2025-01-01', 'CN202510012345.1', 'pending')], '2026-12-31'))).toBeNull();
  });

  it('counts utility models at 10 years and designs at 10 or 15 by their filing date', () => {
    expect(
      patentExpiry({ kind: 'utility_model', number: null, filingDate: '2016-07-01', legalStatus: 'granted' }).expiresOn,
    ).toBe('2026-06-30');
    expect(
      patentExpiry({ kind: 'design', number: null, filingDate: '2021-05-31', legalStatus: 'granted' }).expiresOn,
    ).toBe('2031-05-30');
    expect(
      patentExpiry({ kind: 'design', number: null, filingDate: '2021-06-01', legalStatus: 'granted' }).expiresOn,
    ).toBe('2036-05-31');
    expect(
      patentExpiry({ kind: 'know_how', number: null, filingDate: null, legalStatus: 'granted' }).expiresOn,
    ).toBeNull();
  });
});
