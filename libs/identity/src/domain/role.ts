export enum Role {
  Seller = 'seller',
  Buyer = 'buyer',
  Broker = 'broker',
  Auditor = 'auditor',
  Admin = 'admin',
  /** The market operator's finance clerk: records that a bank transfer arrived. Appointed by an admin. */
  Finance = 'finance',
}

/** Roles anyone may take when registering; auditors, finance clerks and admins are appointed by an admin. */
export const SELF_SERVICE_ROLES: Role[] = [Role.Seller, Role.Buyer, Role.Broker];

export enum OrganizationKind {
  University = 'university',
  Institute = 'institute',
  Enterprise = 'enterprise',
  /** A technology transfer agency, home of brokers. */
  Agency = 'agency',
  /** A technology contract registry office (技术合同登记机构). */
  Registry = 'registry',
  /** The market operator. */
  Operator = 'operator',
}

export const SELF_SERVICE_KINDS: OrganizationKind[] = [
  OrganizationKind.University,
  OrganizationKind.Institute,
  OrganizationKind.Enterprise,
  OrganizationKind.Agency,
];

/**
 * State-funded public institutions (高校、科研院所): a price they agree by negotiation is announced
 * publicly (交易价格公示) before the deal is final.
 */
export const PUBLIC_INSTITUTION_KINDS: readonly OrganizationKind[] = [
  OrganizationKind.University,
  OrganizationKind.Institute,
];

/** The organizations whose users may act as brokers (技术经理人) in a negotiation: transfer agencies. */
export const BROKER_ORGANIZATION_KINDS: readonly OrganizationKind[] = [OrganizationKind.Agency];
