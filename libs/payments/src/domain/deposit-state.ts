import { PaymentsErrors } from '../payments.errors';

/**
 * The deposit (保证金) state machine, in one place.
 *
 *   pending ─► held ─┬─► capturing ─► captured | released (the hold lapsed first)
 *      │             ├─► releasing ─► released
 *      │             └┄► released (reported by the provider: the hold lapsed or was canceled there)
 *      ├────► releasing ─► canceled
 *      │          └┄┄┄┄► captured (reported by the provider: a payment taken at once, charged before the call-off)
 *      ├┄┄┄┄► captured (reported by the provider: a payment taken at once)
 *      └────► failed | canceled
 *
 * The market moves money only through `capturing` and `releasing`: these are instructions
 * recorded in the database (money moves after the books), and a job then asks the provider, with
 * an idempotency key, and records the outcome. There is no edge from `held` straight to
 * `captured` or `released` for the market to take; the one dotted edge is the provider telling us
 * the hold is gone (Stripe's `payment_intent.canceled`), which no market code can ask for.
 * `pending` and `held` are live: at most one live deposit per (reference, payer organization).
 */
export enum DepositStatus {
  Pending = 'pending',
  Held = 'held',
  /** Settlement decided to apply it to the price; the provider has not confirmed yet. */
  Capturing = 'capturing',
  /** Settlement decided to give it back (or call it off); the provider has not confirmed yet. */
  Releasing = 'releasing',
  Released = 'released',
  Captured = 'captured',
  Failed = 'failed',
  Canceled = 'canceled',
}

export enum DepositMethod {
  Stripe = 'stripe',
  Offline = 'offline',
}

/** What a deposit secures; the reference id is that thing's id (an auction's, for now). */
export enum DepositPurpose {
  Auction = 'auction',
  /**
   * A payment milestone of a contract (`referenceId` = the milestone): a payment, not a hold. By card
   * it is charged when the payer confirms it (`capturedAtOnce`), by bank transfer held when finance
   * records it and captured at once after.
   */
  ContractMilestone = 'contract_milestone',
}

export const LIVE_STATUSES: readonly DepositStatus[] = [DepositStatus.Pending, DepositStatus.Held];

const TRANSITIONS: Record<DepositStatus, readonly DepositStatus[]> = {
  [DepositStatus.Pending]: [DepositStatus.Held, DepositStatus.Failed, DepositStatus.Canceled, DepositStatus.Releasing],
  [DepositStatus.Held]: [DepositStatus.Capturing, DepositStatus.Releasing],
  [DepositStatus.Capturing]: [DepositStatus.Captured, DepositStatus.Released],
  [DepositStatus.Releasing]: [DepositStatus.Released, DepositStatus.Canceled],
  [DepositStatus.Released]: [],
  [DepositStatus.Captured]: [],
  [DepositStatus.Failed]: [],
  [DepositStatus.Canceled]: [],
};

/**
 * Moves only the payment provider may report, never the market's to make: a held card
 * authorisation that lapsed or was canceled at Stripe is gone, whatever the market had decided.
 */
const REPORTED_BY_PROVIDER: Partial<Record<DepositStatus, readonly DepositStatus[]>> = {
  [DepositStatus.Held]: [DepositStatus.Released],
  // A payment captured at once (automatic capture): the provider charged the card when the payer
  // confirmed it; there is no hold to capture later.
  [DepositStatus.Pending]: [DepositStatus.Captured],
  // The same payment confirmed in the moment before the market called it off: the card was charged
  // all the same, and the books must say so (the caller then owes the money back). Only a payment
  // taken at once ever reports this (`statusAfterStripeEvent`); a hold is never charged by the payer.
  [DepositStatus.Releasing]: [DepositStatus.Captured],
};

/**
 * Whether a deposit of this purpose is a payment taken at once (a card PaymentIntent with automatic
 * capture) rather than a hold captured or released later: a contract's payment milestone is owed,
 * so nothing is gained by holding it (issue 13: "a Stripe PaymentIntent captured at once").
 */
export function capturedAtOnce(purpose: string): boolean {
  return purpose === DepositPurpose.ContractMilestone;
}

/** Who makes a move: the market (through an instruction and its job), or the provider reporting a fact. */
export type MoveSource = 'market' | 'provider';

export function canMove(from: DepositStatus, to: DepositStatus, source: MoveSource = 'market'): boolean {
  if (TRANSITIONS[from].includes(to)) return true;
  return source === 'provider' && (REPORTED_BY_PROVIDER[from]?.includes(to) ?? false);
}

/** The fields a transition writes. */
export interface DepositTransitionTarget {
  id: string;
  status: DepositStatus;
  heldAt: Date | null;
  releasedAt: Date | null;
  capturedAt: Date | null;
}

