/**
 * What the contract context hands the risk context when an application is screened: the
 * registration form's facts of the version applied for, as plain JSON (`factsFromContent` builds
 * them from a contract's content), so the risk context keeps its own copy and never reads the
 * contract tables.
 */
export interface ContractFactsParty {
  organizationId: string;
  name: string;
  /** JJ-001 party kind (enterprise, university, research_institute …). */
  kind: string;
  /** 6-digit administrative division code. */
  regionCode: string;
}

export interface ContractFactsIpItem {
  /** invention_patent, utility_model, design, software_copyright, know_how, plant_variety, ic_layout. */
  kind: string;
  number: string | null;
  /** pending, granted, lapsed, invalidated. */
  legalStatus: string;
  /** 申请日 (YYYY-MM-DD) when known; the number's year is the fallback. */
  filingDate?: string | null;
}

export interface ContractFacts {
  contractId: string;
  /** The version applied for. */
  version: number;
  registryOfficeId: string;
  contractType: string;
  subKind: string;
  projectName: string;
  technicalField: string;
  seller: ContractFactsParty;
  buyer: ContractFactsParty;
  broker: { organizationId: string; userId: string | null; name: string } | null;
  /** Dates (YYYY-MM-DD) in Asia/Shanghai. */
  signedOn: string;
  validFrom: string;
  validUntil: string;
  /** 成交额 */
  totalAmountFen: number;
  /** 技术交易额 */
  technologyAmountFen: number;
  /** kind: hardware, materials, construction, other. */
  nonTechnicalItems: { kind: string; description: string; amountFen: number }[];
  ipItems: ContractFactsIpItem[];
  /** Listing vocabulary: assignment, exclusive_license, sole_license, non_exclusive_license, equity, co_development. */
  transferMode: string | null;
}

import type {
  ContractSummary,
  ContractUnderScreening,
  NonTechItemCategory,
  ScreenedContractType,
  ScreenedIpItem,
  ScreenedParty,
  ScreenedTransferMode,
} from './screening-input';

const CATEGORY: Record<string, NonTechItemCategory> = {
  hardware: 'equipment',
  equipment: 'equipment',
  materials: 'materials',
  construction: 'construction',
  installation: 'installation',
  goods: 'goods',
};

/** The listing vocabulary's transfer modes, as the rules see them: an equity contribution assigns. */
export function screenedTransferMode(mode: string | null): ScreenedTransferMode | null {
  switch (mode) {
    case 'assignment':
    case 'equity':
      return 'assignment';
    case 'exclusive_license':
    case 'sole_license':
    case 'non_exclusive_license':
      return mode;
    default:
      return null;
  }
}

export function ipNumbersOf(facts: ContractFacts): string[] {
  return facts.ipItems.map((ip) => ip.number?.trim().toUpperCase()).filter((n): n is string => Boolean(n));
}

/** The contract as the rules read it, from the facts the contract context sent. */
export function contractFromFacts(
  facts: ContractFacts,
  registrationNumber: string | null,
  parties: { seller: ScreenedParty; buyer: ScreenedParty },
): ContractUnderScreening {
  return {
    contractId: facts.contractId,
    number: registrationNumber,
    type: facts.contractType as ScreenedContractType,
    subKind: facts.subKind,
    technicalField: facts.technicalField,
    seller: parties.seller,
    buyer: parties.buyer,
    broker: facts.broker ? { brokerId: facts.broker.organizationId, name: facts.broker.name } : null,
    amountFen: facts.totalAmountFen,
    techAmountFen: facts.technologyAmountFen,
    nonTechItems: facts.nonTechnicalItems.map((item) => ({
      description: item.description,
      category: CATEGORY[item.kind] ?? 'other',
      amountFen: item.amountFen,
    })),
    subject: facts.projectName,
    ipItems: facts.ipItems.map((ip): ScreenedIpItem => ({
      kind: ip.kind as ScreenedIpItem['kind'],
      number: ip.number?.trim().toUpperCase() || null,
      filingDate: ip.filingDate ?? null,
      legalStatus: ip.legalStatus as ScreenedIpItem['legalStatus'],
    })),
    transferMode: screenedTransferMode(facts.transferMode),
    signedOn: facts.signedOn,
    validFrom: facts.validFrom,
    validTo: facts.validUntil,
  };
}

