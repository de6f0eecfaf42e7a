import { randomUUID } from 'node:crypto';
import { DomainError } from '@market/http';
import { AuctionErrors } from '../auction.errors';
import { AuctionBiddingState, BidDecision, BidRefusal, decideBid } from '../domain/bid-rules';
import type { AuctionEvent } from '../live/auction-events.service';

/**
 * One auction's share of a round of bids, with no I/O: which bids are new and how the rules
 * decide them (each new bid gets its row id here, before anything is written), which are retries
 * of an earlier key, and — once the round's statement has run — what every caller is answered.
 * BidBatcher does the queueing, the reads and the write around it.
 */

export interface BidRequest {
  bidderOrganizationId: string;
  bidderUserId: string;
  amountFen: number;
  idempotencyKey?: string;
}

export interface AcceptedBid {
  bid: { id: string; seq: number; amountFen: number; createdAt: string };
  auction: { id: string; currentPriceFen: number; bidCount: number; endsAt: string };
  replayed: boolean;
}

/** An English auction as this process last read or wrote it: its state, and the row version it was at. */
export interface KnownAuction {
  version: number;
  state: AuctionBiddingState;
}

/** A key's first decision, as `auction_bid` holds it (read only when a round found a key reused). */
export interface StoredDecision {
  id: string;
  auction_id: string;
  bidder_user_id: string;
  idempotency_key: string;
  seq: number | null;
  amount_fen: string;
  accepted: boolean;
  refusal_reason: BidRefusal | null;
  minimum_fen: string | null;
  created_at: Date;
}

/** A new bid and its decision: one row of `auction_bid`, under an id chosen before the write. */
export interface BidRecord {
  id: string;
  auctionId: string;
  bidderOrganizationId: string;
  bidderUserId: string;
  amountFen: number;
  idempotencyKey: string | null;
  decision: BidDecision;
}

/** One caller's bid as planned: a new record, or a retry answered from the first bid with its key. */
export type PlannedBid<B extends BidRequest> =
  { bid: B; record: BidRecord } | { bid: B; retryOf: BidRecord | StoredDecision };

export interface AuctionPlan<B extends BidRequest> {
  auctionId: string;
  /** The row version the plan was made from: the write goes through only over it. */
  version: number;
  /** The auction after the round's accepted bids (remembered once written). */
  state: AuctionBiddingState;
  bids: PlannedBid<B>[];
  /** The new rows, in arrival order. */
  records: BidRecord[];
  /** Some bid was accepted: the auction row moves. */
  changed: boolean;
  /** Some accepted bid moved the end (anti-sniping): the close job must follow. */
  extended: boolean;
}

export interface PlanContext {
  now: Date;
  antiSnipingMs: number;
  /** Whether this process has seen the organization's deposit held (the write checks it again). */
  holdsDeposit: (organizationId: string) => boolean;
  /** First decisions of keys used in earlier rounds, by `retryKey`; empty on the optimistic path. */
  stored: Map<string, StoredDecision>;
  newId?: () => string;
}

export function retryKey(auctionId: string, bidderUserId: string, idempotencyKey: string): string {
  return `${auctionId}/${bidderUserId}/${idempotencyKey}`;
}

/** Applies the rules to an auction's bids in arrival order; a key seen before is answered by its first bid. */
export function planAuction<B extends BidRequest>(
  auctionId: string,
  bids: B[],
  known: KnownAuction,
  context: PlanContext,
): AuctionPlan<B> {
  const newId = context.newId ?? randomUUID;
  // A copy: the rules move it as they accept bids, and it is remembered only once written.
  const state: AuctionBiddingState = { ...known.state };
  const firstInRound = new Map<string, BidRecord>();
  const records: BidRecord[] = [];
  const planned: PlannedBid<B>[] = bids.map((bid) => {
    const key =
      bid.idempotencyKey === undefined ? undefined : retryKey(auctionId, bid.bidderUserId, bid.idempotencyKey);
    const first = key === undefined ? undefined : (context.stored.get(key) ?? firstInRound.get(key));
    if (first) return { bid, retryOf: first };
    const decision = decideBid(state, bid, context.now, context.antiSnipingMs, context.holdsDeposit);
    const record: BidRecord = {
      id: newId(),
      auctionId,
      bidderOrganizationId: bid.bidderOrganizationId,
      bidderUserId: bid.bidderUserId,
      amountFen: bid.amountFen,
      idempotencyKey: bid.idempotencyKey ?? null,
      decision,
    };
    if (key !== undefined) firstInRound.set(key, record);
    records.push(record);
    return { bid, record };
  });
  return {
    auctionId,
    version: known.version,
    state,
    bids: planned,
    records,
    changed: records.some((r) => r.decision.accepted),
    extended: records.some((r) => r.decision.accepted && r.decision.extendedTo !== null),
  };
}

export type Outcome = AcceptedBid | DomainError;

/**
 * After the write: each caller's answer and the live events. `createdAt` holds the written rows'
 * times by row id (the order rows come back in means nothing).
 */
export function answerAuction<B extends BidRequest>(
  plan: AuctionPlan<B>,
  createdAt: ReadonlyMap<string, Date>,
): { answers: { bid: B; outcome: Outcome }[]; events: AuctionEvent[] } {
  const { auctionId, state } = plan;
  const auction: AcceptedBid['auction'] = {
    id: auctionId,
    currentPriceFen: state.currentPriceFen ?? 0,
    bidCount: state.bidCount,
    endsAt: state.endsAt.toISOString(),
  };
  const writtenAt = (record: BidRecord): Date => {
    const at = createdAt.get(record.id);
    if (!at) throw new Error(`bid ${record.id} of auction ${auctionId} was not written`);
    return at;
  };
  const outcomeOf = (record: BidRecord, replayed: boolean): Outcome => {
    const d = record.decision;
    if (!d.accepted) return AuctionErrors.bidRefused(d.reason, d.minimumFen);
    const bid = { id: record.id, seq: d.seq, amountFen: d.amountFen, createdAt: writtenAt(record).toISOString() };
    return { bid, auction, replayed };
  };

  const answers = plan.bids.map((planned) => {
    if ('record' in planned) return { bid: planned.bid, outcome: outcomeOf(planned.record, false) };
    const first = planned.retryOf;
    if ('decision' in first) {
      const same =
        first.amountFen === planned.bid.amountFen && first.bidderOrganizationId === planned.bid.bidderOrganizationId;
      return { bid: planned.bid, outcome: same ? outcomeOf(first, true) : AuctionErrors.keyReused() };
    }
    return { bid: planned.bid, outcome: storedOutcome(first, planned.bid, auction) };
  });

  const events: AuctionEvent[] = [];
  for (const record of plan.records) {
    const d = record.decision;
    if (d.accepted) {
      events.push({ type: 'bid', auctionId, seq: d.seq, amountFen: d.amountFen, at: writtenAt(record).toISOString() });
    }
  }
  if (plan.extended) events.push({ type: 'extended', auctionId, endsAt: state.endsAt.toISOString() });
  return { answers, events };
}

function storedOutcome(first: StoredDecision, bid: BidRequest, auction: AcceptedBid['auction']): Outcome {
  if (Number(first.amount_fen) !== bid.amountFen) return AuctionErrors.keyReused();
  if (!first.accepted) return AuctionErrors.bidRefused(first.refusal_reason!, Number(first.minimum_fen));
  return {
    bid: {
      id: first.id,
      seq: first.seq!,
      amountFen: Number(first.amount_fen),
      createdAt: new Date(first.created_at).toISOString(),
    },
    auction,
    replayed: true,
  };
}
