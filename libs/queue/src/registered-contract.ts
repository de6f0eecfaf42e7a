/**
 * What the contract context tells the statistics (and any other counting context) about a
 * registered contract: the statistical fields of the registration form JJ-001 as plain JSON, so a
 * consumer keeps its own figures and never reads the contract tables. Filled from the version the
 * office registered.
 */
export interface RegisteredContractParty {
  organizationId: string;
  name: string;
  /** JJ-001 party kind: enterprise, university, research_institute, other_public_institution, individual, other. */
  kind: string;
  /** 6-digit administrative division code (GB/T 2260). */
  regionCode: string;
}

export interface RegisteredContractFacts {
  contractId: string;
  /** The contract version registered (a change registration registers a later one). */
  version: number;
  /** The 14-digit registration number. */
  registrationNumber: string;
  /** The day of the (first) registration, YYYY-MM-DD in Asia/Shanghai: the month statistics count it in. */
  registeredOn: string;
  /** development, transfer, license, consulting, service. */
  contractType: string;
  subKind: string | null;
  /** One of the ten technical fields. */
  technicalField: string | null;
  projectName: string;
  /** The listing (科技成果) the contract came from, if it came from one. */
  listingId: string | null;
  seller: RegisteredContractParty;
  buyer: RegisteredContractParty;
  broker: { organizationId: string; name: string } | null;
  /** 成交额 */
  totalAmountFen: number;
  /** 技术交易额 */
  technologyAmountFen: number;
  /** The kinds of the IP items, in the contract's order (invention_patent, software_copyright, know_how …). */
  ipKinds: string[];
}
