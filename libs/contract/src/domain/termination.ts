import { ContractErrors } from '../contract.errors';
import { ContractStatus, type ContractSide } from './contract-state';

/**
 * Ending a contract in force early by agreement (协商解除, Civil Code art. 562): one party proposes
 * it with the reason, the other confirms or declines; the proposer may withdraw it while it waits.
 *
 *   proposed → agreed | declined | withdrawn
 *
 * A contract in force is a registered one, so an agreed termination is not the end yet: it opens
 * the cancellation registration (注销登记) at the office in charge, and the contract is terminated —
 * with the agreed reason — when the office registers it. One proposal waits at a time.
 */
export enum TerminationStatus {
  Proposed = 'proposed',
  Agreed = 'agreed',
  Declined = 'declined',
  Withdrawn = 'withdrawn',
}

/** The contracts that can be ended by agreement: registered, before or during performance. */
export const TERMINABLE_STATUSES: readonly ContractStatus[] = [ContractStatus.Registered, ContractStatus.Performing];

export type TerminationAnswer = 'confirm' | 'decline' | 'withdraw';

const OUTCOME: Record<TerminationAnswer, TerminationStatus> = {
  confirm: TerminationStatus.Agreed,
  decline: TerminationStatus.Declined,
  withdraw: TerminationStatus.Withdrawn,
};

const PAST: Record<TerminationAnswer, string> = {
  confirm: 'be confirmed',
  decline: 'be declined',
  withdraw: 'be withdrawn',
};

/**
 * May a side propose a termination now? Throws the reason it may not: the contract is not in force,
 * a proposal is waiting, or an application is open at the office (a change, or a cancellation one
 * party applied for alone), which an agreed termination could not apply beside.
 */
export function checkProposal(
  contractStatus: ContractStatus,
  proposalWaiting: boolean,
  registrationOpen = false,
): void {
  if (!TERMINABLE_STATUSES.includes(contractStatus)) {
    throw ContractErrors.invalidState(contractStatus, 'be terminated by agreement');
  }
  if (proposalWaiting) throw ContractErrors.terminationWaiting();
  if (registrationOpen) throw ContractErrors.registrationState('open', 'take a termination proposal');
}

/** A proposal still waiting when the contract ends (completed or terminated otherwise) is withdrawn. */
export function withdrawOnEnd(termination: { status: TerminationStatus }): boolean {
  if (termination.status !== TerminationStatus.Proposed) return false;
  termination.status = TerminationStatus.Withdrawn;
  return true;
}

/**
 * An answer to a waiting proposal: the other side confirms or declines, the proposing side may
 * withdraw. Moves the proposal, or throws (`CONTRACT.TERMINATION_STATE` when it is no longer
 * waiting, `CONTRACT.OTHER_PARTY_RESOLVES` / `CONTRACT.PROPOSER_WITHDRAWS` for the wrong side).
 */
export function answerTermination(
  termination: { status: TerminationStatus; proposedBySide: ContractSide },
  side: ContractSide,
  answer: TerminationAnswer,
): TerminationStatus {
  if (termination.status !== TerminationStatus.Proposed) {
    throw ContractErrors.terminationState(termination.status, PAST[answer]);
  }
  const own = termination.proposedBySide === side;
  if (answer === 'withdraw' && !own) throw ContractErrors.proposerWithdraws();
  if (answer !== 'withdraw' && own) throw ContractErrors.otherPartyResolves();
  termination.status = OUTCOME[answer];
  return termination.status;
}
