/**
 * The listing's life, in one place:
 *   draft → submitted → announced (公示, objections pause it) → open → under_contract → sold
 *   and withdrawn / expired as ends. A rejected submission goes back to draft.
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
