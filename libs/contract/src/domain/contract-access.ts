import type { Actor } from '@market/identity';
import { FILED_STATUSES, type ContractSide, type ContractStatus } from './contract-state';

/** What access rules need of a contract. */
export interface ContractAudience {
  status: ContractStatus;
  sellerOrganizationId: string;
  buyerOrganizationId: string;
  brokerOrganizationId: string | null;
  registryOfficeId: string | null;
}

const has = (actor: Actor, role: string) => (actor.roles as string[]).includes(role);

/** The side the actor's organization is on, or null. */
export function sideOf(actor: Actor, contract: ContractAudience): ContractSide | null {
  if (actor.organizationId === contract.sellerOrganizationId) return 'seller';
  if (actor.organizationId === contract.buyerOrganizationId) return 'buyer';
  return null;
}

/** The office in charge's auditors, once the contract is filed with it. */
export function isAuditorInCharge(actor: Actor, contract: ContractAudience): boolean {
  return (
    has(actor, 'auditor') &&
    contract.registryOfficeId !== null &&
    contract.registryOfficeId === actor.organizationId &&
    FILED_STATUSES.includes(contract.status)
  );
}

/**
 * Who sees a contract (issue 13, "Access"): members of either party, members of the broker
 * organization that mediated it, the auditors of the registry office it is filed with, and admins.
 * To anyone else it does not exist (404).
 */
export function mayReadContract(actor: Actor, contract: ContractAudience): boolean {
  return (
    has(actor, 'admin') ||
    sideOf(actor, contract) !== null ||
    (contract.brokerOrganizationId !== null && actor.organizationId === contract.brokerOrganizationId) ||
    isAuditorInCharge(actor, contract)
  );
}

/** The parties and their broker change a contract's content; auditors and admins only read it. */
export function mayEditContract(actor: Actor, contract: ContractAudience): boolean {
  return (
    sideOf(actor, contract) !== null ||
    (contract.brokerOrganizationId !== null &&
      actor.organizationId === contract.brokerOrganizationId &&
      has(actor, 'broker'))
  );
}

/** A signer is a member of a party holding a trading role (seller or buyer): the party's authorized user. */
export function signingSide(actor: Actor, contract: ContractAudience): ContractSide | null {
  const side = sideOf(actor, contract);
  return side && (has(actor, 'seller') || has(actor, 'buyer')) ? side : null;
}
