import { regionCodeProblem } from './region-code';

describe('administrative division code', () => {
  it('accepts Hunan codes at every level', () => {
    for (const code of ['430000', '430100', '430104', '430181']) expect(regionCodeProblem(code)).toBeNull();
  });

  it('refuses unknown provinces and malformed codes', () => {
    expect(regionCodeProblem('990100')).toMatch(/province/);
    expect(regionCodeProblem('43010')).toMatch(/6 digits/);
    expect(regionCodeProblem('43010a')).toMatch(/6 digits/);
  });
});
