/**
 * The unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, S, V, Z):
 *   1     registration authority      (1-9, A-H, N, Y)
 *   2     organization type
 *   3-8   administrative division code (6 digits)
 *   9-17  organization code, itself checked by GB 11714 (8 characters and a check character)
 *   18    check character over the first 17
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const SHAPE = /^[1-9A-HNY][0-9A-HJ-NP-RTUW-Y][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** The GB 32100 check character for the first 17 characters. */
export function usccCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + ALPHABET.indexOf(ch) * WEIGHTS[i], 0);
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** The GB 11714 check character of an 8-character organization code body. */
export function organizationCodeCheckCharacter(body8: string): string {
  // In GB 11714 letters count as 10..35 in the full Latin alphabet.
  const value = (ch: string) => (/[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55);
  const sum = [...body8].reduce((acc, ch, i) => acc + value(ch) * ORG_CODE_WEIGHTS[i], 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Why `code` is not a valid unified social credit code, or null when it is. */
export function usccProblem(code: string): string | null {
  if (!SHAPE.test(code)) {
    return 'must be 18 characters: digits and capital letters other than I, O, S, V and Z';
  }
  if (organizationCodeCheckCharacter(code.slice(8, 16)) !== code[16]) {
    return 'has a wrong organization code check character (position 17)';
  }
  if (usccCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return 'has a wrong check character (position 18)';
  }
  return null;
}

/** Builds a valid code from its parts; used for demo data and tests. */
export function buildUscc(authorityAndType: string, regionCode: string, organizationBody8: string): string {
  const orgCode = organizationBody8 + organizationCodeCheckCharacter(organizationBody8);
  const first17 = authorityAndType + regionCode + orgCode;
  return first17 + usccCheckCharacter(first17);
}
