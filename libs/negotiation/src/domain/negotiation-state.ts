import { DomainError } from '@market/http';
import { NegotiationErrors } from '../negotiation.errors';

/**
 * A negotiation's life, in one place:
 *
 *   open → agreed | rejected | withdrawn | expired | closed (another deal on the listing excludes it)
 *   agreed → final                      (a seller that is not a public institution)
 *   agreed → announced → final | annulled   (a university or research institute: 交易价格公示)
 *
 * Every status change goes through the functions below, which refuse a move the table does not
 * list; no service assigns a status itself.
 */
export enum NegotiationStatus {
  Open = 'open',
  Agreed = 'agreed',
  Announced = 'announced',
  Final = 'final',
  Annulled = 'annulled',
  Rejected = 'rejected',
  Withdrawn = 'withdrawn',
  Expired = 'expired',
  Closed = 'closed',
}

/** The two parties. A broker acts for one of them. */
export enum Side {
  Buyer = 'buyer',
  Seller = 'seller',
}

export const otherSide = (side: Side): Side => (side === Side.Buyer ? Side.Seller : Side.Buyer);

export const NEGOTIATION_TRANSITIONS: Record<NegotiationStatus, readonly NegotiationStatus[]> = {
  [NegotiationStatus.Open]: [
    NegotiationStatus.Agreed,
    NegotiationStatus.Rejected,
    NegotiationStatus.Withdrawn,
    NegotiationStatus.Expired,
    NegotiationStatus.Closed,
  ],
  [NegotiationStatus.Agreed]: [NegotiationStatus.Announced, NegotiationStatus.Final],
  [NegotiationStatus.Announced]: [NegotiationStatus.Final, NegotiationStatus.Annulled],
  [NegotiationStatus.Final]: [],
  [NegotiationStatus.Annulled]: [],
  [NegotiationStatus.Rejected]: [],
  [NegotiationStatus.Withdrawn]: [],
  [NegotiationStatus.Expired]: [],
  [NegotiationStatus.Closed]: [],
};

/** A buyer organization has at most one negotiation in these states per listing. */
export const LIVE_NEGOTIATION_STATUSES = [
  NegotiationStatus.Open,
  NegotiationStatus.Agreed,
  NegotiationStatus.Announced,
];

export function canTransition(from: NegotiationStatus, to: NegotiationStatus): boolean {
  return NEGOTIATION_TRANSITIONS[from].includes(to);
}

/** The fields the transitions write. */
export interface NegotiationLifecycle {
  status: NegotiationStatus;
  agreedOfferId: string | null;
  agreedAt: Date | null;
  announcementEndsAt: Date | null;
  announcementPausedAt: Date | null;
  announcementRemainingMs: number | null;
  finalAt: Date | null;
  endedAt: Date | null;
  endedReason: string | null;
}

function move(negotiation: NegotiationLifecycle, to: NegotiationStatus): void {
  if (!canTransition(negotiation.status, to)) {
    throw NegotiationErrors.illegalTransition('negotiation', negotiation.status, to);
  }
  negotiation.status = to;
}

/** An offer was accepted: the terms are agreed (final at once, or after the price announcement). */
export function agree(negotiation: NegotiationLifecycle, offerId: string, now: Date): void {
  move(negotiation, NegotiationStatus.Agreed);
  negotiation.agreedOfferId = offerId;
  negotiation.agreedAt = now;
}

/** A public institution's deal: announced until `endsAt`. */
export function announce(negotiation: NegotiationLifecycle, endsAt: Date): void {
  move(negotiation, NegotiationStatus.Announced);
  negotiation.announcementEndsAt = endsAt;
  negotiation.announcementPausedAt = null;
  negotiation.announcementRemainingMs = null;
}

/** The deal is final: at acceptance, or when its announcement ended without an upheld objection. */
export function finalize(negotiation: NegotiationLifecycle, now: Date): void {
  move(negotiation, NegotiationStatus.Final);
  negotiation.finalAt = now;
  negotiation.announcementPausedAt = null;
}

/** An objection to the announced price was upheld: the deal is void. */
export function annul(negotiation: NegotiationLifecycle, reason: string, now: Date): void {
  move(negotiation, NegotiationStatus.Annulled);
  negotiation.endedAt = now;
  negotiation.endedReason = reason;
  negotiation.announcementPausedAt = null;
}

export type EndStatus =
  NegotiationStatus.Rejected | NegotiationStatus.Withdrawn | NegotiationStatus.Expired | NegotiationStatus.Closed;

/** An open negotiation ends without a deal. */
export function endNegotiation(negotiation: NegotiationLifecycle, to: EndStatus, reason: string, now: Date): void {
  move(negotiation, to);
  negotiation.endedAt = now;
  negotiation.endedReason = reason;
}

/** An objection stops the announcement clock; it keeps the time that was left. */
export function pauseAnnouncement(negotiation: NegotiationLifecycle, now: Date): void {
  if (negotiation.status !== NegotiationStatus.Announced || negotiation.announcementPausedAt) return;
  negotiation.announcementRemainingMs = Math.max(0, negotiation.announcementEndsAt!.getTime() - now.getTime());
  negotiation.announcementPausedAt = now;
}

/** The last open objection was dismissed: the clock runs again with the time it had left. */
export function resumeAnnouncement(negotiation: NegotiationLifecycle, now: Date): Date {
  const endsAt = new Date(now.getTime() + (negotiation.announcementRemainingMs ?? 0));
  negotiation.announcementEndsAt = endsAt;
  negotiation.announcementPausedAt = null;
  negotiation.announcementRemainingMs = null;
  return endsAt;
}

/**
 * Why nothing more may happen in a negotiation that is not open: what happened first, as the
 * loser of a race (an accept against a withdrawal, a counter-offer against the expiry job) is told.
 */
export function refusalFor(negotiation: { status: NegotiationStatus; endedReason: string | null }): DomainError {
  switch (negotiation.status) {
    case NegotiationStatus.Agreed:
    case NegotiationStatus.Announced:
    case NegotiationStatus.Final:
    case NegotiationStatus.Annulled:
      return NegotiationErrors.alreadyAccepted();
    case NegotiationStatus.Rejected:
      return NegotiationErrors.rejected();
    case NegotiationStatus.Withdrawn:
      return NegotiationErrors.withdrawn();
    case NegotiationStatus.Expired:
      return NegotiationErrors.expired();
    case NegotiationStatus.Closed:
      return NegotiationErrors.closed(negotiation.endedReason);
    default:
      throw new Error(`an open negotiation refuses nothing by its status`);
  }
}

/** Refuses anything but an open negotiation, saying what ended it. */
export function ensureOpen(negotiation: { status: NegotiationStatus; endedReason: string | null }): void {
  if (negotiation.status !== NegotiationStatus.Open) throw refusalFor(negotiation);
}
