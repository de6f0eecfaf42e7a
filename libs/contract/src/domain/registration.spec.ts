import {
  decisionWorkingDays,
  FOURTEEN_DIGITS,
  moveRegistration,
  officeForRegion,
  RegistrationStatus,
} from './registration';

describe('registration rules', () => {
  it('formats the 14-digit number: year, province, city, point, serial', () => {
    expect(
      FOURTEEN_DIGITS.format({ year: 2026, provinceCode: '43', cityCode: '01', registrationPoint: '02', serial: 123 }),
    ).toBe('26430102000123');
    expect(() =>
      FOURTEEN_DIGITS.format({
        year: 2026,
        provinceCode: '43',
        cityCode: '01',
        registrationPoint: '02',
        serial: 1_000_000,
      }),
    ).toThrow('overflowed');
  });

  it('sends an application to the office of the exact region, else of its city, else of its province', () => {
    const coverage = new Map([
      ['430104', 'yuelu'],
      ['430100', 'changsha'],
      ['430000', 'hunan'],
    ]);
    expect(officeForRegion('430104', coverage)).toBe('yuelu');
    expect(officeForRegion('430105', coverage)).toBe('changsha');
    expect(officeForRegion('430211', coverage)).toBe('hunan');
    expect(officeForRegion('440300', coverage)).toBeNull();
  });

  it('gives 15 working days, 30 from 5,000,000 yuan of technology amount or for a disputed case', () => {
    const settings = { decisionWorkingDays: 15, extendedWorkingDays: 30, extendedAmountFen: 500_000_000 };
    expect(decisionWorkingDays(499_999_999, false, settings)).toBe(15);
    expect(decisionWorkingDays(500_000_000, false, settings)).toBe(30);
    expect(decisionWorkingDays(1, true, settings)).toBe(30);
  });

  it('lets a refused application be reviewed again (an upheld objection) but never a registered one', () => {
    const refused = { status: RegistrationStatus.Refused };
    moveRegistration(refused, RegistrationStatus.UnderReview, 'be reviewed again');
    expect(refused.status).toBe(RegistrationStatus.UnderReview);
    expect(() =>
      moveRegistration({ status: RegistrationStatus.Registered }, RegistrationStatus.UnderReview, 'x'),
    ).toThrow('registered');
  });
});
