import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { LRUCache } from 'lru-cache';
import { ClsService } from 'nestjs-cls';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { preparedQuery } from '@market/database';
import { DepositsService } from '@market/payments';
import { JobName, Outbox } from '@market/queue';
import { AuctionErrors } from '../auction.errors';
import { AuctionKind } from '../domain/auction-state';
import { AuctionEventsService } from '../live/auction-events.service';
import {
  AcceptedBid,
  answerAuction,
  AuctionPlan,
  BidRequest,
  KnownAuction,
  planAuction,
  retryKey,
  StoredDecision,
} from './bid-round';
import { AuctionBids as AuctionBidsOf, decideInSteps, StepOutcome } from './round-steps';

export type { AcceptedBid, BidRequest } from './bid-round';

/** A caller's bid, waiting in this process for its round. */
interface QueuedBid extends BidRequest {
  resolve: (result: AcceptedBid) => void;
  reject: (error: unknown) => void;
}

/** The bids a round takes from one auction's queue. */
type AuctionBids = AuctionBidsOf<QueuedBid>;

type Plan = AuctionPlan<QueuedBid>;

/** What `plan` decided for a round: a plan per auction it knows as English, and the auctions that are not. */
interface RoundPlan {
  plans: Plan[];
  /** No English auction with this id, after a fresh read of the database. */
  notFound: AuctionBids[];
}

/** What a round's statement wrote: each new bid row's time, by row id; each auction's version after it. */
interface Written {
  createdAt: Map<string, Date>;
  versions: Map<string, number>;
}

interface AuctionRow {
  id: string;
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
  version: number;
}

/** How many auctions a process remembers between rounds (state and deposit holders), least recently bid on out first. */
const REMEMBERED_AUCTIONS = 10_000;

/**
 * Where an English bid is decided. Bids queue up in this process and are decided in rounds:
 *
 *   1. `submit` queues the bid; the first bid starts `drain`, which runs rounds until no bid waits.
 *   2. A round takes every auction's queue and plans each auction (bid-round.ts): the rules are
 *      applied to its bids in arrival order against the state this process last read or wrote.
 *   3. One statement (`write`) records every decision and moves every auction — but only the
 *      auctions whose row is still at the version the plan was made from (a trigger raises it on
 *      every update, whoever makes it) and whose accepted bidders still hold their deposits.
 *   4. An auction that failed either check is decided again under a row lock, read afresh
 *      (round-steps.ts says which auctions go through which step).
 *   5. Every caller gets its answer; the round's live events go out in one message.
 *
 * So a row lock is held for one statement, never across a round trip, the cost of a write is
 * shared by every bid of the round, bids on one auction are totally ordered (by `seq`) whichever
 * process took them, and every bid is durable before its answer.
 */
