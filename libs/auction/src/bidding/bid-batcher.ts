import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { DomainError } from '@market/http';
import { preparedQuery } from '@market/database';
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
  version: number;
}

/** An auction's bids waiting in a round. */
interface Batch {
  auctionId: string;
  batch: Waiting[];
}

/** An English auction as this process last read or wrote it. */
interface KnownAuction {
  version: number;
  state: AuctionBiddingState;
}

/** What one write statement did: each accepted decision's row, and the version of each auction written. */
interface Written {
  inserted: Map<string, { id: string; createdAt: Date }[]>;
  current: Map<string, number>;
}

/**
 * A round's write, in one statement (see BidBatcher.write): the columns of its decisions and of
 * its auctions travel as arrays, so the text never changes and is prepared once per connection.
 *
 * It never reads `auction_bid`: a key used before is found by the unique index, whose violation
 * fails the whole statement (nothing written). A lookup here would be planned once per
 * connection, and a plan made while the table was nearly empty (a new market) scans it whole on
 * every round, ever slower as bids pile up, until statistics catch up a minute later.
 */
const WRITE_ROUND = `
  WITH incoming AS (
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::bigint[], $6::boolean[], $7::text[], $8::bigint[], $9::text[])
      WITH ORDINALITY AS i (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key, ord)
  ), expected AS (
    SELECT * FROM unnest($10::uuid[], $11::int[], $12::boolean[], $13::bigint[], $14::uuid[], $15::int[], $16::int[], $17::timestamptz[])
      AS e (id, version, changed, price, leader, bids, seq, ends_at)
  ), moved AS (
    UPDATE auction a SET current_price_fen = e.price, leading_bidder_organization_id = e.leader,
           bid_count = e.bids, last_seq = e.seq, ends_at = e.ends_at
      FROM expected e
     WHERE a.id = e.id AND e.changed AND a.version = e.version
    RETURNING a.id, a.version
  ), current AS (
    SELECT id, version FROM moved
    UNION ALL
    SELECT a.id, a.version FROM expected e JOIN auction a ON a.id = e.id AND a.version = e.version
     WHERE NOT e.changed
  ), recorded AS (
    INSERT INTO auction_bid (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key)
    SELECT auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted, refusal_reason, minimum_fen, idempotency_key
      FROM incoming WHERE auction_id IN (SELECT id FROM current) ORDER BY ord
    RETURNING id, auction_id, created_at
  )
  SELECT id, auction_id, created_at, NULL::int AS version FROM recorded
  UNION ALL
  SELECT NULL, id, NULL, version FROM current`;

/**
 * Where a bid is decided. Bids queue up in this process and are decided in rounds: the rules are
 * applied to each auction's bids in arrival order against the state this process last read or
 * wrote, and then one statement writes every decision and every moved auction row — but only the
 * auctions whose row is still at the version that state was read at (a trigger raises it on every
 * update, whoever makes it). An auction changed elsewhere meanwhile (another api process, the close
 * job) is decided again in a transaction that locks its row first. So a row lock is held for one
 * statement, never across a round trip, the cost of a write is shared by every bid of the round,
 * bids on one auction are totally ordered (by `seq`) whichever process took them, and every bid is
 * durable before its answer.
 */
