import { NegotiationErrors } from '../negotiation.errors';

/**
 * An offer's life:
 *   awaiting_confirmation (a broker's proposal) → open (its client confirmed) | discarded
 *   open → accepted | rejected | superseded (countered) | expired | withdrawn | closed
 * A negotiation has at most one open offer: the one the other side must answer.
 */
export enum OfferStatus {
  AwaitingConfirmation = 'awaiting_confirmation',
  Open = 'open',
  Accepted = 'accepted',
  Rejected = 'rejected',
  Superseded = 'superseded',
  Expired = 'expired',
  Withdrawn = 'withdrawn',
  Closed = 'closed',
  Discarded = 'discarded',
}

const OFFER_TRANSITIONS: Record<OfferStatus, readonly OfferStatus[]> = {
  [OfferStatus.AwaitingConfirmation]: [OfferStatus.Open, OfferStatus.Discarded],
  [OfferStatus.Open]: [
    OfferStatus.Accepted,
    OfferStatus.Rejected,
    OfferStatus.Superseded,
    OfferStatus.Expired,
    OfferStatus.Withdrawn,
    OfferStatus.Closed,
  ],
  [OfferStatus.Accepted]: [],
  [OfferStatus.Rejected]: [],
  [OfferStatus.Superseded]: [],
  [OfferStatus.Expired]: [],
  [OfferStatus.Withdrawn]: [],
  [OfferStatus.Closed]: [],
  [OfferStatus.Discarded]: [],
};

export function canMoveOffer(from: OfferStatus, to: OfferStatus): boolean {
  return OFFER_TRANSITIONS[from].includes(to);
}

/** Moves an offer through the table, or refuses with `NEGOTIATION.ILLEGAL_TRANSITION`. */
export function moveOffer(offer: { status: OfferStatus; answeredAt: Date | null }, to: OfferStatus, now: Date): void {
  if (!canMoveOffer(offer.status, to)) throw NegotiationErrors.illegalTransition('offer', offer.status, to);
  offer.status = to;
  if (to !== OfferStatus.Open) offer.answeredAt = now;
}
