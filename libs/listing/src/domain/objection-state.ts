import { ListingErrors } from '../listing.errors';

/**
 * An objection's (异议) life: awaiting_answer → answered (the seller answers) → upheld | dismissed
 * (an admin rules, with or without an answer). Ruled objections are closed.
 */
export enum ObjectionStatus {
  AwaitingAnswer = 'awaiting_answer',
  Answered = 'answered',
  Upheld = 'upheld',
  Dismissed = 'dismissed',
}

export const OPEN_OBJECTION_STATUSES = [ObjectionStatus.AwaitingAnswer, ObjectionStatus.Answered];

const OBJECTION_TRANSITIONS: Record<ObjectionStatus, readonly ObjectionStatus[]> = {
  [ObjectionStatus.AwaitingAnswer]: [ObjectionStatus.Answered, ObjectionStatus.Upheld, ObjectionStatus.Dismissed],
  [ObjectionStatus.Answered]: [ObjectionStatus.Upheld, ObjectionStatus.Dismissed],
  [ObjectionStatus.Upheld]: [],
  [ObjectionStatus.Dismissed]: [],
};

/** The status an objection moves to, or `LISTING.OBJECTION_CLOSED` (naming its status) when refused. */
export function objectionTransition(from: ObjectionStatus, to: ObjectionStatus): ObjectionStatus {
  if (!OBJECTION_TRANSITIONS[from].includes(to)) throw ListingErrors.objectionClosed(from);
  return to;
}

/** Moves an objection to `to` through the transition table (see `objectionTransition`). */
export function moveObjection(objection: { status: ObjectionStatus }, to: ObjectionStatus): void {
  objection.status = objectionTransition(objection.status, to);
}

/** What an admin's ruling makes of an objection. */
export function rulingStatus(decision: 'upheld' | 'dismissed'): ObjectionStatus {
  return decision === 'upheld' ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed;
}
