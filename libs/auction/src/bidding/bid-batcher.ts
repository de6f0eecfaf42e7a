import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { DomainError } from '@market/http';
import { DepositsService } from '@market/payments';
import { JobName, Outbox } from '@market/queue';
import { AuctionKind } from '../domain/auction-state';
import { AuctionBiddingState, BidDecision, BidRefusal, decideBids } from '../domain/bid-rules';
import { AuctionErrors } from '../auction.errors';
import { AuctionEvent, AuctionEventsService } from '../live/auction-events.service';

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

interface Waiting extends BidRequest {
  resolve: (result: AcceptedBid) => void;
  reject: (error: unknown) => void;
}

interface StoredDecision {
  id: string;
  bidder_user_id: string;
  idempotency_key: string;
  seq: number | null;
  amount_fen: string;
  accepted: boolean;
  refusal_reason: BidRefusal | null;
  minimum_fen: string | null;
  created_at: Date;
}

interface AuctionRow {
  kind: AuctionKind;
  status: string;
  seller_organization_id: string;
  allowed_buyer_organization_ids: string[] | null;
  starting_price_fen: string;
  increment_fen: string;
  current_price_fen: string | null;
  leading_bidder_organization_id: string | null;
  bid_count: number;
  last_seq: number;
  ends_at: Date;
}

/**
 * Where a bid is decided. Bids queue up in this process and are decided in rounds: one transaction
 * per round, in which each auction with bids waiting has its row locked, the rules applied to its
 * bids in arrival order, and the row and every decision written in one statement; then one commit
 * and every caller answered. A row lock is held for a handful of statements, never across a round
 * trip to a client, and the cost of a commit is shared by every bid of the round. Batches from several api processes serialize on the
 * row lock, so bids on one auction are totally ordered (by `seq`) whichever process took them.
 * Every bid is durable before its answer.
 */