/** Another contract, as much of it as a finding may show. */
export function summaryFromFacts(facts: ContractFacts, registrationNumber: string | null): ContractSummary {
  return {
    contractId: facts.contractId,
    number: registrationNumber,
    sellerOrgId: facts.seller.organizationId,
    sellerName: facts.seller.name,
    buyerOrgId: facts.buyer.organizationId,
    buyerName: facts.buyer.name,
    amountFen: facts.totalAmountFen,
    techAmountFen: facts.technologyAmountFen,
    signedOn: facts.signedOn,
    validFrom: facts.validFrom,
    validTo: facts.validUntil,
    transferMode: screenedTransferMode(facts.transferMode),
    ipNumbers: ipNumbersOf(facts),
  };
}

/** What `factsFromContent` reads of a contract's content (the contract context's ContractContent). */
export interface ContentForFacts {
  contractType: string | null;
  subKind: string | null;
  projectName: string;
  technicalField: string | null;
  seller: ContractFactsParty;
  buyer: ContractFactsParty;
  broker: { organizationId: string; userId: string | null; name: string } | null;
  validFrom: string | null;
  validUntil: string | null;
  totalAmountFen: number;
  technologyAmountFen: number;
  nonTechnicalItems: { kind: string; description: string; amountFen: number }[];
  ipItems: { kind: string; number: string | null; legalStatus: string; filingDate?: string | null }[];
  transferMode: string | null;
  license: { exclusivity: 'exclusive' | 'sole' | 'non_exclusive' } | null;
}

const EXCLUSIVITY: Record<string, string> = {
  exclusive: 'exclusive_license',
  sole: 'sole_license',
  non_exclusive: 'non_exclusive_license',
};

/**
 * The facts of a signed version applied for. A broker-entered contract has no transfer mode from a
 * trade: a transfer assigns, a license is as exclusive as its terms say.
 */
export function factsFromContent(input: {
  contractId: string;
  version: number;
  registryOfficeId: string;
  signedOn: string;
  content: ContentForFacts;
}): ContractFacts {
  const c = input.content;
  const transferMode =
    c.transferMode ??
    (c.contractType === 'transfer'
      ? 'assignment'
      : c.contractType === 'license' && c.license
        ? EXCLUSIVITY[c.license.exclusivity]
        : null);
  return {
    contractId: input.contractId,
    version: input.version,
    registryOfficeId: input.registryOfficeId,
    contractType: c.contractType ?? '',
    subKind: c.subKind ?? '',
    projectName: c.projectName,
    technicalField: c.technicalField ?? '',
    seller: c.seller,
    buyer: c.buyer,
    broker: c.broker ? { organizationId: c.broker.organizationId, userId: c.broker.userId, name: c.broker.name } : null,
    signedOn: input.signedOn,
    validFrom: c.validFrom ?? input.signedOn,
    validUntil: c.validUntil ?? c.validFrom ?? input.signedOn,
    totalAmountFen: c.totalAmountFen,
    technologyAmountFen: c.technologyAmountFen,
    nonTechnicalItems: c.nonTechnicalItems.map((i) => ({
      kind: i.kind,
      description: i.description,
      amountFen: i.amountFen,
    })),
    ipItems: c.ipItems.map((ip) => ({
      kind: ip.kind,
      number: ip.number,
      legalStatus: ip.legalStatus,
      filingDate: ip.filingDate ?? null,
    })),
    transferMode,
  };
}