@Injectable()
export class BidBatcher {
  private readonly queues = new Map<string, QueuedBid[]>();
  private draining = false;
  /** English auctions as this process last read or wrote them. A round never relies on an entry staying here. */
  private readonly knownAuctions = new LRUCache<string, KnownAuction>({ max: REMEMBERED_AUCTIONS });
  /**
   * Organizations seen holding a deposit, per auction. Only a first filter: a deposit can stop
   * being held at any time (released, a card hold that lapsed or was canceled), so the round's
   * statement checks every accepted bidder's deposit again.
   */
  private readonly knownDeposits = new LRUCache<string, Set<string>>({ max: REMEMBERED_AUCTIONS });

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
      const queued: QueuedBid = { ...bid, resolve, reject };
      const queue = this.queues.get(auctionId);
      if (queue) queue.push(queued);
      else this.queues.set(auctionId, [queued]);
      if (!this.draining) {
        this.draining = true;
        // A fresh context: the drain outlives the request that started it.
        void this.cls.run(() => this.drain());
      }
    });
  }

  /**
   * Runs rounds until no bid waits. What a round decided is answered and published even when
   * another of its auctions failed: only that auction's bidders get the error.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queues.size > 0) {
        const round = this.takeRound();
        try {
          const decided = await decideInSteps(round, {
            optimistic: (auctions) => this.decideOptimistically(auctions),
            locked: (auctions) => this.decideLocked(auctions),
            isKeyReused,
          });
          this.events.publish(decided.events);
          for (const { bid, outcome } of decided.answers) {
            if (outcome instanceof Error) bid.reject(outcome);
            else bid.resolve(outcome);
          }
          for (const { auctions, error } of decided.failed) {
            for (const { bids } of auctions) for (const bid of bids) bid.reject(error);
          }
        } catch (error) {
          // Not expected (the steps catch their own failures); a settled promise ignores this.
          for (const { bids } of round) for (const bid of bids) bid.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Up to `bidBatchMax` bids of every auction that has some waiting, auctions in id order. */
  private takeRound(): AuctionBids[] {
    return [...this.queues.keys()].sort().map((auctionId) => {
      const queue = this.queues.get(auctionId)!;
      const bids = queue.splice(0, this.config.auction.bidBatchMax);
      if (queue.length === 0) this.queues.delete(auctionId);
      return { auctionId, bids };
    });
  }

  /** One statement, no transaction, against what this process knows (and a read of what it does not). */
  private async decideOptimistically(round: AuctionBids[]): Promise<StepOutcome<QueuedBid>> {
    const auctions = await this.auctionsOf(round);
    const held = await this.heldDepositsOf(round, auctions);
    const planned = this.plan(round, auctions, held, new Map());
    // A moved end schedules the close job through the outbox, which must commit with the rows.
    const written = planned.plans.some((p) => p.extended)
      ? await this.txHost.withTransaction(() => this.writeAndSchedule(planned.plans))
      : await this.write(planned.plans);
    return this.answerRound(planned, written);
  }

  /** The fallback: lock the rows (in id order, in every process, so rounds never deadlock), look keys up, write, commit. */
  private async decideLocked(round: AuctionBids[]): Promise<StepOutcome<QueuedBid>> {
    const { planned, written } = await this.txHost.withTransaction(async () => {
      const rows = await this.readAuctions(
        round.map((r) => r.auctionId),
        { lock: true },
      );
      const auctions = this.learnAuctions(rows);
      const held = await this.heldDepositsOf(round, auctions);
      const plan = this.plan(round, auctions, held, await this.storedDecisions(round));
      return { planned: plan, written: await this.writeAndSchedule(plan.plans) };
    });
    return this.answerRound(planned, written);
  }

  /**
   * The round's auctions as this process knows them, and a fresh read of every one it does not:
   * an auction missing from the result is not an English auction in the database.
   */
  private async auctionsOf(round: AuctionBids[]): Promise<Map<string, KnownAuction>> {
    const auctions = new Map<string, KnownAuction>();
    const unknown: string[] = [];
    for (const { auctionId } of round) {
      const known = this.knownAuctions.get(auctionId);
      if (known) auctions.set(auctionId, known);
      else unknown.push(auctionId);
    }
    if (unknown.length > 0) {
      for (const [id, known] of this.learnAuctions(await this.readAuctions(unknown, { lock: false }))) {
        auctions.set(id, known);
      }
    }
    return auctions;
  }

  /**
   * Plans every auction of the round found English (`auctions`, read or known); the others are
   * answered "not found". Synchronous: everything it needs has been read before.
   */
  private plan(
    round: AuctionBids[],
    auctions: ReadonlyMap<string, KnownAuction>,
    held: ReadonlyMap<string, ReadonlySet<string>>,
    stored: Map<string, StoredDecision>,
  ): RoundPlan {
    const now = this.clock.now();
    const antiSnipingMs = this.config.auction.antiSnipingMs;
    const planned: RoundPlan = { plans: [], notFound: [] };
    for (const { auctionId, bids } of round) {
      const known = auctions.get(auctionId);
      if (!known) {
        planned.notFound.push({ auctionId, bids });
        continue;
      }
      const holders = held.get(auctionId);
      const holdsDeposit = (org: string) => holders?.has(org) ?? false;
      planned.plans.push(planAuction(auctionId, bids, known, { now, antiSnipingMs, stored, holdsDeposit }));
    }
    return planned;
  }

  /**
   * One statement for the whole round, its values bound right below it as two JSON arrays (one
   * record per bid, one per auction), so its text never changes and it is prepared once per
   * connection. For each auction with new bids it checks that the row is still at the plan's
   * version and that every accepted bidder still holds a deposit; the auctions that pass move (if
   * a bid was accepted) and get every decision recorded (accepted or refused: the audit trail and
   * the retry memory). The rows come back with the ids given them here.
   *
   * The deposit check reads `held_deposit`, the view the payments context keeps of the deposits
   * held now (migration 1764000009000; it names payments' table and statuses so this context does
   * not): the check has to be in this statement to cost no round trip and leave no gap between
   * check and write. `OFFSET 0`
   * keeps it a per-bid index probe: as a join, a plan made while the table was small would scan it
   * whole on every round. The statement never reads `auction_bid` for the same reason: a key used
   * before is found by the unique index, whose violation fails the whole statement (nothing
   * written): the auctions with keyed bids are then decided under lock with their keys looked up,
   * the others optimistically again (round-steps.ts).
   */
  private async write(plans: Plan[]): Promise<Written> {
    const written: Written = { createdAt: new Map(), versions: new Map() };
    const writing = plans.filter((p) => p.records.length > 0);
    if (writing.length === 0) return written;
    const rows = await preparedQuery<{ id: string; created_at: Date | null; version: number | null }>(
      this.txHost.tx,
      'auction-bid-round',
      `WITH bid AS (
         SELECT * FROM json_to_recordset($1::json) AS b (
           id uuid, auction_id uuid, seq int, bidder_organization_id uuid, bidder_user_id uuid,
           amount_fen bigint, accepted boolean, refusal_reason text, minimum_fen bigint, idempotency_key text)
       ), plan AS (
         SELECT * FROM json_to_recordset($2::json) AS p (
           auction_id uuid, version int, changed boolean, current_price_fen bigint,
           leading_bidder_organization_id uuid, bid_count int, last_seq int, ends_at timestamptz)
       ), cleared AS (
         SELECT p.* FROM plan p
          WHERE NOT EXISTS (
            SELECT 1 FROM bid b
             WHERE b.auction_id = p.auction_id AND b.accepted
               AND NOT EXISTS (
                 SELECT 1 FROM held_deposit d
                  WHERE d.auction_id = b.auction_id AND d.payer_organization_id = b.bidder_organization_id
                 OFFSET 0))
       ), moved AS (
         UPDATE auction a
            SET current_price_fen = p.current_price_fen, leading_bidder_organization_id = p.leading_bidder_organization_id,
                bid_count = p.bid_count, last_seq = p.last_seq, ends_at = p.ends_at
           FROM cleared p
          WHERE a.id = p.auction_id AND p.changed AND a.version = p.version
         RETURNING a.id, a.version
       ), current AS (
         SELECT id, version FROM moved
         UNION ALL
         SELECT a.id, a.version FROM cleared p JOIN auction a ON a.id = p.auction_id AND a.version = p.version
          WHERE NOT p.changed
       ), recorded AS (
         INSERT INTO auction_bid (id, auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen,
                                  accepted, refusal_reason, minimum_fen, idempotency_key)
         SELECT id, auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen,
                accepted, refusal_reason, minimum_fen, idempotency_key
           FROM bid WHERE auction_id IN (SELECT id FROM current)
         RETURNING id, created_at
       )
       SELECT id, created_at, NULL::int AS version FROM recorded
       UNION ALL
       SELECT id, NULL, version FROM current`,
      [
        JSON.stringify(
          writing.flatMap((plan) =>
            plan.records.map(({ id, auctionId, decision: d, ...bid }) => ({
              id,
              auction_id: auctionId,
              seq: d.accepted ? d.seq : null,
              bidder_organization_id: bid.bidderOrganizationId,
              bidder_user_id: bid.bidderUserId,
              amount_fen: bid.amountFen,
              accepted: d.accepted,
              refusal_reason: d.accepted ? null : d.reason,
              minimum_fen: d.accepted ? null : d.minimumFen,
              idempotency_key: bid.idempotencyKey,
            })),
          ),
        ),
        JSON.stringify(
          writing.map(({ auctionId, version, changed, state }) => ({
            auction_id: auctionId,
            version,
            changed,
            current_price_fen: state.currentPriceFen,
            leading_bidder_organization_id: state.leadingBidderOrganizationId,
            bid_count: state.bidCount,
            last_seq: state.lastSeq,
            ends_at: state.endsAt,
          })),
        ),
      ],
    );
    for (const row of rows) {
      if (row.version === null) written.createdAt.set(row.id, new Date(row.created_at!));
      else written.versions.set(row.id, row.version);
    }
    return written;
  }

  /** Writes, then has the close job follow every moved end (the one scheduled for the old end will find it moved). */
  private async writeAndSchedule(plans: Plan[]): Promise<Written> {
    const written = await this.write(plans);
    for (const plan of plans) {
      if (!plan.extended || !written.versions.has(plan.auctionId)) continue;
      await this.outbox.add(
        JobName.AuctionCloseDue,
        { auctionId: plan.auctionId, at: plan.state.endsAt.toISOString() },
        { runAt: plan.state.endsAt },
      );
    }
    return written;
  }

  /**
   * Answers the callers of every auction the write went through for (and remembers its new
   * state), and of every auction not found. The others changed since this process read them
   * (another process, the close job) or have a bidder whose deposit is no longer held: forgotten,
   * to be decided again read afresh.
   */
  private answerRound(planned: RoundPlan, written: Written): StepOutcome<QueuedBid> {
    const outcome: StepOutcome<QueuedBid> = { done: { answers: [], events: [] }, stale: [] };
    for (const { auctionId, bids } of planned.notFound) {
      for (const bid of bids) outcome.done.answers.push({ bid, outcome: AuctionErrors.notFound(auctionId) });
    }
    for (const plan of planned.plans) {
      const { auctionId } = plan;
      // An auction whose bids were all retries of stored decisions wrote nothing, and stands as read.
      const version = plan.records.length > 0 ? written.versions.get(auctionId) : plan.version;
      if (version === undefined) {
        this.knownAuctions.delete(auctionId);
        this.knownDeposits.delete(auctionId);
        outcome.stale.push({ auctionId, bids: plan.bids.map((planned) => planned.bid) });
        continue;
      }
      this.knownAuctions.set(auctionId, { version, state: plan.state });
      const { answers, events } = answerAuction(plan, written.createdAt);
      outcome.done.answers.push(...answers);
      outcome.done.events.push(...events);
    }
    return outcome;
  }

  private async readAuctions(ids: string[], { lock }: { lock: boolean }): Promise<AuctionRow[]> {
    return (await this.txHost.tx.query(
      `SELECT id, kind, status, seller_organization_id, allowed_buyer_organization_ids, starting_price_fen, increment_fen,
              current_price_fen, leading_bidder_organization_id, bid_count, last_seq, ends_at, version
         FROM auction WHERE id = ANY($1::uuid[]) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [ids],
    )) as AuctionRow[];
  }

  /** Remembers English auctions as read and returns them by id; other kinds are not decided here. */
  private learnAuctions(rows: AuctionRow[]): Map<string, KnownAuction> {
    const learned = new Map<string, KnownAuction>();
    for (const row of rows) {
      if (row.kind !== AuctionKind.English) continue;
      const known: KnownAuction = {
        version: row.version,
        state: {
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
        },
      };
      this.knownAuctions.set(row.id, known);
      learned.set(row.id, known);
    }
    return learned;
  }

  /**
   * The organizations seen holding a deposit on each of the round's auctions, read before
   * planning so that planning never waits: an auction's first round loads every holder at once;
   * later rounds ask only about bidders not seen holding yet (a deposit may have been held since).
   * Usually every bidder is known and nothing is asked.
   */
  private async heldDepositsOf(
    round: AuctionBids[],
    auctions: ReadonlyMap<string, KnownAuction>,
  ): Promise<Map<string, Set<string>>> {
    const held = new Map<string, Set<string>>();
    for (const { auctionId, bids } of round) {
      if (!auctions.has(auctionId)) continue; // not planned: answered "not found"
      let holders = this.knownDeposits.get(auctionId);
      if (!holders) {
        holders = await this.deposits.heldPayers(auctionId);
      } else {
        const unseen = [...new Set(bids.map((bid) => bid.bidderOrganizationId))].filter((id) => !holders!.has(id));
        if (unseen.length > 0) for (const id of await this.deposits.heldPayers(auctionId, unseen)) holders.add(id);
      }
      this.knownDeposits.set(auctionId, holders);
      held.set(auctionId, holders);
    }
    return held;
  }

  /** First decisions of the round's keys, by `retryKey`. */
  private async storedDecisions(round: AuctionBids[]): Promise<Map<string, StoredDecision>> {
    const keys = round.flatMap(({ bids }) => bids.flatMap((bid) => (bid.idempotencyKey ? [bid.idempotencyKey] : [])));
    if (keys.length === 0) return new Map();
    const rows = (await this.txHost.tx.query(
      `SELECT id, auction_id, bidder_user_id, idempotency_key, seq, amount_fen, accepted, refusal_reason, minimum_fen, created_at
         FROM auction_bid WHERE auction_id = ANY($1::uuid[]) AND idempotency_key = ANY($2)`,
      [round.map((r) => r.auctionId), keys],
    )) as StoredDecision[];
    return new Map(rows.map((row) => [retryKey(row.auction_id, row.bidder_user_id, row.idempotency_key), row]));
  }
}

/** A key in the statement was used by an earlier request (the unique index says so): nothing was written. */
function isKeyReused(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const cause = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint } = cause as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'auction_bid_key_uq';
}
