import { marketPriceTerms } from '@market/queue';
import { ContractType, MilestoneKind, PartyKind, Pricing } from './contract-content';
import { checkContract } from './contract-rules';
import { draftFromTrade, paymentMilestones, shanghaiDate, typeOf } from './drafting';

const seller = { organizationId: 's', name: '中南大学', kind: PartyKind.University, regionCode: '430100' };
const buyer = { organizationId: 'b', name: '湘江科技有限公司', kind: PartyKind.Enterprise, regionCode: '430200' };
const patent = { kind: 'invention_patent', number: 'ZL202310000001.5', legalStatus: 'granted' };

describe('drafting a contract from a trade', () => {
  it('reads the date in Asia/Shanghai', () => {
    expect(shanghaiDate(new Date('2026-02-14T16:30:00Z'))).toBe('2026-02-15');
  });

  it('types an assignment of a granted patent as a patent right transfer, of a pending one as an application right transfer', () => {
    expect(typeOf('assignment', patent)).toEqual({ type: ContractType.Transfer, subKind: 'patent_right' });
    expect(typeOf('assignment', { ...patent, legalStatus: 'pending' }).subKind).toBe('patent_application_right');
    expect(typeOf('exclusive_license', { kind: 'know_how', number: null, legalStatus: 'granted' })).toEqual({
      type: ContractType.License,
      subKind: 'technical_secret_license',
    });
    expect(typeOf('equity', patent)).toEqual({ type: ContractType.Transfer, subKind: 'equity_investment' });
    expect(typeOf('co_development', undefined)).toEqual({ type: ContractType.Development, subKind: 'cooperative' });
  });

  it('makes an auction winner’s deposit the first payment, prepaid, and the balance a payment milestone', () => {
    const milestones = paymentMilestones(marketPriceTerms(1_200_000, ['assignment'], 100_000), '2026-03-02');
    expect(milestones).toEqual([
      expect.objectContaining({
        key: 'm1',
        kind: MilestoneKind.Payment,
        amountFen: 100_000,
        prepaid: true,
        dueOn: '2026-03-02',
      }),
      expect.objectContaining({
        key: 'm2',
        kind: MilestoneKind.Payment,
        amountFen: 1_100_000,
        prepaid: false,
        dueOn: null,
      }),
    ]);
  });

  it('credits a deposit against instalments from the first on', () => {
    const terms = {
      ...marketPriceTerms(300, ['assignment'], 150),
      paymentSchedule: {
        kind: 'instalments' as const,
        instalments: [
          { amountFen: 100, dueOn: '2026-04-01' },
          { amountFen: 200, dueOn: '2026-06-01' },
        ],
      },
    };
    expect(paymentMilestones(terms, '2026-03-02').map((m) => [m.amountFen, m.prepaid])).toEqual([
      [150, true],
      [150, false],
    ]);
  });

  it('keeps a royalty as a term with rate, basis and period, the down payment as a milestone', () => {
    const terms = {
      ...marketPriceTerms(1_000_000, ['non_exclusive_license']),
      paymentSchedule: {
        kind: 'royalty' as const,
        downPaymentFen: 200_000,
        royaltyBasisPoints: 300,
        royaltyTermMonths: 36,
      },
    };
    const content = draftFromTrade(
      {
        tradeId: 't',
        listingTitle: '一种锂电池正极材料',
        agreedAt: '2026-03-02T01:00:00Z',
        terms,
        technicalField: 'new_energy',
        ipItems: [patent],
      },
      seller,
      buyer,
      null,
    );
    expect(content).toMatchObject({
      contractType: ContractType.License,
      subKind: 'patent_license',
      pricing: Pricing.Royalty,
      royalty: { rateBasisPoints: 300, periodMonths: 36 },
      milestones: [{ amountFen: 200_000, kind: MilestoneKind.Payment }],
    });
  });

  it('leaves a trade’s draft incomplete only where the trade said nothing: validity and, for a transfer, investment and output', () => {
    const content = draftFromTrade(
      {
        tradeId: 't',
        listingTitle: '一种锂电池正极材料',
        agreedAt: '2026-03-02T01:00:00Z',
        terms: {
          ...marketPriceTerms(500_000, ['assignment']),
          paymentSchedule: { kind: 'lump_sum', dueOn: '2026-06-30' },
        },
        technicalField: 'new_energy',
        ipItems: [patent],
      },
      seller,
      buyer,
      null,
    );
    expect(
      checkContract(content)
        .map((v) => `${v.rule}:${v.field}`)
        .sort(),
    ).toEqual([
      'TRANSFER_INVESTMENT_OUTPUT:expectedNewInvestmentFen',
      'TRANSFER_INVESTMENT_OUTPUT:expectedNewOutputFen',
      'VALIDITY:validFrom',
      'VALIDITY:validUntil',
    ]);
  });
});
