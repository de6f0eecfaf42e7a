/**
 * What a technology contract says, in the terms of the registration form JJ-001 (技术合同登记表)
 * and the five categories of the Civil Code (arts. 843–887) as the 2001 认定规则 applies them.
 * Plain JSON: a version of a contract stores it whole, and its signed form is hashed.
 */

/** The five categories (技术合同认定规则, chapters 2–6). */
export enum ContractType {
  /** 技术开发 */
  Development = 'development',
  /** 技术转让 */
  Transfer = 'transfer',
  /** 技术许可 */
  License = 'license',
  /** 技术咨询 */
  Consulting = 'consulting',
  /** 技术服务 (incl. training 培训 and intermediary 中介) */
  Service = 'service',
}

/** Sub-kinds per category (registration-rules digest, "Contract types"). */
export const SUB_KINDS: Record<ContractType, readonly string[]> = {
  [ContractType.Development]: ['commissioned', 'cooperative'],
  [ContractType.Transfer]: [
    'patent_right',
    'patent_application_right',
    'technical_secret',
    'software_copyright',
    'ic_layout',
    'plant_variety',
    'biomedicine_variety',
    // 技术入股: investment in kind is registered as a transfer.
    'equity_investment',
  ],
  [ContractType.License]: [
    'patent_license',
    'technical_secret_license',
    'software_copyright_license',
    'ic_layout_license',
    'plant_variety_license',
  ],
  [ContractType.Consulting]: ['commissioned_consulting', 'standing_adviser'],
  [ContractType.Service]: ['technical_service', 'training', 'intermediary'],
};

export const CONTRACT_TYPE_LABELS: Record<ContractType, string> = {
  [ContractType.Development]: '技术开发',
  [ContractType.Transfer]: '技术转让',
  [ContractType.License]: '技术许可',
  [ContractType.Consulting]: '技术咨询',
  [ContractType.Service]: '技术服务',
};

/** A party's kind as JJ-001 counts it (卖方/买方类型). */
export enum PartyKind {
  Enterprise = 'enterprise',
  University = 'university',
  ResearchInstitute = 'research_institute',
  OtherPublicInstitution = 'other_public_institution',
  Individual = 'individual',
  Other = 'other',
}

/** The ten technical fields (same vocabulary as listings). */
export const TECHNICAL_FIELDS = [
  'high_end_equipment',
  'new_materials',
  'next_gen_it',
  'new_energy',
  'modern_agriculture',
  'population_health',
  'resources_environment',
  'cultural_creative',
  'public_safety',
  'modern_services',
] as const;

export enum NonTechnicalKind {
  Hardware = 'hardware',
  Materials = 'materials',
  Construction = 'construction',
  Other = 'other',
}

export enum MilestoneKind {
  Deliverable = 'deliverable',
  Payment = 'payment',
}

export enum Pricing {
  /** A fixed price: the payment milestones sum to it. */
  Fixed = 'fixed',
  /** 入门费 + 提成: down payments, then a running royalty reported and recorded as it falls due. */
  Royalty = 'royalty',
}

export interface ContractParty {
  organizationId: string;
  name: string;
  kind: PartyKind;
  /** 6-digit administrative division code (GB/T 2260). */
  regionCode: string;
}

export interface ContractBroker {
  organizationId: string;
  userId: string | null;
  name: string;
  /** Commission as a rate of the total in basis points, or a fixed sum; and who pays it. */
  commissionRateBasisPoints: number | null;
  commissionFixedFen: number | null;
  commissionPaidBy: 'seller' | 'buyer';
}

export interface NonTechnicalItem {
  kind: NonTechnicalKind;
  description: string;
  amountFen: number;
}

export interface ContractIpItem {
  kind: string;
  number: string | null;
  legalStatus: string;
  /** 申请日 (YYYY-MM-DD), when given: the false-contract rules count the statutory term from it. */
  filingDate?: string | null;
}

export interface LicenseTerms {
  fieldOfUse: string;
  territory: string[] | 'nationwide';
  termMonths: number;
  exclusivity: 'exclusive' | 'sole' | 'non_exclusive';
}

export interface RoyaltyTerm {
  rateBasisPoints: number;
  /** What the rate applies to: net sales, profit, units … (提成基数). */
  basis: string;
  periodMonths: number;
}

export interface Milestone {
  /** Stable across versions (`m1`, `m2`, …): performance tracking refers to it. */
  key: string;
  kind: MilestoneKind;
  title: string;
  dueOn: string | null;
  /** Payment milestones only. */
  amountFen: number | null;
  /** Paid before the contract (an auction winner's deposit applied to the price). */
  prepaid: boolean;
}

export interface ContractContent {
  contractType: ContractType | null;
  subKind: string | null;
  projectName: string;
  technicalField: string | null;
  seller: ContractParty;
  buyer: ContractParty;
  broker: ContractBroker | null;
  /** Dates (YYYY-MM-DD) in Asia/Shanghai. */
  validFrom: string | null;
  validUntil: string | null;
  /** 成交额 */
  totalAmountFen: number;
  /** 技术交易额 */
  technologyAmountFen: number;
  nonTechnicalItems: NonTechnicalItem[];
  expectedNewInvestmentFen: number | null;
  expectedNewOutputFen: number | null;
  ipItems: ContractIpItem[];
  /** 政府计划类别, free text (null: none). */
  governmentPlan: string | null;
  /** The transfer mode agreed in the trade (listing vocabulary), kept for reference. */
  transferMode: string | null;
  license: LicenseTerms | null;
  pricing: Pricing;
  royalty: RoyaltyTerm | null;
  milestones: Milestone[];
}
