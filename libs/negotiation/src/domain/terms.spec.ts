import { excludes, OfferTerms, takesListingUnderContract, termsProblems, territoriesOverlap } from './terms';

const lump = { kind: 'lump_sum', dueOn: null } as const;
const license = (
  exclusivity: 'exclusive' | 'sole' | 'non_exclusive',
  territory: string[] | 'nationwide' = 'nationwide',
  fieldOfUse = 'all fields',
): OfferTerms => ({
  transferMode: { exclusive: 'exclusive_license', sole: 'sole_license', non_exclusive: 'non_exclusive_license' }[
    exclusivity
  ],
  license: { fieldOfUse, territory, termMonths: 60, exclusivity },
  paymentSchedule: lump,
});
const assignment: OfferTerms = { transferMode: 'assignment', license: null, paymentSchedule: lump };
const ALL_MODES = ['assignment', 'exclusive_license', 'sole_license', 'non_exclusive_license', 'equity'];

describe('offer terms', () => {
  it('names the instalments that do not add up to the price', () => {
    const terms: OfferTerms = {
      transferMode: 'assignment',
      license: null,
      paymentSchedule: {
        kind: 'instalments',
        instalments: [
          { amountFen: 600, dueOn: '2027-01-01' },
          { amountFen: 300, dueOn: '2027-06-01' },
        ],
      },
    };
    expect(termsProblems(1000, terms, ALL_MODES)).toEqual([
      { field: 'paymentSchedule.instalments', message: 'the instalments sum to 900 fen; the price is 1000 fen' },
    ]);
    expect(termsProblems(900, terms, ALL_MODES)).toEqual([]);
  });

  it('refuses instalments out of order and a royalty whose down payment is not the price', () => {
    const late: OfferTerms = {
      ...assignment,
      paymentSchedule: {
        kind: 'instalments',
        instalments: [
          { amountFen: 500, dueOn: '2027-06-01' },
          { amountFen: 500, dueOn: '2027-01-01' },
        ],
      },
    };
    expect(termsProblems(1000, late, ALL_MODES).map((p) => p.field)).toEqual(['paymentSchedule.instalments.1.dueOn']);
    const royalty: OfferTerms = {
      ...license('non_exclusive'),
      paymentSchedule: { kind: 'royalty', downPaymentFen: 100, royaltyBasisPoints: 300, royaltyTermMonths: 120 },
    };
    expect(termsProblems(1000, royalty, ALL_MODES).map((p) => p.field)).toEqual([
      'paymentSchedule.downPaymentFen',
      'paymentSchedule.royaltyTermMonths',
    ]);
  });

  it('needs a transfer mode the listing offers, and a license scope exactly for a license', () => {
    expect(termsProblems(1000, assignment, ['exclusive_license']).map((p) => p.field)).toEqual(['transferMode']);
    expect(termsProblems(1000, { ...assignment, transferMode: 'sole_license' }, ALL_MODES).map((p) => p.field)).toEqual(
      ['license'],
    );
    const mismatched = { ...license('exclusive'), transferMode: 'sole_license' };
    expect(termsProblems(1000, mismatched, ALL_MODES).map((p) => p.field)).toEqual(['license.exclusivity']);
  });

  it('overlaps territories by region prefix, and nationwide with everything', () => {
    expect(territoriesOverlap(['430000'], ['430104'])).toBe(true);
    expect(territoriesOverlap(['430100'], ['430200'])).toBe(false);
    expect(territoriesOverlap('nationwide', ['110000'])).toBe(true);
  });

  it('excludes everything beside an assignment, and overlapping licenses beside an exclusive or sole one', () => {
    expect(excludes(assignment, license('non_exclusive'))).toBe(true);
    expect(excludes(license('exclusive', ['430100']), license('non_exclusive', ['430104']))).toBe(true);
    expect(excludes(license('sole', ['430100']), license('sole', ['430200']))).toBe(false);
    expect(excludes(license('sole'), assignment)).toBe(true);
    expect(excludes(license('exclusive', 'nationwide', '电池'), license('exclusive', 'nationwide', '涂料'))).toBe(
      false,
    );
    expect(excludes(license('non_exclusive'), license('non_exclusive'))).toBe(false);
    expect(excludes(license('non_exclusive'), license('exclusive'))).toBe(true);
    expect(excludes(license('non_exclusive'), assignment)).toBe(false);
  });

  it('puts the listing under contract only when nothing is left to sell', () => {
    expect(takesListingUnderContract(assignment)).toBe(true);
    expect(takesListingUnderContract(license('exclusive'))).toBe(true);
    expect(takesListingUnderContract(license('exclusive', ['430100']))).toBe(false);
    expect(takesListingUnderContract(license('non_exclusive'))).toBe(false);
  });
});
