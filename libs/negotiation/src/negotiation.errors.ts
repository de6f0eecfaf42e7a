import { DomainError, FieldError, NotFoundError, ValidationFailedError } from '@market/http';

export const NegotiationErrors = {
  /** Unknown, or not the caller's to see: the same answer either way. */
  notFound: (id: string) => new NotFoundError('negotiation', id),
  offerNotFound: (id: string) => new NotFoundError('offer', id),
  listingNotFound: (id: string) => new NotFoundError('listing', id),
  announcementNotFound: (id: string) => new NotFoundError('price_announcement', id),
  objectionNotFound: (id: string) => new NotFoundError('objection', id),
  illegalTransition: (what: string, from: string, to: string) =>
    new DomainError('NEGOTIATION.ILLEGAL_TRANSITION', 'conflict', `A ${what} cannot go from ${from} to ${to}`, {
      from,
      to,
    }),
  /** The negotiation already ended: what ended it, as the loser of a race is told. */
  alreadyAccepted: () =>
    new DomainError('NEGOTIATION.ALREADY_ACCEPTED', 'conflict', 'An offer was already accepted in this negotiation'),
  rejected: () =>
    new DomainError('NEGOTIATION.REJECTED', 'conflict', 'The negotiation was already ended by a rejection'),
  withdrawn: () => new DomainError('NEGOTIATION.WITHDRAWN', 'conflict', 'The negotiation was already withdrawn'),
  expired: () =>
    new DomainError('NEGOTIATION.OFFER_EXPIRED', 'conflict', 'The offer expired, and the negotiation with it'),
  closed: (reason: string | null) =>
    new DomainError(
      'NEGOTIATION.CLOSED',
      'conflict',
      `The negotiation was closed: ${reason ?? 'another deal on the listing excludes it'}`,
    ),
  offerExpired: (expiresAt: string) =>
    new DomainError('NEGOTIATION.OFFER_EXPIRED', 'conflict', `The offer expired at ${expiresAt}`, { expiresAt }),
  offerSuperseded: (currentOfferId: string | null) =>
    new DomainError('NEGOTIATION.OFFER_SUPERSEDED', 'conflict', 'A newer offer has replaced this one', {
      currentOfferId,
    }),
  offerNotConfirmed: () =>
    new DomainError(
      'NEGOTIATION.OFFER_NOT_CONFIRMED',
      'conflict',
      'The broker’s proposal has not been confirmed by its client yet',
    ),
  offerNotAwaitingConfirmation: (status: string) =>
    new DomainError('NEGOTIATION.OFFER_NOT_AWAITING_CONFIRMATION', 'conflict', `The offer is ${status}`, { status }),
  notYourTurn: () =>
    new DomainError(
      'NEGOTIATION.NOT_YOUR_TURN',
      'conflict',
      'Your side made the last offer: the other side answers before you may offer again',
    ),
  ownOffer: () => new DomainError('NEGOTIATION.OWN_OFFER', 'conflict', 'An offer is answered by the other side'),
  notAuthorized: (detail: string) => new DomainError('NEGOTIATION.NOT_AUTHORIZED', 'forbidden', detail),
  alreadyOpen: (negotiationId: string) =>
    new DomainError('NEGOTIATION.ALREADY_OPEN', 'conflict', 'Your organization already negotiates on this listing', {
      negotiationId,
    }),
  listingNotOpen: (status: string) =>
    new DomainError('NEGOTIATION.LISTING_NOT_OPEN', 'conflict', `The listing is ${status}`, { listingStatus: status }),
  notNegotiated: () =>
    new DomainError(
      'NEGOTIATION.NOT_NEGOTIATED',
      'unprocessable',
      'Only a listing priced by negotiation (协议定价) takes offers',
    ),
  ownListing: () =>
    new DomainError('NEGOTIATION.OWN_LISTING', 'unprocessable', 'An organization cannot negotiate on its own listing'),
  organizationNotVerified: () =>
    new DomainError(
      'NEGOTIATION.ORGANIZATION_NOT_VERIFIED',
      'unprocessable',
      'Your organization must be verified by the market first',
    ),
  brokerAlreadyInvited: () =>
    new DomainError(
      'NEGOTIATION.BROKER_ALREADY_INVITED',
      'conflict',
      'A broker is already invited to this negotiation',
    ),
  notABroker: () =>
    new DomainError(
      'NEGOTIATION.NOT_A_BROKER',
      'unprocessable',
      'Only a broker (技术经理人) of a technology transfer agency may be invited',
    ),
  announcementOver: () =>
    new DomainError(
      'NEGOTIATION.ANNOUNCEMENT_OVER',
      'conflict',
      'The price announcement is over; objections are closed',
    ),
  ownDeal: () =>
    new DomainError('NEGOTIATION.OWN_DEAL', 'unprocessable', 'A party to the deal cannot object to its announcement'),
  /** Input that does not fit: a 400 naming each field, as class-validator's failures are. */
  invalidTerms: (errors: FieldError[]) => new ValidationFailedError(errors),
};