/**
 * Every status change of a deposit goes through here: an illegal move throws, and the moment the
 * money was held, released or captured is stamped with the caller's clock.
 */
export function moveDeposit(
  deposit: DepositTransitionTarget,
  to: DepositStatus,
  now: Date,
  source: MoveSource = 'market',
): void {
  if (!canMove(deposit.status, to, source)) throw PaymentsErrors.illegalTransition(deposit.id, deposit.status, to);
  deposit.status = to;
  if (to === DepositStatus.Held) deposit.heldAt = now;
  if (to === DepositStatus.Released) deposit.releasedAt = now;
  if (to === DepositStatus.Captured) deposit.capturedAt = now;
}

/**
 * Settlement's decision for a deposit, recorded before any money moves: the winner's held deposit
 * is to be captured, every other live one released. Deciding again changes nothing; a deposit that
 * is already over (released, failed …) needs nothing.
 */
export function instruction(
  status: DepositStatus,
  decision: 'capture' | 'release',
): { action: 'instruct'; to: DepositStatus } | { action: 'none' } | { action: 'refuse' } {
  if (decision === 'capture') {
    if (status === DepositStatus.Held) return { action: 'instruct', to: DepositStatus.Capturing };
    if (status === DepositStatus.Capturing || status === DepositStatus.Captured) return { action: 'none' };
    return { action: 'refuse' };
  }
  if (status === DepositStatus.Held || status === DepositStatus.Pending) {
    return { action: 'instruct', to: DepositStatus.Releasing };
  }
  if (status === DepositStatus.Capturing || status === DepositStatus.Captured) return { action: 'refuse' };
  return { action: 'none' };
}

/**
 * What a release instruction ends in once the provider has acted: a deposit that was ever held is
 * given back (`released`); one that never held money is just called off (`canceled`).
 */
export function releaseOutcome(wasHeld: boolean): DepositStatus.Released | DepositStatus.Canceled {
  return wasHeld ? DepositStatus.Released : DepositStatus.Canceled;
}

/** The parts of a Stripe PaymentIntent that decide a deposit's state. */
export interface IntentSnapshot {
  status: string;
  amount: number;
  amountCapturable: number;
  /** What the provider has taken (a payment captured at once: the whole amount once it succeeded). */
  amountReceived?: number;
}

/**
 * The state a Stripe webhook moves a deposit to, or undefined when the event changes nothing
 * (unknown type, stale or out of order). Events arrive in any order and any number of times.
 */
export function statusAfterStripeEvent(
  current: DepositStatus,
  eventType: string,
  intent: IntentSnapshot,
  amountFen: number,
  wasHeld = current === DepositStatus.Held,
  atOnce = false,
): DepositStatus | undefined {
  const target = targetOf(current, eventType, intent, amountFen, wasHeld, atOnce);
  return target && canMove(current, target, 'provider') ? target : undefined;
}

function targetOf(
  current: DepositStatus,
  eventType: string,
  intent: IntentSnapshot,
  amountFen: number,
  wasHeld: boolean,
  atOnce: boolean,
): DepositStatus | undefined {
  switch (eventType) {
    case 'payment_intent.succeeded':
      // A payment captured at once has been charged in full. (For a hold, the market's own capture
      // job records the outcome; the event that follows it changes nothing.)
      return atOnce &&
        intent.status === 'succeeded' &&
        intent.amount === amountFen &&
        (intent.amountReceived ?? 0) >= amountFen
        ? DepositStatus.Captured
        : undefined;
    case 'payment_intent.amount_capturable_updated':
      // The card is authorised for the whole deposit: the money is held until captured or canceled.
      return intent.status === 'requires_capture' && intent.amount === amountFen && intent.amountCapturable >= amountFen
        ? DepositStatus.Held
        : undefined;
    case 'payment_intent.payment_failed':
      // A declined card leaves the intent in `requires_payment_method`: the payer may confirm it
      // again with the same client secret. A payment taken at once therefore stays pending (one live
      // payment: the port refuses a second one, so the retry is the same intent and is charged
      // once); only an intent that is over (canceled) fails it. A hold fails at once: a new deposit
      // is asked for (an auction's room offers it).
      return atOnce && intent.status !== 'canceled' ? undefined : DepositStatus.Failed;
    case 'payment_intent.canceled':
      // Canceled before any hold: called off. Canceled while held (our release, or the
      // authorisation lapsed, also while a capture was on its way): the money is back with the payer.
      return wasHeld || current === DepositStatus.Capturing ? DepositStatus.Released : DepositStatus.Canceled;
    default:
      return undefined;
  }
}
