import type { RegisteredContractFacts } from '@market/queue';
import { CONTRACT_TYPE_LABELS } from './labels';

/** The county guideline: 示范县的建设期为三年. */
export const CONSTRUCTION_YEARS = 3;

export interface Figures {
  contracts: number;
  totalAmountFen: number;
  technologyAmountFen: number;
}

export interface CountyContract {
  registeredOn: string;
  facts: RegisteredContractFacts;
}

export interface CountySide extends Figures {
  byType: (Figures & { contractType: string; label: string })[];
  previousYear: Figures;
  growth: { contractsPercent: number | null; technologyAmountPercent: number | null };
}

export interface CountyFigures {
  constructionYear: number | null;
  output: CountySide;
  absorption: CountySide;
  achievementsTransferred: {
    listingId: string;
    projectName: string;
    sellerName: string;
    contractType: string;
    technologyAmountFen: number;
    registeredOn: string;
  }[];
  featuredIndustries: (Figures & { name: string; technicalField: string | null })[];
  institutions: { organizationId: string; name: string; kind: string; asSeller: number; asBuyer: number }[];
  brokers: { organizationId: string; name: string; contracts: number }[];
}

const zero = (): Figures => ({ contracts: 0, totalAmountFen: 0, technologyAmountFen: 0 });

function add(figures: Figures, facts: RegisteredContractFacts): void {
  figures.contracts += 1;
  figures.totalAmountFen += facts.totalAmountFen;
  figures.technologyAmountFen += facts.technologyAmountFen;
}

/** Growth on the previous year in per cent, one decimal; null when the previous year had nothing. */
export function growthPercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/** Which year of its construction period `year` is (1–3), or null outside it. */
export function constructionYearOf(startYear: number, year: number): number | null {
  const n = year - startYear + 1;
  return n >= 1 && n <= CONSTRUCTION_YEARS ? n : null;
}

function side(current: RegisteredContractFacts[], previous: RegisteredContractFacts[]): CountySide {
  const total = zero();
  const byType = new Map<string, Figures>();
  for (const facts of current) {
    add(total, facts);
    const row = byType.get(facts.contractType) ?? zero();
    add(row, facts);
    byType.set(facts.contractType, row);
  }
  const before = zero();
  for (const facts of previous) add(before, facts);
  return {
    ...total,
    byType: Object.keys(CONTRACT_TYPE_LABELS)
      .filter((type) => byType.has(type))
      .map((type) => ({ contractType: type, label: CONTRACT_TYPE_LABELS[type], ...byType.get(type)! })),
    previousYear: before,
    growth: {
      contractsPercent: growthPercent(total.contracts, before.contracts),
      technologyAmountPercent: growthPercent(total.technologyAmountFen, before.technologyAmountFen),
    },
  };
}

/**
 * The figures behind a demonstration county's annual report (the guideline's 年度建设情况 to the
 * provincial department), from the contracts registered in `year` and the year before with a party
 * in the county: output (its sellers, 技术输出) and absorption (its buyers, 技术吸纳) by type with growth,
 * the achievements its organizations transferred, its featured industries, the institutions and
 * brokers that took part. A contract between two of its organizations counts on both sides.
 */
export function countyFigures(input: {
  regionCode: string;
  year: number;
  constructionStartYear: number;
  featuredIndustries: { name: string; technicalField: string | null }[];
  contracts: CountyContract[];
}): CountyFigures {
  const { regionCode, year } = input;
  const inYear = (c: CountyContract, y: number) => c.registeredOn.startsWith(`${y}-`);
  const thisYear = input.contracts.filter((c) => inYear(c, year)).map((c) => c.facts);
  const lastYear = input.contracts.filter((c) => inYear(c, year - 1)).map((c) => c.facts);
  const sells = (f: RegisteredContractFacts) => f.seller.regionCode === regionCode;
  const buys = (f: RegisteredContractFacts) => f.buyer.regionCode === regionCode;

  const achievements = new Map<string, CountyFigures['achievementsTransferred'][number]>();
  const registeredOn = new Map(input.contracts.map((c) => [c.facts.contractId, c.registeredOn]));
  for (const facts of thisYear.filter(sells)) {
    if (!facts.listingId || achievements.has(facts.listingId)) continue;
    achievements.set(facts.listingId, {
      listingId: facts.listingId,
      projectName: facts.projectName,
      sellerName: facts.seller.name,
      contractType: facts.contractType,
      technologyAmountFen: facts.technologyAmountFen,
      registeredOn: registeredOn.get(facts.contractId)!,
    });
  }

  const institutions = new Map<string, CountyFigures['institutions'][number]>();
  const brokers = new Map<string, CountyFigures['brokers'][number]>();
  for (const facts of thisYear) {
    for (const [party, role] of [
      [facts.seller, 'asSeller'],
      [facts.buyer, 'asBuyer'],
    ] as const) {
      if (party.regionCode !== regionCode) continue;
      const row = institutions.get(party.organizationId) ?? {
        organizationId: party.organizationId,
        name: party.name,
        kind: party.kind,
        asSeller: 0,
        asBuyer: 0,
      };
      row[role] += 1;
      institutions.set(party.organizationId, row);
    }
    if (facts.broker) {
      const row = brokers.get(facts.broker.organizationId) ?? { ...facts.broker, contracts: 0 };
      row.contracts += 1;
      brokers.set(facts.broker.organizationId, row);
    }
  }

  return {
    constructionYear: constructionYearOf(input.constructionStartYear, year),
    output: side(thisYear.filter(sells), lastYear.filter(sells)),
    absorption: side(thisYear.filter(buys), lastYear.filter(buys)),
    achievementsTransferred: [...achievements.values()].sort(
      (a, b) => a.registeredOn.localeCompare(b.registeredOn) || a.projectName.localeCompare(b.projectName),
    ),
    featuredIndustries: input.featuredIndustries.map((industry) => {
      const figures = zero();
      if (industry.technicalField) {
        for (const facts of thisYear) if (facts.technicalField === industry.technicalField) add(figures, facts);
      }
      return { name: industry.name, technicalField: industry.technicalField, ...figures };
    }),
    institutions: [...institutions.values()].sort(
      (a, b) => b.asSeller + b.asBuyer - (a.asSeller + a.asBuyer) || a.name.localeCompare(b.name),
    ),
    brokers: [...brokers.values()].sort((a, b) => b.contracts - a.contracts || a.name.localeCompare(b.name)),
  };
}
