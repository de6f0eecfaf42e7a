import { IpKind, ipNumberProblem, patentCheckCharacter } from './ip-item';

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
});
