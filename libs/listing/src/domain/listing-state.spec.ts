import { DomainError } from '@market/http';
import { LISTING_TRANSITIONS, listingTransition, ListingStatus, moveListing } from './listing-state';

describe('listing state machine', () => {
  it('moves a listing along every transition of the table', () => {
    for (const [from, targets] of Object.entries(LISTING_TRANSITIONS) as [ListingStatus, ListingStatus[]][]) {
      for (const to of targets) {
        const listing = { status: from };
        moveListing(listing, to, 'move');
        expect(listing.status).toBe(to);
      }
    }
  });

  it('refuses every move the table does not list with LISTING.INVALID_STATE naming the current status', () => {
    const all = Object.values(ListingStatus);
    for (const from of all) {
      for (const to of all.filter((s) => !LISTING_TRANSITIONS[from].includes(s))) {
        const listing = { status: from };
        let error: unknown;
        try {
          moveListing(listing, to, 'move');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ code: 'LISTING.INVALID_STATE' });
        expect(listing.status).toBe(from);
      }
    }
  });

  it('never lets an ended listing move again', () => {
    for (const end of [ListingStatus.Sold, ListingStatus.Withdrawn, ListingStatus.Expired]) {
      expect(() => listingTransition(end, ListingStatus.Open, 'reopen')).toThrow(
        `The listing is ${end}; it cannot reopen`,
      );
    }
  });
});
