import { ContractErrors } from '../contract.errors';

/**
 * The contract's life, in one place (DESIGN.md, "Contract"):
 *
 *   draft → signed (both parties) → submitted → under_review (⇄ documents_requested)
 *         → registered | refused | confirmed_false
 *   registered → performing → completed | terminated
 *
 * and, around it:
 * - an amendment of a signed or refused contract is a new version: back to draft, both sign again;
 * - a refused applicant may object (异议): refused → under_review, once; or amend and apply again;
 * - a registered contract ended early is cancelled (注销登记): registered | performing → terminated,
 *   applied for by the seller side or opened by a termination both parties agreed (termination.ts);
 * - a draft nobody wants is abandoned: draft → terminated.
 *
 * Every status change goes through `moveContract`, which refuses a move the table does not allow
 * with `CONTRACT.INVALID_STATE`; no other code assigns a contract's status.
 */
export enum ContractStatus {
  Draft = 'draft',
  Signed = 'signed',
  Submitted = 'submitted',
  UnderReview = 'under_review',
  DocumentsRequested = 'documents_requested',
  Registered = 'registered',
  Refused = 'refused',
  ConfirmedFalse = 'confirmed_false',
  Performing = 'performing',
  Completed = 'completed',
  Terminated = 'terminated',
}

export const CONTRACT_TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  [ContractStatus.Draft]: [ContractStatus.Signed, ContractStatus.Terminated],
  [ContractStatus.Signed]: [ContractStatus.Submitted, ContractStatus.Draft],
  [ContractStatus.Submitted]: [ContractStatus.UnderReview],
  [ContractStatus.UnderReview]: [
    ContractStatus.DocumentsRequested,
    ContractStatus.Registered,
    ContractStatus.Refused,
    ContractStatus.ConfirmedFalse,
  ],
  [ContractStatus.DocumentsRequested]: [ContractStatus.UnderReview],
  [ContractStatus.Registered]: [ContractStatus.Performing, ContractStatus.Terminated],
  [ContractStatus.Refused]: [ContractStatus.UnderReview, ContractStatus.Draft],
  [ContractStatus.ConfirmedFalse]: [],
  [ContractStatus.Performing]: [ContractStatus.Completed, ContractStatus.Terminated],
  [ContractStatus.Completed]: [],
  [ContractStatus.Terminated]: [],
};

/** The states in which the parties may still change the content by editing the draft in place. */
export const EDITABLE_STATUSES: readonly ContractStatus[] = [ContractStatus.Draft];

/** The states from which a change is an amendment: a new version both parties sign again. */
export const AMENDABLE_STATUSES: readonly ContractStatus[] = [ContractStatus.Signed, ContractStatus.Refused];

/** States with a registry office in charge (its auditors see the contract). */
export const FILED_STATUSES: readonly ContractStatus[] = [
  ContractStatus.Submitted,
  ContractStatus.UnderReview,
  ContractStatus.DocumentsRequested,
  ContractStatus.Registered,
  ContractStatus.Refused,
  ContractStatus.ConfirmedFalse,
  ContractStatus.Performing,
  ContractStatus.Completed,
  ContractStatus.Terminated,
];

export function canTransition(from: ContractStatus, to: ContractStatus): boolean {
  return CONTRACT_TRANSITIONS[from].includes(to);
}

/**
 * The status a contract moves to, or `CONTRACT.INVALID_STATE` (naming the status it is in) when
 * the table refuses the move. `action` completes "The contract is <status>; it cannot …".
 */
export function contractTransition(from: ContractStatus, to: ContractStatus, action: string): ContractStatus {
  if (!canTransition(from, to)) throw ContractErrors.invalidState(from, action);
  return to;
}

/** Moves a contract to `to` through the transition table (see `contractTransition`). */
export function moveContract(contract: { status: ContractStatus }, to: ContractStatus, action: string): ContractStatus {
  const from = contract.status;
  contract.status = contractTransition(from, to, action);
  return from;
}

/** Which side of the contract an organization is on. */
export type ContractSide = 'seller' | 'buyer';

export interface VersionSignatures {
  sellerSignedAt: Date | null;
  buyerSignedAt: Date | null;
}

/**
 * A signature on the current version. Refused when that side signed already; the contract is
 * signed once both sides have (the caller then moves it draft → signed).
 */
export function sign(
  version: VersionSignatures & { sellerSignedBy: string | null; buyerSignedBy: string | null },
  side: ContractSide,
  userId: string,
  now: Date,
): { complete: boolean } {
  if (side === 'seller') {
    if (version.sellerSignedAt) throw ContractErrors.alreadySigned(side);
    version.sellerSignedAt = now;
    version.sellerSignedBy = userId;
  } else {
    if (version.buyerSignedAt) throw ContractErrors.alreadySigned(side);
    version.buyerSignedAt = now;
    version.buyerSignedBy = userId;
  }
  return { complete: version.sellerSignedAt !== null && version.buyerSignedAt !== null };
}
