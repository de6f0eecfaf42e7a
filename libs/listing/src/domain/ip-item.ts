/** Kinds of intellectual property a listing can carry, each with its own number format. */
export enum IpKind {
  InventionPatent = 'invention_patent',
  UtilityModel = 'utility_model',
  Design = 'design',
  SoftwareCopyright = 'software_copyright',
  KnowHow = 'know_how',
  PlantVariety = 'plant_variety',
  IcLayout = 'ic_layout',
}

export enum IpLegalStatus {
  Pending = 'pending',
  Granted = 'granted',
  Lapsed = 'lapsed',
  Invalidated = 'invalidated',
}

/**
 * Chinese patent (application) numbers: an optional ZL or CN prefix, 12 digits (since 2003:
 * year, type, serial) or 8 digits (before: year, type, serial), a dot and a check character:
 * the digits weighted 2,3,4,5,6,7,8,9,2,3,4,5 summed modulo 11, 10 written X.
 * The type digit says the kind: 1 or 8 invention, 2 or 9 utility model, 3 design.
 */
const PATENT = /^(?:ZL|CN)?(\d{8}|\d{12})\.([0-9X])$/;
const PATENT_TYPES: Partial<Record<IpKind, string[]>> = {
  [IpKind.InventionPatent]: ['1', '8'],
  [IpKind.UtilityModel]: ['2', '9'],
  [IpKind.Design]: ['3'],
};
const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

export function patentCheckCharacter(digits: string): string {
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i], 0);
  const check = sum % 11;
  return check === 10 ? 'X' : String(check);
}

const OTHER_FORMATS: Partial<Record<IpKind, { shape: RegExp; example: string }>> = {
  [IpKind.SoftwareCopyright]: { shape: /^\d{4}SR\d{6,7}$/, example: '2023SR0123456' },
  [IpKind.PlantVariety]: { shape: /^CNA\d{8,9}(\.\d)?$/, example: 'CNA20191234.5' },
  [IpKind.IcLayout]: { shape: /^BS\.\d{8,9}[0-9X]?$/, example: 'BS.215012345' },
};

/** Why `number` is not a valid number for an IP item of `kind`, or null when it is. */
export function ipNumberProblem(kind: IpKind, number: string | undefined): string | null {
  const value = (number ?? '').trim().toUpperCase();
  if (kind === IpKind.KnowHow) return null; // know-how has no public number
  if (!value) return `a ${kind} needs its number`;
  const types = PATENT_TYPES[kind];
  if (types) {
    const match = PATENT.exec(value);
    if (!match) return 'must look like ZL202310123456.X: 8 or 12 digits, a dot and a check character';
    const [, digits, check] = match;
    const type = digits.length === 12 ? digits[4] : digits[2];
    if (!types.includes(type)) return `has type digit ${type}, which is not a ${kind.replace('_', ' ')}`;
    const expected = patentCheckCharacter(digits);
    if (expected !== check) return `has a wrong check character (expected ${expected})`;
    return null;
  }
  const format = OTHER_FORMATS[kind];
  if (format && !format.shape.test(value)) return `must look like ${format.example}`;
  return null;
}

/** The year a patent (application) number was filed in, from its digits; null for other kinds or a malformed number. */
export function patentFilingYear(kind: IpKind, number: string | null | undefined): number | null {
  if (!PATENT_TYPES[kind]) return null;
  const match = PATENT.exec((number ?? '').trim().toUpperCase());
  if (!match) return null;
  const digits = match[1];
  if (digits.length === 12) return Number(digits.slice(0, 4));
  const yy = Number(digits.slice(0, 2)); // the 8-digit numbers ran from 1985 to 2003
  return yy >= 85 ? 1900 + yy : 2000 + yy;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Why `filingDate` (申请日, YYYY-MM-DD) is refused for this item, or null. A patent number begins
 * with the year its application was filed, so a filing date of another year is a typo in one or
 * the other; know-how is never filed.
 */
export function filingDateProblem(kind: IpKind, number: string | null | undefined, filingDate: unknown): string | null {
  if (filingDate === undefined || filingDate === null) return null;
  if (typeof filingDate !== 'string') return 'must be a date (YYYY-MM-DD)';
  const match = ISO_DAY.exec(filingDate);
  const day = match ? new Date(`${filingDate}T00:00:00Z`) : null;
  if (!match || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== filingDate) {
    return 'must be a date (YYYY-MM-DD)';
  }
  if (kind === IpKind.KnowHow) return 'know-how is not filed: leave the filing date out';
  const year = patentFilingYear(kind, number);
  if (year !== null && Number(match[1]) !== year) return `is in ${match[1]}, but the number was filed in ${year}`;
  return null;
}
