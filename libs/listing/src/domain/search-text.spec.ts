import { documentTokens, likePattern, parseQuery } from './search-text';

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

  it('escapes LIKE wildcards', () => {
    expect(likePattern('100%_a')).toBe('%100\\%\\_a%');
  });
});
