/**
 * Search over Chinese and English without a word segmenter. Chinese has no spaces, so a document
 * is indexed by every CJK character and every pair of adjacent CJK characters; English and
 * numbers by every word and its prefixes. A query term becomes the tokens it must contain (its
 * CJK pairs, or its word) — found through a GIN index on the token array — and the candidates are
 * rechecked for the exact substring, so 锂电池 finds 高能量密度锂电池正极材料 and nothing that
 * merely has 锂电 and 电池 apart.
 */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+(?:[.-][\p{L}\p{N}]+)*/gu;
const MAX_PREFIX = 16;

function cjkTokens(run: string): string[] {
  const chars = [...run];
  const tokens = [...chars];
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
  return tokens;
}

function wordTokens(word: string): string[] {
  const lower = word.toLowerCase();
  const tokens = [lower];
  for (let n = 1; n < Math.min(lower.length, MAX_PREFIX); n++) tokens.push(lower.slice(0, n));
  // Dotted numbers (ZL202310123456.7) are also found by their parts.
  for (const part of lower.split(/[.-]/)) if (part && part !== lower) tokens.push(part);
  return tokens;
}

/** The distinct tokens of a document. */
export function documentTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const run of text.match(RUN) ?? []) {
    for (const token of CJK.test(run[0]) ? cjkTokens(run) : wordTokens(run)) tokens.add(token);
  }
  return [...tokens];
}

export interface SearchQuery {
  /** Tokens every match must carry (all of them). */
  tokens: string[];
  /** Lower-cased substrings every match must contain, for the recheck. */
  substrings: string[];
}

/** Splits a user's query into terms; every term must match. Null when it holds nothing searchable. */
export function parseQuery(q: string): SearchQuery | null {
  const tokens = new Set<string>();
  const substrings: string[] = [];
  for (const run of q.match(RUN) ?? []) {
    const lower = run.toLowerCase();
    substrings.push(lower);
    if (CJK.test(run[0])) {
      const chars = [...run];
      if (chars.length === 1) tokens.add(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i] + chars[i + 1]);
    } else {
      tokens.add(lower.length > MAX_PREFIX ? lower.slice(0, MAX_PREFIX - 1) : lower);
    }
  }
  return substrings.length ? { tokens: [...tokens], substrings } : null;
}

/**
 * Whether a query term (one of `parseQuery`'s substrings) needs the substring recheck. A CJK term
 * of one or two characters is itself a document token, and so is an English word or number of up
 * to MAX_PREFIX characters (a document word and its prefixes are tokens): a document carrying the
 * term's token contains the term, and the recheck can only confirm it. A longer CJK term is only
 * known to carry each of its pairs, and a longer word only its truncated prefix.
 */
export function needsRecheck(substring: string): boolean {
  return CJK.test(substring[0]) ? [...substring].length > 2 : substring.length > MAX_PREFIX;
}

/** Escapes a substring for use in LIKE. */
export function likePattern(substring: string): string {
  return `%${substring.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
