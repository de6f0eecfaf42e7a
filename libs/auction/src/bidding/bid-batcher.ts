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
 * Where a bid is decided. Bids for one auction queue up in this process and are decided together:
 * one transaction locks the auction row, applies the rules to each bid in arrival order, writes
 * the row once and every decision in one multi-row insert, then answers every caller. The row
 * lock is held for a handful of statements, never across a round trip to a client, and the cost
 * of a commit is shared by the whole batch. Batches from several api processes serialize on the
 * row lock, so bids on one auction are totally ordered (by `seq`) whichever process took them.
 * Every bid is durable before its answer.
 */
@Injectable()
export class BidBatcher {
  private readonly queues = new Map<string, Waiting[]>();
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
      if (queue) {
        queue.push({ ...bid, resolve, reject });
        return;
      }
      this.queues.set(auctionId, [{ ...bid, resolve, reject }]);
      // A fresh context: the drain outlives the request that started it.
      void this.cls.run(() => this.drain(auctionId));
    });
  }

  private async drain(auctionId: string): Promise<void> {
    const queue = this.queues.get(auctionId)!;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, this.config.auction.bidBatchMax);
        try {
          const { outcomes, events } = await this.decide(auctionId, batch);
          this.events.publish(events);
          batch.forEach((waiting, i) => {
            const outcome = outcomes[i];
            if (outcome instanceof Error) waiting.reject(outcome);
            else waiting.resolve(outcome);
          });
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.queues.delete(auctionId);
    }
  }

  /**
   * Retries are rare, so a batch first assumes none of its keys was seen before; if the insert
   * finds one that was, the transaction rolls back and the batch is decided again, this time
   * looking the keys up first.
   */
  private decide(
    auctionId: string,
    batch: Waiting[],
  ): Promise<{ outcomes: (AcceptedBid | Error)[]; events: AuctionEvent[] }> {
    return this.decideOnce(auctionId, batch, false).catch((error: unknown) => {
      if (error instanceof KeySeenBefore) return this.decideOnce(auctionId, batch, true);
      throw error;
    });
  }

  private decideOnce(
    auctionId: string,
    batch: Waiting[],
    lookUpKeys: boolean,
  ): Promise<{ outcomes: (AcceptedBid | Error)[]; events: AuctionEvent[] }> {
    return this.txHost.withTransaction(async () => {
      const tx = this.txHost.tx;
      const [row] = (await tx.query(
        `SELECT kind, status, seller_organization_id, allowed_buyer_organization_ids, starting_price_fen, increment_fen,
                current_price_fen, leading_bidder_organization_id, bid_count, last_seq, ends_at
           FROM auction WHERE id = $1 FOR UPDATE`,
        [auctionId],
      )) as AuctionRow[];
      if (!row || row.kind !== AuctionKind.English) {
        return { outcomes: batch.map(() => AuctionErrors.notFound(auctionId)), events: [] };
      }

      // Retries: a key seen before (in an earlier batch, or earlier in this one) gets its first decision.
      const stored = lookUpKeys ? await this.storedDecisions(auctionId, batch) : new Map<string, StoredDecision>();
      const firstInBatch = new Map<string, number>();
      const fresh: number[] = [];
      const replayOf = batch.map((bid, i) => {
        if (!bid.idempotencyKey) {
          fresh.push(i);
          return undefined;
        }
        const key = `${bid.bidderUserId}/${bid.idempotencyKey}`;
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
      const held = await this.heldDeposits(
        auctionId,
        fresh.map((i) => batch[i].bidderOrganizationId),
      );
      const now = this.clock.now();
      const decisions = decideBids(
        state,
        fresh.map((i) => batch[i]),
        now,
        this.config.auction.antiSnipingMs,
        (organizationId) => held.has(organizationId),
      );

      const accepted = decisions.filter((d) => d.accepted);
      const inserted = await this.record(
        auctionId,
        fresh.map((i) => batch[i]),
        decisions,
        accepted.length > 0 ? state : null,
      );
      const events: AuctionEvent[] = [];
      if (accepted.length > 0) {
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
              at: inserted[n].createdAt.toISOString(),
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
      fresh.forEach((i, n) => freshOutcome.set(i, toOutcome(decisions[n], inserted[n], summary, false)));
      const outcomes = batch.map((bid, i) => {
        const replay = replayOf[i];
        if (replay === undefined) return freshOutcome.get(i)!;
        if (typeof replay === 'number')
          return sameBid(batch[replay], bid) ? asReplay(freshOutcome.get(replay)!) : AuctionErrors.keyReused();
        if (Number(replay.amount_fen) !== bid.amountFen) return AuctionErrors.keyReused();
        return replayed(replay, summary);
      });
      return { outcomes, events };
    });
  }

  private async storedDecisions(auctionId: string, batch: Waiting[]): Promise<Map<string, StoredDecision>> {
    const keys = batch.flatMap((bid) => (bid.idempotencyKey ? [bid.idempotencyKey] : []));
    if (keys.length === 0) return new Map();
    const rows = (await this.txHost.tx.query(
      `SELECT id, bidder_user_id, idempotency_key, seq, amount_fen, accepted, refusal_reason, minimum_fen, created_at
         FROM auction_bid WHERE auction_id = $1 AND idempotency_key = ANY($2)`,
      [auctionId, keys],
    )) as StoredDecision[];
    return new Map(rows.map((row) => [`${row.bidder_user_id}/${row.idempotency_key}`, row]));
  }

  /**
   * Held deposits, remembered per auction: the first batch loads every holder at once, later
   * batches ask only about bidders not seen holding yet (a deposit may have been held since).
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
   * One statement: every decision, accepted or refused (the audit trail and the retry memory),
   * and the auction row's new state when a bid was accepted.
   */
  private async record(
    auctionId: string,
    bids: BidRequest[],
    decisions: BidDecision[],
    state: AuctionBiddingState | null,
  ) {
    if (bids.length === 0) return [];
    const values: unknown[] = [];
    const rows = bids.map((bid, n) => {
      const d = decisions[n];
      values.push(
        auctionId,
        d.accepted ? d.seq : null,
        bid.bidderOrganizationId,
        bid.bidderUserId,
        bid.amountFen,
        d.accepted,
        d.accepted ? null : d.reason,
        d.accepted ? null : d.minimumFen,
        bid.idempotencyKey ?? null,
      );
      const base = n * 9;
      return `(${Array.from({ length: 9 }, (_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    let update = '';
    if (state) {
      const at = values.length;
      values.push(
        state.currentPriceFen,
        state.leadingBidderOrganizationId,
        state.bidCount,
        state.lastSeq,
        state.endsAt,
      );
      update = `, moved AS (
        UPDATE auction SET current_price_fen = $${at + 1}, leading_bidder_organization_id = $${at + 2},
               bid_count = $${at + 3}, last_seq = $${at + 4}, ends_at = $${at + 5}
         WHERE id = $1)`;
    }
    const inserted = (await this.txHost.tx.query(
      `WITH decided AS (
         INSERT INTO auction_bid (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key)
         VALUES ${rows.join(', ')}
         ON CONFLICT (auction_id, bidder_user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING id, created_at)${update}
       SELECT id, created_at FROM decided`,
      values,
    )) as { id: string; created_at: Date }[];
    if (inserted.length !== bids.length) throw new KeySeenBefore();
    return inserted.map((row) => ({ id: row.id, createdAt: new Date(row.created_at) }));
  }
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
