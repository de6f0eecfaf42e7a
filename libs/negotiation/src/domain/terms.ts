import type { FieldError } from '@market/http';
import type { AgreedTerms, LicenseScope, PaymentSchedule } from '@market/queue';

/**
 * What an offer proposes besides its price: the transfer mode, a license's scope, the payment
 * schedule. With the price and the broker's commission they become the deal's `AgreedTerms`.
 */
export interface OfferTerms {
  transferMode: string;
  license: LicenseScope | null;
  paymentSchedule: PaymentSchedule;
}

const LICENSE_MODES: Record<string, LicenseScope['exclusivity']> = {
  exclusive_license: 'exclusive',
  sole_license: 'sole',
  non_exclusive_license: 'non_exclusive',
};

/** Modes that take the achievement away from the seller for good: nothing else can be sold beside them. */
const OUTRIGHT_MODES = ['assignment', 'equity'];

/** A field of use that covers every other one. */
const ALL_FIELDS = new Set(['', 'all', 'all fields', 'any', '全部', '全部领域', '不限', '所有领域']);

export const isLicense = (mode: string): boolean => mode in LICENSE_MODES;

/**
 * The rules an offer's terms must keep, beyond the shape class-validator checks: each broken rule
 * is named by its field, so a schedule that does not add up is a 400 that says where.
 */
export function termsProblems(priceFen: number, terms: OfferTerms, listingModes: readonly string[]): FieldError[] {
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  if (!listingModes.includes(terms.transferMode)) {
    problem('transferMode', `the listing offers ${listingModes.join(', ')}; not ${terms.transferMode}`);
  }
  const exclusivity = LICENSE_MODES[terms.transferMode];
  if (exclusivity && !terms.license) problem('license', `a ${terms.transferMode} needs its scope (license)`);
  if (!exclusivity && terms.license) problem('license', `a ${terms.transferMode} takes no license scope`);
  if (exclusivity && terms.license && terms.license.exclusivity !== exclusivity) {
    problem('license.exclusivity', `a ${terms.transferMode} is ${exclusivity}, not ${terms.license.exclusivity}`);
  }

  const schedule = terms.paymentSchedule;
  if (schedule.kind === 'instalments') {
    const sum = schedule.instalments.reduce((total, instalment) => total + instalment.amountFen, 0);
    if (sum !== priceFen) {
      problem('paymentSchedule.instalments', `the instalments sum to ${sum} fen; the price is ${priceFen} fen`);
    }
    schedule.instalments.forEach((instalment, n) => {
      if (n > 0 && instalment.dueOn < schedule.instalments[n - 1].dueOn) {
        problem(`paymentSchedule.instalments.${n}.dueOn`, 'instalments must be due in order, earliest first');
      }
    });
  }
  if (schedule.kind === 'royalty') {
    if (schedule.downPaymentFen !== priceFen) {
      problem(
        'paymentSchedule.downPaymentFen',
        `the down payment (入门费) is the price of a royalty deal: ${priceFen} fen, not ${schedule.downPaymentFen}`,
      );
    }
    if (terms.license && terms.license.termMonths > 0 && schedule.royaltyTermMonths > terms.license.termMonths) {
      problem(
        'paymentSchedule.royaltyTermMonths',
        `royalties run ${schedule.royaltyTermMonths} months, longer than the license (${terms.license.termMonths})`,
      );
    }
  }
  return problems;
}

function regionsOverlap(a: string, b: string): boolean {
  // 430000 holds all of Hunan, 430100 all of Changsha: a code covers those that start with its prefix.
  const prefix = (code: string) =>
    code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
  return a.startsWith(prefix(b)) || b.startsWith(prefix(a));
}

export function territoriesOverlap(a: LicenseScope['territory'], b: LicenseScope['territory']): boolean {
  if (a === 'nationwide' || b === 'nationwide') return true;
  return a.some((x) => b.some((y) => regionsOverlap(x, y)));
}

function fieldsOverlap(a: string, b: string): boolean {
  const norm = (field: string) => field.trim().toLowerCase();
  return ALL_FIELDS.has(norm(a)) || ALL_FIELDS.has(norm(b)) || norm(a) === norm(b);
}

function licensesOverlap(a: LicenseScope, b: LicenseScope): boolean {
  return territoriesOverlap(a.territory, b.territory) && fieldsOverlap(a.fieldOfUse, b.fieldOfUse);
}

/**
 * Whether a deal agreed on `agreed` leaves no room for what another negotiation asks (`asked`):
 * - an assignment or equity investment takes the achievement away: everything else is excluded;
 * - an exclusive or sole license excludes an assignment or equity, and every license whose
 *   territory and field of use overlap it (the licensee alone may use it there, with or without
 *   the licensor);
 * - a non-exclusive license excludes an exclusive or sole license that overlaps it;
 * - co-development excludes nothing and is excluded only by an outright transfer.
 */
export function excludes(agreed: OfferTerms, asked: OfferTerms): boolean {
  if (OUTRIGHT_MODES.includes(agreed.transferMode)) return true;
  if (!agreed.license) return false;
  if (OUTRIGHT_MODES.includes(asked.transferMode)) return agreed.license.exclusivity !== 'non_exclusive';
  if (!asked.license || !licensesOverlap(agreed.license, asked.license)) return false;
  if (agreed.license.exclusivity !== 'non_exclusive') return true;
  return asked.license.exclusivity !== 'non_exclusive';
}

/**
 * Whether a final deal puts the listing under contract: an outright transfer, or an exclusive or
 * sole license nationwide for every field — nothing is left to sell. A non-exclusive license,
 * co-development, or a license of one region or field leaves the listing open for others.
 */
export function takesListingUnderContract(terms: Pick<AgreedTerms, 'transferMode' | 'license'>): boolean {
  if (OUTRIGHT_MODES.includes(terms.transferMode)) return true;
  const license = terms.license;
  if (!license || license.exclusivity === 'non_exclusive') return false;
  return license.territory === 'nationwide' && ALL_FIELDS.has(license.fieldOfUse.trim().toLowerCase());
}
