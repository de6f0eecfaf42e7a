/**
 * The rules of an English auction, applied to bids in arrival order against the auction's state.
 * Pure: the batcher feeds it the auction's state and its bids, and writes back what it returns.
 */
export type BidRefusal =
  | 'NOT_OPEN' // scheduled, or already closed/settled
  | 'CLOSED' // the end has passed; the close job has not run yet
  | 'OWN_LISTING'
  | 'NOT_INVITED'
  | 'NO_DEPOSIT'
  | 'TOO_LOW';

export interface AuctionBiddingState {
  status: string;
  sellerOrganizationId: string;
  allowedBuyerOrganizationIds: string[] | null;
  startingPriceFen: number;
  incrementFen: number;
  currentPriceFen: number | null;
  leadingBidderOrganizationId: string | null;
  bidCount: number;
  lastSeq: number;
  endsAt: Date;
}

export interface IncomingBid {
  bidderOrganizationId: string;
  amountFen: number;
}

export type BidDecision =
  | { accepted: true; seq: number; amountFen: number; extendedTo: Date | null }
  | { accepted: false; reason: BidRefusal; minimumFen: number };

/** The lowest amount the next bid may have. */
export function minimumNextBid(
  state: Pick<AuctionBiddingState, 'currentPriceFen' | 'startingPriceFen' | 'incrementFen'>,
) {
  return state.currentPriceFen === null ? state.startingPriceFen : state.currentPriceFen + state.incrementFen;
}

/**
 * Decides each bid in order, mutating `state` as bids are accepted. A bid in the last
 * `antiSnipingMs` before the end moves the end to now + antiSnipingMs.
 */
export function decideBids(
  state: AuctionBiddingState,
  bids: IncomingBid[],
  now: Date,
  antiSnipingMs: number,
  hasDeposit: (organizationId: string) => boolean,
): BidDecision[] {
  return bids.map((bid) => decideBid(state, bid, now, antiSnipingMs, hasDeposit));
}

/** Decides the next bid against `state`, and moves `state` if it is accepted. */
export function decideBid(
  state: AuctionBiddingState,
  bid: IncomingBid,
  now: Date,
  antiSnipingMs: number,
  hasDeposit: (organizationId: string) => boolean,
): BidDecision {
  const minimumFen = minimumNextBid(state);
  const refuse = (reason: BidRefusal): BidDecision => ({ accepted: false, reason, minimumFen });
  if (state.status !== 'open') return refuse('NOT_OPEN');
  if (now.getTime() >= state.endsAt.getTime()) return refuse('CLOSED');
  if (bid.bidderOrganizationId === state.sellerOrganizationId) return refuse('OWN_LISTING');
  if (state.allowedBuyerOrganizationIds && !state.allowedBuyerOrganizationIds.includes(bid.bidderOrganizationId)) {
    return refuse('NOT_INVITED');
  }
  if (!hasDeposit(bid.bidderOrganizationId)) return refuse('NO_DEPOSIT');
  if (bid.amountFen < minimumFen) return refuse('TOO_LOW');
  state.currentPriceFen = bid.amountFen;
  state.leadingBidderOrganizationId = bid.bidderOrganizationId;
  state.bidCount += 1;
  state.lastSeq += 1;
  let extendedTo: Date | null = null;
  if (state.endsAt.getTime() - now.getTime() < antiSnipingMs) {
    extendedTo = new Date(now.getTime() + antiSnipingMs);
    state.endsAt = extendedTo;
  }
  return { accepted: true, seq: state.lastSeq, amountFen: bid.amountFen, extendedTo };
}
