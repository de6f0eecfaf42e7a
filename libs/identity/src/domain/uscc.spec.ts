import { buildUscc, organizationCodeCheckCharacter, usccCheckCharacter, usccProblem } from './uscc';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts a published valid code', () => {
    expect(usccProblem('91350100M000100Y43')).toBeNull();
  });

  it('computes the check character over the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('computes the embedded organization code check (GB 11714)', () => {
    expect(organizationCodeCheckCharacter('M000100Y')).toBe('4');
  });

  it('refuses a wrong check character', () => {
    expect(usccProblem('91350100M000100Y44')).toMatch(/position 18/);
  });

  it('refuses a wrong organization code check character', () => {
    const first16 = '91350100M000100Y';
    const wrong = first16 + '5';
    expect(usccProblem(wrong + usccCheckCharacter(wrong))).toMatch(/position 17/);
  });

  it('refuses letters outside the alphabet, lower case and wrong lengths', () => {
    expect(usccProblem('91350100M000100YI3')).not.toBeNull();
    expect(usccProblem('91350100m000100y43')).not.toBeNull();
    expect(usccProblem('91350100M000100Y4')).not.toBeNull();
    expect(usccProblem('')).not.toBeNull();
  });

  it('refuses a single changed character anywhere', () => {
    const valid = '91350100M000100Y43';
    for (let i = 0; i < 17; i++) {
      const replacement = valid[i] === '1' ? '2' : '1';
      expect(usccProblem(valid.slice(0, i) + replacement + valid.slice(i + 1))).not.toBeNull();
    }
  });

  it('builds valid codes', () => {
    for (const body of ['44488401', 'MA4L0B2C', '00001234']) {
      expect(usccProblem(buildUscc('91', '430100', body))).toBeNull();
    }
  });
});