@Injectable()
export class BidBatcher {
  private readonly queues = new Map<string, Waiting[]>();
  private draining = false;
  /** Deposits seen held, per auction: deposits are only released after the close. */
  private readonly knownDeposits = new Map<string, Set<string>>();
  private readonly knownAuctions = new Map<string, KnownAuction>();

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
   * Optimistic first: one statement, no transaction, against what this process knows. Auctions
   * found changed are decided again under lock; so is the whole round when a key turns out to
   * have been used before (the statement then wrote nothing), looking the keys up first.
   */
  private async decideRound(round: Batch[]): Promise<RoundResult[]> {
    const results = new Map<string, RoundResult>();
    let pending = round;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 3)
        throw new Error(`bids on ${pending.length} auctions could not be written after ${attempt - 1} attempts`);
      try {
        const outcome = attempt === 1 ? await this.decideOptimistically(pending) : await this.decideLocked(pending);
        for (const [auctionId, result] of outcome.decided) results.set(auctionId, result);
        pending = outcome.stale;
      } catch (error) {
        if (!isKeyReused(error)) throw error;
      }
    }
    return round.map(({ auctionId }) => results.get(auctionId)!);
  }

  private async decideOptimistically(round: Batch[]): Promise<RoundOutcome> {
    const unknown = round.map((r) => r.auctionId).filter((id) => !this.knownAuctions.has(id));
    if (unknown.length > 0) this.learn(await this.readAuctions(unknown, false));
    const plans = await this.planAll(round, new Map());
    const extended = plans.some(
      (plan) => 'decisions' in plan && plan.decisions.some((d) => d.accepted && d.extendedTo),
    );
    // A moved end schedules the close job through the outbox, which must commit with the row.
    const written = extended
      ? await this.txHost.withTransaction(async () => {
          const result = await this.write(plans);
          await this.scheduleCloses(plans, result);
          return result;
        })
      : await this.write(plans);
    return this.settle(plans, written);
  }

  /** The fallback: lock the rows (in id order, in every process, so rounds never deadlock), look keys up, write, commit. */
  private async decideLocked(round: Batch[]): Promise<RoundOutcome> {
    const { plans, written } = await this.txHost.withTransaction(async () => {
      this.learn(
        await this.readAuctions(
          round.map((r) => r.auctionId),
          true,
        ),
      );
      const planned = await this.planAll(round, await this.storedDecisions(round));
      const result = await this.write(planned);
      await this.scheduleCloses(planned, result);
      return { plans: planned, written: result };
    });
    return this.settle(plans, written);
  }

  private async readAuctions(ids: string[], lock: boolean): Promise<(AuctionRow & { id: string })[]> {
    return (await this.txHost.tx.query(
      `SELECT id, kind, status, seller_organization_id, allowed_buyer_organization_ids, starting_price_fen, increment_fen,
              current_price_fen, leading_bidder_organization_id, bid_count, last_seq, ends_at, version
         FROM auction WHERE id = ANY($1::uuid[]) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [ids],
    )) as (AuctionRow & { id: string })[];
  }

  /** Remembers English auctions as read; others are not decided here. */
  private learn(rows: (AuctionRow & { id: string })[]): void {
    if (this.knownAuctions.size > 10_000) this.knownAuctions.clear();
    for (const row of rows) {
      if (row.kind !== AuctionKind.English) continue;
      this.knownAuctions.set(row.id, {
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
      });
    }
  }

  /** Deposits first, so that planning itself never waits: usually every bidder is known to hold one. */
  private async planAll(round: Batch[], stored: Map<string, StoredDecision>): Promise<AuctionPlan[]> {
    for (const learn of this.depositsToLearn(round)) await learn();
    const now = this.clock.now();
    return round.map(({ auctionId, batch }) => {
      const known = this.knownAuctions.get(auctionId);
      return known ? this.plan(auctionId, batch, known, stored, now) : { auctionId, batch, missing: true };
    });
  }

  /**
   * Answers for every auction the write went through for (and remembers its new state); the
   * others were changed elsewhere since this process read them: forgotten, and left to decide again.
   */
  private settle(plans: AuctionPlan[], written: Written): RoundOutcome {
    const decided = new Map<string, RoundResult>();
    const stale: Batch[] = [];
    for (const plan of plans) {
      if ('missing' in plan) {
        decided.set(plan.auctionId, {
          outcomes: plan.batch.map(() => AuctionErrors.notFound(plan.auctionId)),
          events: [],
        });
        continue;
      }
      const version = plan.freshBids.length > 0 ? written.current.get(plan.auctionId) : plan.version;
      if (version === undefined) {
        this.knownAuctions.delete(plan.auctionId);
        stale.push({ auctionId: plan.auctionId, batch: plan.batch });
        continue;
      }
      this.knownAuctions.set(plan.auctionId, { version, state: plan.state });
      decided.set(plan.auctionId, this.finish(plan, written.inserted));
    }
    return { decided, stale };
  }

  /** The close job follows a moved end; the one scheduled for the old end will find it moved. */
  private async scheduleCloses(plans: AuctionPlan[], written: Written): Promise<void> {
    for (const plan of plans) {
      if ('missing' in plan || !written.current.has(plan.auctionId)) continue;
      if (!plan.decisions.some((d) => d.accepted && d.extendedTo)) continue;
      await this.outbox.add(
        JobName.AuctionCloseDue,
        { auctionId: plan.auctionId, at: plan.state.endsAt.toISOString() },
        { runAt: plan.state.endsAt },
      );
    }
  }

  /** Applies the rules to one auction's fresh bids; nothing is written yet. */
  private plan(
    auctionId: string,
    batch: Waiting[],
    known: KnownAuction,
    stored: Map<string, StoredDecision>,
    now: Date,
  ): DecidedPlan {
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
    // A copy: the rules move it as they accept bids, and it is remembered only once written.
    const state: AuctionBiddingState = { ...known.state };
    const freshBids = fresh.map((i) => batch[i]);
    const held = this.knownDeposits.get(auctionId)!;
    const decisions = decideBids(state, freshBids, now, this.config.auction.antiSnipingMs, (organizationId) =>
      held.has(organizationId),
    );
    return {
      auctionId,
      batch,
      version: known.version,
      fresh,
      freshBids,
      replayOf,
      decisions,
      state,
      changed: decisions.some((d) => d.accepted),
    };
  }

  /** After the write: the live events and each caller's answer. */
  private finish(plan: DecidedPlan, inserted: Map<string, { id: string; createdAt: Date }[]>): RoundResult {
    const { auctionId, batch, fresh, replayOf, decisions, state } = plan;
    const rows = inserted.get(auctionId) ?? [];
    const events: AuctionEvent[] = [];
    if (plan.changed) {
      const extended = decisions.some((d) => d.accepted && d.extendedTo);
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

  private async storedDecisions(round: Batch[]): Promise<Map<string, StoredDecision>> {
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
   * Held deposits, remembered per auction: the first round of an auction loads every holder at
   * once, later rounds ask only about bidders not seen holding yet (a deposit may have been held
   * since). Returns the lookups still to make; none once the bidders are known.
   */
  private depositsToLearn(round: Batch[]): (() => Promise<void>)[] {
    if (this.knownDeposits.size > 10_000) this.knownDeposits.clear();
    return round.flatMap(({ auctionId, batch }) => {
      if (!this.knownAuctions.has(auctionId)) return []; // not planned: answered "not found"
      const known = this.knownDeposits.get(auctionId);
      if (!known) {
        return [async () => void this.knownDeposits.set(auctionId, await this.deposits.heldPayers(auctionId))];
      }
      const unknown = [...new Set(batch.map((bid) => bid.bidderOrganizationId))].filter((id) => !known.has(id));
      if (unknown.length === 0) return [];
      return [
        async () => {
          for (const id of await this.deposits.heldPayers(auctionId, unknown)) known.add(id);
        },
      ];
    });
  }

  /**
   * One statement for the whole round: the auctions that accepted bids move, each only if its row
   * is still at the version the plan was made from; those that only refused check that version
   * too; every decision (accepted or refused: the audit trail and the retry memory) is recorded
   * for the auctions that passed. A key used before fails the statement on the unique index, so
   * nothing at all is written (the round is decided again, the keys looked up).
   */
  private async write(plans: AuctionPlan[]): Promise<Written> {
    const decided = plans.filter((p): p is DecidedPlan => !('missing' in p) && p.freshBids.length > 0);
    const written: Written = { inserted: new Map(), current: new Map() };
    if (decided.length === 0) return written;
    // Columns as arrays, so the statement's text (and its planning) is the same whatever the round holds.
    const bids = decided.flatMap((plan) =>
      plan.freshBids.map((bid, n) => ({ auctionId: plan.auctionId, bid, d: plan.decisions[n] })),
    );
    const rows = await preparedQuery<{
      id: string | null;
      auction_id: string;
      created_at: Date | null;
      version: number | null;
    }>(this.txHost.tx, 'auction-bid-round', WRITE_ROUND, [
      bids.map((b) => b.auctionId),
      bids.map((b) => (b.d.accepted ? b.d.seq : null)),
      bids.map((b) => b.bid.bidderOrganizationId),
      bids.map((b) => b.bid.bidderUserId),
      bids.map((b) => b.bid.amountFen),
      bids.map((b) => b.d.accepted),
      bids.map((b) => (b.d.accepted ? null : b.d.reason)),
      bids.map((b) => (b.d.accepted ? null : b.d.minimumFen)),
      bids.map((b) => b.bid.idempotencyKey ?? null),
      decided.map((p) => p.auctionId),
      decided.map((p) => p.version),
      decided.map((p) => p.changed),
      decided.map((p) => p.state.currentPriceFen),
      decided.map((p) => p.state.leadingBidderOrganizationId),
      decided.map((p) => p.state.bidCount),
      decided.map((p) => p.state.lastSeq),
      decided.map((p) => p.state.endsAt),
    ]);
    // RETURNING follows the insertion order, which follows `ord`.
    for (const row of rows) {
      if (row.id === null) {
        written.current.set(row.auction_id, row.version!);
        continue;
      }
      const list = written.inserted.get(row.auction_id) ?? [];
      list.push({ id: row.id, createdAt: new Date(row.created_at!) });
      written.inserted.set(row.auction_id, list);
    }
    return written;
  }
}

interface DecidedPlan {
  auctionId: string;
  batch: Waiting[];
  version: number;
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

interface RoundOutcome {
  decided: Map<string, RoundResult>;
  stale: Batch[];
}

/** A key in the round was used by an earlier request (the unique index says so): decide it again, looking keys up. */
function isKeyReused(error: unknown): boolean {
  const cause = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint } = cause as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'auction_bid_key_uq';
}

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
