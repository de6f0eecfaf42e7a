import { DomainError, NotFoundError } from '@market/http';
import type { BidRefusal } from './domain/bid-rules';

const REFUSALS: Record<BidRefusal, { kind: 'conflict' | 'forbidden' | 'unprocessable'; detail: string }> = {
  NOT_OPEN: { kind: 'conflict', detail: 'The auction is not open for bids' },
  CLOSED: { kind: 'conflict', detail: 'The auction has closed' },
  OWN_LISTING: { kind: 'forbidden', detail: 'The seller’s organization cannot bid on its own listing' },
  NOT_INVITED: { kind: 'forbidden', detail: 'This auction is restricted to the buyers who registered intent' },
  NO_DEPOSIT: { kind: 'unprocessable', detail: 'A deposit (保证金) must be held before bidding' },
  TOO_LOW: { kind: 'unprocessable', detail: 'The bid is below the current price plus the minimum increment' },
};

export const AuctionErrors = {
  notFound: (id: string) => new NotFoundError('auction', id),
  listingNotFound: (id: string) => new NotFoundError('listing', id),
  illegalTransition: (id: string, from: string, to: string) =>
    new DomainError('AUCTION.ILLEGAL_TRANSITION', 'conflict', `Auction ${id} cannot go from ${from} to ${to}`, {
      from,
      to,
    }),
  reservedForIntendingBuyers: () =>
    new DomainError(
      'AUCTION.RESERVED_FOR_INTENDING_BUYERS',
      'conflict',
      'This listing went to auction among the buyers who registered intent; the market schedules that auction and no other',
    ),
  bidRefused: (reason: BidRefusal, minimumFen: number) =>
    new DomainError(`AUCTION.${reason}`, REFUSALS[reason].kind, REFUSALS[reason].detail, { minimumFen }),
  listingNotAuctionable: (reason: string) =>
    new DomainError('AUCTION.LISTING_NOT_AUCTIONABLE', 'unprocessable', reason),
  notSeller: () =>
    new DomainError('AUCTION.NOT_SELLER', 'forbidden', 'Only the seller’s organization or an admin may do this'),
  badSchedule: (detail: string) => new DomainError('AUCTION.BAD_SCHEDULE', 'invalid', detail),
  badPrices: (detail: string) => new DomainError('AUCTION.BAD_PRICES', 'invalid', detail),
  alreadyLive: () =>
    new DomainError('AUCTION.ALREADY_LIVE', 'conflict', 'The listing already has an auction that is not over'),
  organizationNotVerified: () =>
    new DomainError(
      'AUCTION.ORGANIZATION_NOT_VERIFIED',
      'unprocessable',
      'Your organization must be verified by the market first',
    ),
  keyReused: () =>
    new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'unprocessable',
      'This Idempotency-Key was already used with a different bid',
    ),
};
