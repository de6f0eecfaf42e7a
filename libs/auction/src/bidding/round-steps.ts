import type { AuctionEvent } from '../live/auction-events.service';
import type { BidRequest, Outcome } from './bid-round';

/**
 * The order in which a round of bids is decided, with no I/O of its own: BidBatcher supplies the
 * two ways of deciding (optimistic, locked) and this file says which auctions go where.
 *
 *   1. Optimistic: one statement against what the process knows. If a key turns out to have been
 *      used before, the statement wrote nothing; the auctions with keyed bids go on to the locked
 *      step (where keys are looked up) and the others are decided optimistically again, so one
 *      resent key does not put every auction of the process under lock.
 *   2. Locked: the auctions the optimistic step could not decide, read afresh under lock.
 *   3. One locked retry: for the few a concurrent writer still beat (a deposit released between
 *      the read and the write, a key written by another process meanwhile).
 *
 * Whatever a step decided stands, even if a later step fails: its bids are answered and its
 * events published; only the auctions still pending carry the error.
 */

/** The bids a round takes from one auction's queue. */
export interface AuctionBids<B extends BidRequest> {
  auctionId: string;
  bids: B[];
}

/** Callers' answers and the live events of what was written. */
export interface Answered<B extends BidRequest> {
  answers: { bid: B; outcome: Outcome }[];
  events: AuctionEvent[];
}

/** What one step decided, and the auctions it leaves to the next. */
export interface StepOutcome<B extends BidRequest> {
  done: Answered<B>;
  stale: AuctionBids<B>[];
}

export type Step<B extends BidRequest> = (auctions: AuctionBids<B>[]) => Promise<StepOutcome<B>>;

export interface RoundSteps<B extends BidRequest> {
  optimistic: Step<B>;
  locked: Step<B>;
  /** The step's statement failed on a key used before, and wrote nothing. */
  isKeyReused: (error: unknown) => boolean;
}

/** The round's answers and events, and the auctions that could not be decided, with why. */
export interface DecidedRound<B extends BidRequest> extends Answered<B> {
  failed: { auctions: AuctionBids<B>[]; error: unknown }[];
}

export async function decideInSteps<B extends BidRequest>(
  round: AuctionBids<B>[],
  steps: RoundSteps<B>,
): Promise<DecidedRound<B>> {
  const decided: DecidedRound<B> = { answers: [], events: [], failed: [] };

  /** Runs a step; returns the auctions still to decide (all of them if a key was reused). */
  const attempt = async (step: Step<B>, auctions: AuctionBids<B>[]) => {
    if (auctions.length === 0) return { stale: [], keyReused: false };
    try {
      const { done, stale } = await step(auctions);
      decided.answers.push(...done.answers);
      decided.events.push(...done.events);
      return { stale, keyReused: false };
    } catch (error) {
      if (steps.isKeyReused(error)) return { stale: auctions, keyReused: true };
      decided.failed.push({ auctions, error });
      return { stale: [], keyReused: false };
    }
  };

  const optimistic = await attempt(steps.optimistic, round);
  let pending = optimistic.stale;
  if (optimistic.keyReused) {
    const keyed = round.filter(hasKeyedBid);
    const again = await attempt(
      steps.optimistic,
      round.filter((auction) => !hasKeyedBid(auction)),
    );
    pending = [...keyed, ...again.stale];
  }
  pending = (await attempt(steps.locked, pending)).stale;
  pending = (await attempt(steps.locked, pending)).stale;
  if (pending.length > 0) {
    decided.failed.push({
      auctions: pending,
      error: new Error(`bids on ${pending.length} auctions could not be written, even under lock on a second try`),
    });
  }
  return decided;
}

function hasKeyedBid<B extends BidRequest>({ bids }: AuctionBids<B>): boolean {
  return bids.some((bid) => bid.idempotencyKey !== undefined);
}
