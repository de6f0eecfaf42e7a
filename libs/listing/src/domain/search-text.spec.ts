import { documentTokens, likePattern, needsRecheck, parseQuery } from './search-text';

describe('search text', () => {
  it('indexes every CJK character and adjacent pair', () => {
    const tokens = documentTokens('锂电池');
    expect(tokens).toEqual(expect.arrayContaining(['锂', '电', '池', '锂电', '电池']));
    expect(tokens).not.toContain('锂池');
  });

  it('indexes English words lower-cased with their prefixes, and dotted numbers by their parts', () => {
    const tokens = documentTokens('Lithium ZL202310123456.6');
    expect(tokens).toEqual(expect.arrayContaining(['lithium', 'lith', 'zl202310123456.6', 'zl202310123456', '6']));
  });

  it('turns a Chinese query into its pairs and an English one into its word', () => {
    expect(parseQuery('锂电池')).toEqual({ tokens: ['锂电', '电池'], substrings: ['锂电池'] });
    expect(parseQuery('Battery 稻')).toEqual({ tokens: ['battery', '稻'], substrings: ['battery', '稻'] });
  });

  it('finds nothing to search in punctuation alone', () => {
    expect(parseQuery('，。!!')).toBeNull();
  });

  it('rechecks only the terms their tokens do not imply', () => {
    expect(['稻', '电池', 'battery', 'zl202310123456.7'].map(needsRecheck)).toEqual([false, false, false, false]);
    expect(['锂电池', '正极材料', 'zl202310123456.78'].map(needsRecheck)).toEqual([true, true, true]);
    for (const term of ['稻', '电池', 'battery', '2023']) {
      const { tokens } = parseQuery(term)!;
      expect(documentTokens(`高能量密度 ${term}s 123 ${term}`)).toEqual(expect.arrayContaining(tokens));
    }
  });

  it('escapes LIKE wildcards', () => {
    expect(likePattern('100%_a')).toBe('%100\\%\\_a%');
  });
});
