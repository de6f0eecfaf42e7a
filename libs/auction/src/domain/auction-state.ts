/**
 * An auction's life, in one place:
 *   scheduled → open → closed → settled | failed (no bid at the reserve)
 * Opening and closing are delayed jobs; settlement is a job of its own that runs exactly once.
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
