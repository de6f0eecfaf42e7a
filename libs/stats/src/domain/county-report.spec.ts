import type { RegisteredContractFacts } from '@market/queue';
import { constructionYearOf, countyFigures, CountyContract, growthPercent } from './county-report';

let serial = 0;
function contract(registeredOn: string, overrides: Partial<RegisteredContractFacts> = {}): CountyContract {
  serial += 1;
  return {
    registeredOn,
    facts: {
      contractId: `c${serial}`,
      version: 1,
      registrationNumber: `2643010200${String(serial).padStart(4, '0')}`,
      registeredOn,
      contractType: 'transfer',
      subKind: 'patent_right',
      technicalField: 'population_health',
      projectName: `项目${serial}`,
      listingId: `l${serial}`,
      seller: {
        organizationId: 'liuyang-institute',
        name: '浏阳生物技术研究所',
        kind: 'research_institute',
        regionCode: '430181',
      },
      buyer: { organizationId: 'zhuzhou-co', name: '株洲新材科技有限公司', kind: 'enterprise', regionCode: '430211' },
      broker: { organizationId: 'agency', name: '潇湘技术转移中心' },
      totalAmountFen: 1_000_000,
      technologyAmountFen: 800_000,
      ipKinds: ['invention_patent'],
      ...overrides,
    },
  };
}

const county = (contracts: CountyContract[]) =>
  countyFigures({
    regionCode: '430181',
    year: 2026,
    constructionStartYear: 2025,
    featuredIndustries: [
      { name: '生物医药', technicalField: 'population_health' },
      { name: '花炮', technicalField: null },
    ],
    contracts,
  });

describe('a demonstration county’s annual figures', () => {
  it('count output by its sellers and absorption by its buyers, by type, with growth on the previous year', () => {
    const figures = county([
      contract('2026-03-01'),
      contract('2026-05-01', { contractType: 'service', technologyAmountFen: 200_000, listingId: null }),
      contract('2025-07-01'),
      contract('2026-06-01', {
        seller: { organizationId: 'x', name: '长沙某公司', kind: 'enterprise', regionCode: '430104' },
        buyer: { organizationId: 'liuyang-co', name: '浏阳烟花科技有限公司', kind: 'enterprise', regionCode: '430181' },
        broker: null,
      }),
    ]);
    expect(figures.constructionYear).toBe(2);
    expect(figures.output).toMatchObject({
      contracts: 2,
      technologyAmountFen: 1_000_000,
      byType: [
        { contractType: 'transfer', label: '技术转让', contracts: 1 },
        { contractType: 'service', label: '技术服务', contracts: 1 },
      ],
      previousYear: { contracts: 1, technologyAmountFen: 800_000 },
      growth: { contractsPercent: 100, technologyAmountPercent: 25 },
    });
    expect(figures.absorption).toMatchObject({
      contracts: 1,
      previousYear: { contracts: 0 },
      growth: { contractsPercent: null, technologyAmountPercent: null },
    });
    // Listings of the county's sellers that reached a registered contract this year; not last year's.
    expect(figures.achievementsTransferred.map((a) => a.projectName)).toEqual(['项目1']);
    expect(figures.institutions).toEqual([
      {
        organizationId: 'liuyang-institute',
        name: '浏阳生物技术研究所',
        kind: 'research_institute',
        asSeller: 2,
        asBuyer: 0,
      },
      { organizationId: 'liuyang-co', name: '浏阳烟花科技有限公司', kind: 'enterprise', asSeller: 0, asBuyer: 1 },
    ]);
    expect(figures.brokers).toEqual([{ organizationId: 'agency', name: '潇湘技术转移中心', contracts: 2 }]);
    expect(figures.featuredIndustries).toEqual([
      expect.objectContaining({ name: '生物医药', contracts: 3 }),
      expect.objectContaining({ name: '花炮', contracts: 0 }),
    ]);
  });

  it('count a contract between two of its organizations on both sides, and a listing sold twice once', () => {
    const inside = {
      organizationId: 'liuyang-co',
      name: '浏阳烟花科技有限公司',
      kind: 'enterprise',
      regionCode: '430181',
    };
    const figures = county([
      contract('2026-03-01', { buyer: inside, listingId: 'same' }),
      contract('2026-04-01', { listingId: 'same' }),
    ]);
    expect(figures.output.contracts).toBe(2);
    expect(figures.absorption.contracts).toBe(1);
    expect(figures.achievementsTransferred).toHaveLength(1);
  });

  it('know the three-year construction period and compute growth to one decimal', () => {
    expect([2024, 2025, 2026, 2027, 2028].map((y) => constructionYearOf(2025, y))).toEqual([null, 1, 2, 3, null]);
    expect(growthPercent(3, 2)).toBe(50);
    expect(growthPercent(1, 3)).toBe(-66.7);
    expect(growthPercent(5, 0)).toBeNull();
  });
});
