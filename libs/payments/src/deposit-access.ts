import { Actor, canSeePrivateOf, Role } from '@market/identity';

/**
 * Recording that a bank transfer arrived makes a deposit held, which lets its payer bid: it is the
 * market operator's job (finance, admins), never a party's and never a broker's.
 */
export function mayRecordReceipts(actor: Actor): boolean {
  return actor.roles.includes(Role.Finance) || actor.roles.includes(Role.Admin);
}

/**
 * A party may not confirm its own payment: a finance clerk (or admin) who belongs to the paying
 * organization cannot record that organization's transfer, whoever appointed the role.
 */
export function mayRecordReceiptFor(actor: Actor, payerOrganizationId: string): boolean {
  return mayRecordReceipts(actor) && actor.organizationId !== payerOrganizationId;
}

/** A deposit is private to the paying organization; the operator's finance and admins see all. */
export function mayReadDeposit(actor: Actor, payerOrganizationId: string): boolean {
  return canSeePrivateOf(actor, payerOrganizationId) || actor.roles.includes(Role.Finance);
}