@Injectable()
export class BidBatcher {
  private readonly queues = new Map<string, Waiting[]>();
  private draining = false;
  /** Deposits seen held, per auction: deposits are only released after the close. */
  private readonly knownDeposits = new Map<string, Set<string>>();

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly deposits: DepositsService,
    private readonly outbox: Outbox,
    private readonly events: AuctionEventsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  submit(auctionId: string, bid: BidRequest): Promise<AcceptedBid> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(auctionId);
      if (queue) queue.push({ ...bid, resolve, reject });
      else this.queues.set(auctionId, [{ ...bid, resolve, reject }]);
      if (!this.draining) {
        this.draining = true;
        // A fresh context: the drain outlives the request that started it.
        void this.cls.run(() => this.drain());
      }
    });
  }

  /** Rounds until nothing waits: each round decides what every auction has queued, in one transaction. */
  private async drain(): Promise<void> {
    try {
      while (this.queues.size > 0) {
        const round = [...this.queues.keys()].sort().map((auctionId) => {
          const queue = this.queues.get(auctionId)!;
          const batch = queue.splice(0, this.config.auction.bidBatchMax);
          if (queue.length === 0) this.queues.delete(auctionId);
          return { auctionId, batch };
        });
        try {
          const results = await this.decideRound(round);
          this.events.publish(results.flatMap((r) => r.events));
          round.forEach(({ batch }, n) =>
            batch.forEach((waiting, i) => {
              const outcome = results[n].outcomes[i];
              if (outcome instanceof Error) waiting.reject(outcome);
              else waiting.resolve(outcome);
            }),
          );
        } catch (error) {
          for (const { batch } of round) for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * One transaction for the round and a fixed number of statements, however many auctions it
   * touches: lock their rows (in id order, in every process, so two rounds never deadlock), apply
   * the rules, write every decision and every row in one statement, commit. Retries are rare, so a
   * round first assumes none of its keys was seen before; if the insert finds one that was, the
   * transaction rolls back and the round is decided again, looking the keys up first.
   */
  private decideRound(round: { auctionId: string; batch: Waiting[] }[]): Promise<RoundResult[]> {
    return this.decideAll(round, false).catch((error: unknown) => {
      if (error instanceof KeySeenBefore) return this.decideAll(round, true);
      throw error;
    });
  }

  private decideAll(round: { auctionId: string; batch: Waiting[] }[], lookUpKeys: boolean): Promise<RoundResult[]> {
    return this.txHost.withTransaction(async () => {
      const tx = this.txHost.tx;
      const ids = round.map((r) => r.auctionId);
      const rows = (await tx.query(
        `SELECT id, kind, status, seller_organization_id, allowed_buyer_organization_ids, starting_price_fen, increment_fen,
                current_price_fen, leading_bidder_organization_id, bid_count, last_seq, ends_at
           FROM auction WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      )) as (AuctionRow & { id: string })[];
      const rowById = new Map(rows.map((row) => [row.id, row]));
      const stored = lookUpKeys ? await this.storedDecisions(round) : new Map<string, StoredDecision>();
      const now = this.clock.now();

      const plans: AuctionPlan[] = [];
      for (const { auctionId, batch } of round) {
        const row = rowById.get(auctionId);
        if (!row || row.kind !== AuctionKind.English) {
          plans.push({ auctionId, batch, missing: true });
          continue;
        }
        plans.push(await this.plan(auctionId, batch, row, stored, now));
      }

      const inserted = await this.record(plans);
      const results: RoundResult[] = [];
      for (const plan of plans) {
        if ('missing' in plan) {
          results.push({ outcomes: plan.batch.map(() => AuctionErrors.notFound(plan.auctionId)), events: [] });
          continue;
        }
        results.push(await this.finish(plan, inserted));
      }
      return results;
    });
  }

  /** Applies the rules to one auction's fresh bids; nothing is written yet. */
  private async plan(
    auctionId: string,
    batch: Waiting[],
    row: AuctionRow,
    stored: Map<string, StoredDecision>,
    now: Date,
  ): Promise<DecidedPlan> {
    // Retries: a key seen before (in an earlier round, or earlier in this batch) gets its first decision.
    const firstInBatch = new Map<string, number>();
    const fresh: number[] = [];
    const replayOf = batch.map((bid, i) => {
      if (!bid.idempotencyKey) {
        fresh.push(i);
        return undefined;
      }
      const key = `${auctionId}/${bid.bidderUserId}/${bid.idempotencyKey}`;
      if (stored.has(key)) return stored.get(key)!;
      if (firstInBatch.has(key)) return firstInBatch.get(key)!;
      firstInBatch.set(key, i);
      fresh.push(i);
      return undefined;
    });
    const state: AuctionBiddingState = {
      status: row.status,
      sellerOrganizationId: row.seller_organization_id,
      allowedBuyerOrganizationIds: row.allowed_buyer_organization_ids,
      startingPriceFen: Number(row.starting_price_fen),
      incrementFen: Number(row.increment_fen),
      currentPriceFen: row.current_price_fen === null ? null : Number(row.current_price_fen),
      leadingBidderOrganizationId: row.leading_bidder_organization_id,
      bidCount: row.bid_count,
      lastSeq: row.last_seq,
      endsAt: new Date(row.ends_at),
    };
    const freshBids = fresh.map((i) => batch[i]);
    const held = await this.heldDeposits(
      auctionId,
      freshBids.map((bid) => bid.bidderOrganizationId),
    );
    const decisions = decideBids(state, freshBids, now, this.config.auction.antiSnipingMs, (organizationId) =>
      held.has(organizationId),
    );
    return {
      auctionId,
      batch,
      fresh,
      freshBids,
      replayOf,
      decisions,
      state,
      changed: decisions.some((d) => d.accepted),
    };
  }

  /** After the write: the outbox for a moved end, the live events, and each caller's answer. */
  private async finish(
    plan: DecidedPlan,
    inserted: Map<string, { id: string; createdAt: Date }[]>,
  ): Promise<RoundResult> {
    const { auctionId, batch, fresh, replayOf, decisions, state } = plan;
    const rows = inserted.get(auctionId) ?? [];
    const events: AuctionEvent[] = [];
    if (plan.changed) {
      const extended = decisions.some((d) => d.accepted && d.extendedTo);
      if (extended) {
        // The close job follows the new end; the one scheduled for the old end will find it moved.
        await this.outbox.add(
          JobName.AuctionCloseDue,
          { auctionId, at: state.endsAt.toISOString() },
          { runAt: state.endsAt },
        );
      }
      decisions.forEach((d, n) => {
        if (d.accepted) {
          events.push({
            type: 'bid',
            auctionId,
            seq: d.seq,
            amountFen: d.amountFen,
            at: rows[n].createdAt.toISOString(),
          });
        }
      });
      if (extended) events.push({ type: 'extended', auctionId, endsAt: state.endsAt.toISOString() });
    }
    const summary = {
      id: auctionId,
      currentPriceFen: state.currentPriceFen ?? 0,
      bidCount: state.bidCount,
      endsAt: state.endsAt.toISOString(),
    };
    const freshOutcome = new Map<number, AcceptedBid | Error>();
    fresh.forEach((i, n) => freshOutcome.set(i, toOutcome(decisions[n], rows[n], summary, false)));
    const outcomes = batch.map((bid, i) => {
      const replay = replayOf[i];
      if (replay === undefined) return freshOutcome.get(i)!;
      if (typeof replay === 'number') {
        return sameBid(batch[replay], bid) ? asReplay(freshOutcome.get(replay)!) : AuctionErrors.keyReused();
      }
      if (Number(replay.amount_fen) !== bid.amountFen) return AuctionErrors.keyReused();
      return replayed(replay, summary);
    });
    return { outcomes, events };
  }

  private async storedDecisions(
    round: { auctionId: string; batch: Waiting[] }[],
  ): Promise<Map<string, StoredDecision>> {
    const keys = round.flatMap(({ batch }) => batch.flatMap((bid) => (bid.idempotencyKey ? [bid.idempotencyKey] : [])));
    if (keys.length === 0) return new Map();
    const rows = (await this.txHost.tx.query(
      `SELECT id, auction_id, bidder_user_id, idempotency_key, seq, amount_fen, accepted, refusal_reason, minimum_fen, created_at
         FROM auction_bid WHERE auction_id = ANY($1::uuid[]) AND idempotency_key = ANY($2)`,
      [round.map((r) => r.auctionId), keys],
    )) as (StoredDecision & { auction_id: string })[];
    return new Map(rows.map((row) => [`${row.auction_id}/${row.bidder_user_id}/${row.idempotency_key}`, row]));
  }

  /**
   * Held deposits, remembered per auction: the first round loads every holder at once, later
   * rounds ask only about bidders not seen holding yet (a deposit may have been held since).
   */
  private async heldDeposits(auctionId: string, organizationIds: string[]): Promise<Set<string>> {
    let known = this.knownDeposits.get(auctionId);
    if (!known) {
      if (this.knownDeposits.size > 10_000) this.knownDeposits.clear();
      known = await this.deposits.heldPayers(auctionId);
      this.knownDeposits.set(auctionId, known);
      return known;
    }
    const unknown = [...new Set(organizationIds)].filter((id) => !known.has(id));
    if (unknown.length > 0) for (const id of await this.deposits.heldPayers(auctionId, unknown)) known.add(id);
    return known;
  }

  /**
   * One statement for the whole round: every decision, accepted or refused (the audit trail and
   * the retry memory), and the new state of every auction that accepted a bid.
   */
  private async record(plans: AuctionPlan[]): Promise<Map<string, { id: string; createdAt: Date }[]>> {
    const decided = plans.filter((p): p is DecidedPlan => !('missing' in p) && p.freshBids.length > 0);
    const result = new Map<string, { id: string; createdAt: Date }[]>();
    if (decided.length === 0) return result;
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const bidRows: string[] = [];
    for (const plan of decided) {
      plan.freshBids.forEach((bid, n) => {
        const d = plan.decisions[n];
        const cells = [
          `${param(plan.auctionId)}::uuid`,
          `${param(d.accepted ? d.seq : null)}::int`,
          `${param(bid.bidderOrganizationId)}::uuid`,
          `${param(bid.bidderUserId)}::uuid`,
          `${param(bid.amountFen)}::bigint`,
          `${param(d.accepted)}::boolean`,
          `${param(d.accepted ? null : d.reason)}::text`,
          `${param(d.accepted ? null : d.minimumFen)}::bigint`,
          `${param(bid.idempotencyKey ?? null)}::text`,
          `${param(bidRows.length)}::int`,
        ];
        bidRows.push(`(${cells.join(', ')})`);
      });
    }
    const changed = decided.filter((p) => p.changed);
    const rowUpdates = changed.map(
      ({ auctionId, state }) =>
        `(${param(auctionId)}::uuid, ${param(state.currentPriceFen)}::bigint, ${param(state.leadingBidderOrganizationId)}::uuid, ` +
        `${param(state.bidCount)}::int, ${param(state.lastSeq)}::int, ${param(state.endsAt)}::timestamptz)`,
    );
    const moved = changed.length
      ? `, moved AS (
          UPDATE auction a SET current_price_fen = v.price, leading_bidder_organization_id = v.leader,
                 bid_count = v.bids, last_seq = v.seq, ends_at = v.ends_at
            FROM (VALUES ${rowUpdates.join(', ')}) AS v (id, price, leader, bids, seq, ends_at)
           WHERE a.id = v.id)`
      : '';
    const inserted = (await this.txHost.tx.query(
      `WITH incoming (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key, ord) AS (
         VALUES ${bidRows.join(', ')}
       ), decided AS (
         INSERT INTO auction_bid (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key)
         SELECT auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key
           FROM incoming ORDER BY ord
         ON CONFLICT (auction_id, bidder_user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id, auction_id, created_at)${moved}
       SELECT id, auction_id, created_at FROM decided`,
      values,
    )) as { id: string; auction_id: string; created_at: Date }[];
    if (inserted.length !== bidRows.length) throw new KeySeenBefore();
    // RETURNING follows the insertion order, which follows `ord`.
    for (const row of inserted) {
      const list = result.get(row.auction_id) ?? [];
      list.push({ id: row.id, createdAt: new Date(row.created_at) });
      result.set(row.auction_id, list);
    }
    return result;
  }
}

interface DecidedPlan {
  auctionId: string;
  batch: Waiting[];
  fresh: number[];
  freshBids: Waiting[];
  replayOf: (StoredDecision | number | undefined)[];
  decisions: BidDecision[];
  state: AuctionBiddingState;
  changed: boolean;
}

type AuctionPlan = DecidedPlan | { auctionId: string; batch: Waiting[]; missing: true };

interface RoundResult {
  outcomes: (AcceptedBid | Error)[];
  events: AuctionEvent[];
}

/** A key in the batch was used by an earlier request: decide the batch again, looking keys up. */
class KeySeenBefore extends Error {}

type Summary = AcceptedBid['auction'];

function toOutcome(
  decision: BidDecision,
  row: { id: string; createdAt: Date },
  auction: Summary,
  replay: boolean,
): AcceptedBid | Error {
  if (!decision.accepted) return AuctionErrors.bidRefused(decision.reason, decision.minimumFen);
  return {
    bid: { id: row.id, seq: decision.seq, amountFen: decision.amountFen, createdAt: row.createdAt.toISOString() },
    auction,
    replayed: replay,
  };
}

function asReplay(outcome: AcceptedBid | Error): AcceptedBid | Error {
  return outcome instanceof Error ? outcome : { ...outcome, replayed: true };
}

function sameBid(a: BidRequest, b: BidRequest): boolean {
  return a.amountFen === b.amountFen && a.bidderOrganizationId === b.bidderOrganizationId;
}

function replayed(row: StoredDecision, auction: Summary): AcceptedBid | DomainError {
  if (!row.accepted) return AuctionErrors.bidRefused(row.refusal_reason!, Number(row.minimum_fen));
  return {
    bid: {
      id: row.id,
      seq: row.seq!,
      amountFen: Number(row.amount_fen),
      createdAt: new Date(row.created_at).toISOString(),
    },
    auction,
    replayed: true,
  };
}
