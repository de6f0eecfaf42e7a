import { AuctionErrors } from '../auction.errors';

/**
 * An auction's life, in one place:
 *   scheduled → open → closed → settled | failed (no bid at the reserve, or no winner whose deposit is held)
 * Opening and closing are delayed jobs; settlement is a job of its own that runs exactly once.
 * Every status change goes through the transition functions below; a status is never assigned
 * anywhere else.
 */
export enum AuctionStatus {
  Scheduled = 'scheduled',
  Open = 'open',
  Closed = 'closed',
  Settled = 'settled',
  Failed = 'failed',
}

export enum AuctionKind {
  /** Ascending, open outcry: every accepted bid raises the price by at least the increment. */
  English = 'english',
  /** First-price sealed bid: one revisable bid per buyer, hidden from everyone until the close. */
  Sealed = 'sealed',
}

export const AUCTION_TRANSITIONS: Record<AuctionStatus, readonly AuctionStatus[]> = {
  [AuctionStatus.Scheduled]: [AuctionStatus.Open],
  [AuctionStatus.Open]: [AuctionStatus.Closed],
  [AuctionStatus.Closed]: [AuctionStatus.Settled, AuctionStatus.Failed],
  [AuctionStatus.Settled]: [],
  [AuctionStatus.Failed]: [],
};

export const LIVE_STATUSES = [AuctionStatus.Scheduled, AuctionStatus.Open, AuctionStatus.Closed];

export function canTransition(from: AuctionStatus, to: AuctionStatus): boolean {
  return AUCTION_TRANSITIONS[from].includes(to);
}

/** The fields the transitions write. */
export interface AuctionLifecycle {
  id: string;
  status: AuctionStatus;
  winnerOrganizationId: string | null;
  finalPriceFen: number | null;
  closedAt: Date | null;
  settledAt: Date | null;
}

/** A bidder's best offer: the winner and the price are one of these, or none. */
export interface Winner {
  organizationId: string;
  amountFen: number;
}

function move(auction: AuctionLifecycle, to: AuctionStatus): void {
  if (!canTransition(auction.status, to)) throw AuctionErrors.illegalTransition(auction.id, auction.status, to);
  auction.status = to;
}

/** The start time came: bids are taken from now on. */
export function openAuction(auction: AuctionLifecycle): void {
  move(auction, AuctionStatus.Open);
}

/** The end came: no more bids; the winner named here is provisional until settlement re-checks deposits. */
export function closeAuction(auction: AuctionLifecycle, winner: Winner | null, now: Date): void {
  move(auction, AuctionStatus.Closed);
  auction.closedAt = now;
  auction.winnerOrganizationId = winner?.organizationId ?? null;
  auction.finalPriceFen = winner?.amountFen ?? null;
}

/** Settlement's decision: settled on this winner at its price, or failed with none. */
export function settleAuction(auction: AuctionLifecycle, winner: Winner | null, now: Date): void {
  move(auction, winner ? AuctionStatus.Settled : AuctionStatus.Failed);
  auction.settledAt = now;
  auction.winnerOrganizationId = winner?.organizationId ?? null;
  auction.finalPriceFen = winner?.amountFen ?? null;
}

/**
 * Who wins: bidders ranked by their best offer (highest first; on equal amounts the earlier
 * offer, as the caller orders them). The first one whose offer meets the reserve and whose
 * deposit is held wins at its own offer. A bidder whose deposit is not held (a card hold that
 * lapsed or was canceled) is passed over; nobody left means no winner.
 */
export function chooseWinner(
  rankedOffers: readonly Winner[],
  reservePriceFen: number | null,
  depositHeld: (organizationId: string) => boolean,
): Winner | null {
  const seen = new Set<string>();
  for (const offer of rankedOffers) {
    if (seen.has(offer.organizationId)) continue; // only a bidder's best offer counts
    seen.add(offer.organizationId);
    if (reservePriceFen !== null && offer.amountFen < reservePriceFen) return null; // the rest are lower still
    if (depositHeld(offer.organizationId)) return { organizationId: offer.organizationId, amountFen: offer.amountFen };
  }
  return null;
}
