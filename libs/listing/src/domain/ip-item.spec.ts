import { filingDateProblem, IpKind, ipNumberProblem, patentCheckCharacter, patentFilingYear } from './ip-item';

describe('IP numbers', () => {
  it('computes the check character of a 12-digit patent number', () => {
    // 2·2+0·3+2·4+3·5+1·6+0·7+1·8+2·9+3·2+4·3+5·4+6·5 = 127; 127 mod 11 = 6
    expect(patentCheckCharacter('202310123456')).toBe('6');
  });

  it('accepts a valid invention patent number with or without its prefix', () => {
    expect(ipNumberProblem(IpKind.InventionPatent, 'ZL202310123456.6')).toBeNull();
    expect(ipNumberProblem(IpKind.InventionPatent, '202310123456.6')).toBeNull();
  });

  it('refuses a wrong check character', () => {
    expect(ipNumberProblem(IpKind.InventionPatent, 'ZL202310123456.7')).toMatch(/expected 6/);
  });

  it('refuses a number whose type digit belongs to another kind', () => {
    expect(ipNumberProblem(IpKind.UtilityModel, 'ZL202310123456.6')).toMatch(/type digit 1/);
  });

  it('checks the pre-2003 8-digit form', () => {
    const digits = '98123456';
    expect(ipNumberProblem(IpKind.InventionPatent, `ZL${digits}.${patentCheckCharacter(digits)}`)).toBeNull();
  });

  it('checks software copyright numbers by shape and lets know-how go without a number', () => {
    expect(ipNumberProblem(IpKind.SoftwareCopyright, '2023SR0123456')).toBeNull();
    expect(ipNumberProblem(IpKind.SoftwareCopyright, 'SR123')).not.toBeNull();
    expect(ipNumberProblem(IpKind.KnowHow, undefined)).toBeNull();
    expect(ipNumberProblem(IpKind.InventionPatent, undefined)).not.toBeNull();
  });

  it('reads the filing year from a patent number, in both forms', () => {
    expect(patentFilingYear(IpKind.InventionPatent, 'ZL202310123456.6')).toBe(2023);
    const old = '98123456';
    expect(patentFilingYear(IpKind.InventionPatent, `ZL${old}.${patentCheckCharacter(old)}`)).toBe(1998);
    expect(patentFilingYear(IpKind.SoftwareCopyright, '2023SR0123456')).toBeNull();
  });
});

describe('IP filing dates (申请日)', () => {
  it('accepts a filing date in the year the patent number says, or none', () => {
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', '2023-03-15')).toBeNull();
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', undefined)).toBeNull();
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', null)).toBeNull();
    expect(filingDateProblem(IpKind.SoftwareCopyright, '2023SR0123456', '2022-11-30')).toBeNull();
  });

  it('refuses a filing date of another year than the number’s, a malformed date and one on know-how', () => {
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', '2022-12-31')).toMatch(/filed in 2023/);
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', '2023-02-30')).toMatch(/YYYY-MM-DD/);
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', '2023-3-5')).toMatch(/YYYY-MM-DD/);
    expect(filingDateProblem(IpKind.InventionPatent, 'ZL202310123456.6', 20230315)).toMatch(/YYYY-MM-DD/);
    expect(filingDateProblem(IpKind.KnowHow, undefined, '2023-03-15')).toMatch(/know-how/);
  });
});
