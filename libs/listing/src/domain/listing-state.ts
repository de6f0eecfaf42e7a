import { ListingErrors } from '../listing.errors';

/**
 * The listing's life, in one place:
 *   draft → submitted → announced (公示, objections pause it) → open → under_contract → sold
 *   and withdrawn / expired as ends. A rejected submission goes back to draft.
 *
 * Every status change goes through `moveListing`, which refuses a move the table does not allow
 * with `LISTING.INVALID_STATE`; no other code assigns a listing's status.
 */
export enum ListingStatus {
  Draft = 'draft',
  Submitted = 'submitted',
  Announced = 'announced',
  Open = 'open',
  UnderContract = 'under_contract',
  Sold = 'sold',
  Withdrawn = 'withdrawn',
  Expired = 'expired',
}

export const LISTING_TRANSITIONS: Record<ListingStatus, readonly ListingStatus[]> = {
  [ListingStatus.Draft]: [ListingStatus.Submitted, ListingStatus.Withdrawn],
  [ListingStatus.Submitted]: [ListingStatus.Announced, ListingStatus.Draft, ListingStatus.Withdrawn],
  [ListingStatus.Announced]: [ListingStatus.Open, ListingStatus.Withdrawn],
  [ListingStatus.Open]: [ListingStatus.UnderContract, ListingStatus.Withdrawn, ListingStatus.Expired],
  [ListingStatus.UnderContract]: [ListingStatus.Sold, ListingStatus.Open],
  [ListingStatus.Sold]: [],
  [ListingStatus.Withdrawn]: [],
  [ListingStatus.Expired]: [],
};

/** The states whose listing anyone may see; the others are private to the seller (and admins). */
export const PUBLIC_STATUSES: readonly ListingStatus[] = [
  ListingStatus.Announced,
  ListingStatus.Open,
  ListingStatus.UnderContract,
  ListingStatus.Sold,
];

export function canTransition(from: ListingStatus, to: ListingStatus): boolean {
  return LISTING_TRANSITIONS[from].includes(to);
}

/**
 * The status a listing moves to, or `LISTING.INVALID_STATE` (naming the status it is in) when the
 * table refuses the move. `action` completes "The listing is <status>; it cannot …".
 */
export function listingTransition(from: ListingStatus, to: ListingStatus, action: string): ListingStatus {
  if (!canTransition(from, to)) throw ListingErrors.invalidState(from, action);
  return to;
}

/** Moves a listing to `to` through the transition table (see `listingTransition`). */
export function moveListing(listing: { status: ListingStatus }, to: ListingStatus, action: string): void {
  listing.status = listingTransition(listing.status, to, action);
}
