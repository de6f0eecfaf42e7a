import { DomainError, NotFoundError } from '@market/http';
import type { ListingStatus } from './domain/listing-state';

export const ListingErrors = {
  notFound: (id: string) => new NotFoundError('listing', id),
  objectionNotFound: (id: string) => new NotFoundError('objection', id),
  packageNotFound: (id: string) => new NotFoundError('package', id),
  invalidState: (status: ListingStatus, action: string) =>
    new DomainError('LISTING.INVALID_STATE', 'conflict', `The listing is ${status}; it cannot ${action}`, {
      listingStatus: status,
    }),
  hasCommitments: (reason: string) =>
    new DomainError('LISTING.HAS_COMMITMENTS', 'conflict', `The listing cannot be withdrawn: ${reason}`),
  notYours: () => new DomainError('LISTING.NOT_YOURS', 'forbidden', 'Only the seller’s organization may do this'),
  priceRequired: (mode: string) =>
    new DomainError(
      'LISTING.PRICE_REQUIRED',
      'unprocessable',
      `A ${mode} listing needs an asking price (askingPriceFen)`,
    ),
  organizationNotVerified: () =>
    new DomainError(
      'LISTING.ORGANIZATION_NOT_VERIFIED',
      'unprocessable',
      'Your organization must be verified by the market first',
    ),
  announcementOver: () =>
    new DomainError('LISTING.ANNOUNCEMENT_OVER', 'conflict', 'The announcement period is over; objections are closed'),
  ownListing: () =>
    new DomainError('LISTING.OWN_LISTING', 'unprocessable', 'An organization cannot do this on its own listing'),
  notListedPrice: () =>
    new DomainError(
      'LISTING.NOT_LISTED_PRICE',
      'unprocessable',
      'Intents are registered only on listed-price (挂牌) listings',
    ),
  intentExists: () =>
    new DomainError('LISTING.INTENT_EXISTS', 'conflict', 'Your organization has already registered an intent'),
  intentPriceMismatch: (askingPriceFen: number) =>
    new DomainError(
      'LISTING.INTENT_PRICE_MISMATCH',
      'unprocessable',
      `Intents are at the asking price, ${askingPriceFen} fen`,
      {
        askingPriceFen,
      },
    ),
  listingPeriodOver: () => new DomainError('LISTING.LISTING_PERIOD_OVER', 'conflict', 'The listing period is over'),
  objectionClosed: (status: string) =>
    new DomainError('LISTING.OBJECTION_CLOSED', 'conflict', `The objection is ${status}`),
  priceRange: () => new DomainError('LISTING.PRICE_RANGE', 'invalid', 'minPriceFen must not exceed maxPriceFen'),
  packageListingsNotPublic: (listingIds: string[]) =>
    new DomainError('LISTING.PACKAGE_LISTINGS_NOT_PUBLIC', 'unprocessable', 'A package may only hold public listings', {
      listingIds,
    }),
};
