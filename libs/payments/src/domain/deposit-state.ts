/**
 * The deposit (保证金) state machine, in one place.
 *
 *   pending ─► held ─► released | captured
 *      └────► failed | canceled
 *
 * `pending` and `held` are live: at most one live deposit per (reference, payer organization).
 */
export enum DepositStatus {
  Pending = 'pending',
  Held = 'held',
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
}

export const LIVE_STATUSES: readonly DepositStatus[] = [DepositStatus.Pending, DepositStatus.Held];

const TRANSITIONS: Record<DepositStatus, readonly DepositStatus[]> = {
  [DepositStatus.Pending]: [DepositStatus.Held, DepositStatus.Failed, DepositStatus.Canceled],
  [DepositStatus.Held]: [DepositStatus.Released, DepositStatus.Captured],
  [DepositStatus.Released]: [],
  [DepositStatus.Captured]: [],
  [DepositStatus.Failed]: [],
  [DepositStatus.Canceled]: [],
};

export function canMove(from: DepositStatus, to: DepositStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * What releasing a deposit means in each state. A held deposit is given back (`released`); a
 * pending one never held money, so it is just called off (`canceled`). Releasing again is a no-op.
 */
export type ReleasePlan = { action: 'release'; to: DepositStatus } | { action: 'none' } | { action: 'refuse' };

export function planRelease(status: DepositStatus): ReleasePlan {
  switch (status) {
    case DepositStatus.Held:
      return { action: 'release', to: DepositStatus.Released };
    case DepositStatus.Pending:
      return { action: 'release', to: DepositStatus.Canceled };
    case DepositStatus.Captured:
      return { action: 'refuse' };
    default:
      return { action: 'none' };
  }
}

/** Capturing is only for a held deposit; capturing a captured one is a no-op. */
export function planCapture(status: DepositStatus): 'capture' | 'none' | 'refuse' {
  if (status === DepositStatus.Held) return 'capture';
  if (status === DepositStatus.Captured) return 'none';
  return 'refuse';
}

/** The parts of a Stripe PaymentIntent that decide a deposit's state. */
export interface IntentSnapshot {
  status: string;
  amount: number;
  amountCapturable: number;
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
): DepositStatus | undefined {
  const target = targetOf(current, eventType, intent, amountFen);
  return target && canMove(current, target) ? target : undefined;
}

function targetOf(
  current: DepositStatus,
  eventType: string,
  intent: IntentSnapshot,
  amountFen: number,
): DepositStatus | undefined {
  switch (eventType) {
    case 'payment_intent.amount_capturable_updated':
      // The card is authorised for the whole deposit: the money is held until captured or canceled.
      return intent.status === 'requires_capture' && intent.amount === amountFen && intent.amountCapturable >= amountFen
        ? DepositStatus.Held
        : undefined;
    case 'payment_intent.payment_failed':
      return DepositStatus.Failed;
    case 'payment_intent.canceled':
      // Canceled before any hold: called off. Canceled while held (our release, or the
      // authorisation lapsed): the money is back with the payer.
      return current === DepositStatus.Held ? DepositStatus.Released : DepositStatus.Canceled;
    default:
      return undefined;
  }
}
