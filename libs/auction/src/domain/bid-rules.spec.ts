import { AuctionBiddingState, decideBid, decideBids, minimumNextBid } from './bid-rules';

const NOW = new Date('2026-11-29T10:00:00Z');
const SELLER = 'seller-org';
const FIVE_MINUTES = 300_000;

function open(overrides: Partial<AuctionBiddingState> = {}): AuctionBiddingState {
  return {
    status: 'open',
    sellerOrganizationId: SELLER,
    allowedBuyerOrganizationIds: null,
    startingPriceFen: 1_000_000,
    incrementFen: 10_000,
    currentPriceFen: null,
    leadingBidderOrganizationId: null,
    bidCount: 0,
    lastSeq: 0,
    endsAt: new Date(NOW.getTime() + 3_600_000),
    ...overrides,
  };
}

const held = () => true;
const bid = (bidderOrganizationId: string, amountFen: number) => ({ bidderOrganizationId, amountFen });

describe('rules of an English auction', () => {
  it('takes the starting price as the first minimum, then the current price plus the increment', () => {
    expect(minimumNextBid(open())).toBe(1_000_000);
    expect(minimumNextBid(open({ currentPriceFen: 1_200_000 }))).toBe(1_210_000);
  });

  it('accepts a bid at the minimum and moves the price, the leader and the sequence', () => {
    const state = open();
    expect(decideBid(state, bid('a', 1_000_000), NOW, FIVE_MINUTES, held)).toEqual({
      accepted: true,
      seq: 1,
      amountFen: 1_000_000,
      extendedTo: null,
    });
    expect(state).toMatchObject({
      currentPriceFen: 1_000_000,
      leadingBidderOrganizationId: 'a',
      bidCount: 1,
      lastSeq: 1,
    });
  });

  it('refuses a bid below the current price plus the increment, with the minimum, and moves nothing', () => {
    const state = open({ currentPriceFen: 1_000_000, bidCount: 1, lastSeq: 1 });
    expect(decideBid(state, bid('a', 1_009_999), NOW, FIVE_MINUTES, held)).toEqual({
      accepted: false,
      reason: 'TOO_LOW',
      minimumFen: 1_010_000,
    });
    expect(state).toMatchObject({ currentPriceFen: 1_000_000, lastSeq: 1 });
  });

  it('refuses a bidder without a held deposit, however high the bid', () => {
    expect(decideBid(open(), bid('a', 9_000_000), NOW, FIVE_MINUTES, (org) => org !== 'a')).toMatchObject({
      accepted: false,
      reason: 'NO_DEPOSIT',
    });
  });

  it('refuses the seller, an uninvited buyer, a closed end and an auction not open', () => {
    const reason = (state: AuctionBiddingState, org = 'a') =>
      (decideBid(state, bid(org, 2_000_000), NOW, FIVE_MINUTES, held) as { reason: string }).reason;
    expect(reason(open(), SELLER)).toBe('OWN_LISTING');
    expect(reason(open({ allowedBuyerOrganizationIds: ['b'] }))).toBe('NOT_INVITED');
    expect(reason(open({ endsAt: NOW }))).toBe('CLOSED');
    expect(reason(open({ status: 'scheduled' }))).toBe('NOT_OPEN');
  });

  it('moves the end to now plus the anti-sniping time for a bid in the last minutes', () => {
    const state = open({ endsAt: new Date(NOW.getTime() + 60_000) });
    const decision = decideBid(state, bid('a', 1_000_000), NOW, FIVE_MINUTES, held);
    expect(decision).toMatchObject({ accepted: true, extendedTo: new Date(NOW.getTime() + FIVE_MINUTES) });
    expect(state.endsAt).toEqual(new Date(NOW.getTime() + FIVE_MINUTES));
  });

  it('decides a batch in order, each bid against the price the previous ones left', () => {
    const decisions = decideBids(
      open(),
      [bid('a', 1_000_000), bid('b', 1_005_000), bid('b', 1_010_000)],
      NOW,
      FIVE_MINUTES,
      held,
    );
    expect(decisions.map((d) => (d.accepted ? d.seq : d.reason))).toEqual([1, 'TOO_LOW', 2]);
  });
});
