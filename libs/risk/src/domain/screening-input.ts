/**
 * What the false-contract rules read: the contract under screening and its neighbourhood, in
 * plain values. The contract context fills these (a loader in libs/risk); the rules never see an
 * entity, a repository or the clock, so each can be tested on a handful of literals.
 *
 * Dates are calendar dates in Asia/Shanghai, `YYYY-MM-DD`; money is integer fen.
 */

/** The five contract types of the registration rules (Civil Code arts. 843–887). */
export type ScreenedContractType = 'development' | 'transfer' | 'license' | 'consulting' | 'service';

/** How the rights move, for transfers and licenses; null for the other types. */
export type ScreenedTransferMode = 'assignment' | 'exclusive_license' | 'sole_license' | 'non_exclusive_license';

export type ScreenedIpKind =
  'invention_patent' | 'utility_model' | 'design' | 'software_copyright' | 'know_how' | 'plant_variety' | 'ic_layout';

export type ScreenedIpStatus = 'pending' | 'granted' | 'lapsed' | 'invalidated';

export type CreditRating = 'A' | 'B' | 'C' | 'D';

export interface ScreenedParty {
  orgId: string;
  name: string;
  /** 法定代表人, as registered; null when the organization has not given it. */
  legalRepresentative: string | null;
  /** 注册地址, as registered. */
  registeredAddress: string | null;
}

export interface ScreenedIpItem {
  kind: ScreenedIpKind;
  /** The patent or registration number; null for know-how. */
  number: string | null;
  /** 申请日; null when unknown (the number's year is the fallback). */
  filingDate: string | null;
  legalStatus: ScreenedIpStatus;
}

/** What an itemised non-technical part of the price is (成交额 − 技术交易额). */
export type NonTechItemCategory = 'goods' | 'equipment' | 'construction' | 'installation' | 'materials' | 'other';

export interface NonTechItem {
  description: string;
  category: NonTechItemCategory;
  amountFen: number;
}

export interface ContractUnderScreening {
  contractId: string;
  /** The registration number once registered; null while applying. */
  number: string | null;
  type: ScreenedContractType;
  subKind: string;
  technicalField: string;
  seller: ScreenedParty;
  buyer: ScreenedParty;
  broker: { brokerId: string; name: string } | null;
  /** 成交额 */
  amountFen: number;
  /** 技术交易额 (≤ amountFen) */
  techAmountFen: number;
  nonTechItems: NonTechItem[];
  /** The project name and the description of the subject matter. */
  subject: string;
  ipItems: ScreenedIpItem[];
  transferMode: ScreenedTransferMode | null;
  signedOn: string;
  validFrom: string;
  validTo: string;
}

/**
 * Another contract, as much of it as a finding may show: parties, amounts, dates, numbers. What it
 * does not carry cannot leak to the auditors of another office.
 */
export interface ContractSummary {
  contractId: string;
  number: string | null;
  sellerOrgId: string;
  sellerName: string;
  buyerOrgId: string;
  buyerName: string;
  amountFen: number;
  techAmountFen: number;
  signedOn: string;
  validFrom: string;
  validTo: string;
  transferMode: ScreenedTransferMode | null;
  /** Numbers of the IP items it carries. */
  ipNumbers: string[];
}

/** A registered deal of the same type, sub-kind and technical field, for the price rule. */
export interface ComparableDeal {
  contractId: string;
  number: string | null;
  techAmountFen: number;
  signedOn: string;
}

export type OrganizationRelationKind = 'shareholding' | 'legal_representative' | 'registered_address' | 'control';

/** A row of the relations table admins maintain (or import as CSV). */
export interface OrganizationRelation {
  relationId: string;
  orgAId: string;
  orgBId: string;
  kind: OrganizationRelationKind;
  /** For shareholding: A holds this percentage of B. */
  sharePercent: number | null;
  /** Where the admin found it (business registry extract, annual report …). */
  source: string | null;
}

export interface RatedSubject {
  subject: 'organization' | 'broker';
  id: string;
  name: string;
  rating: CreditRating;
}

/**
 * What the rules are given besides the contract: the loader reads these once per application (or
 * once per batch) so the rules stay pure.
 */
export interface Neighbourhood {
  /**
   * Other live contracts (submitted, registered or performing; not refused or cancelled) in which
   * the seller or the buyer is a party, over the longest look-back any rule needs.
   */
  partyContracts: ContractSummary[];
  /** Other live contracts that carry one of the screened contract's IP numbers. */
  ipContracts: ContractSummary[];
  comparables: ComparableDeal[];
  /** Relation rows that name the seller or the buyer. */
  relations: OrganizationRelation[];
  /** Current ratings of the parties and the broker; a subject without a rating is absent. */
  ratings: RatedSubject[];
}
