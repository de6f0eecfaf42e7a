import type { DepositMethod } from '../domain/deposit-state';

/** What a gateway needs to know about a deposit. */
export interface GatewayDeposit {
  id: string;
  /** What it pays for: a contract milestone is captured at once, anything else held (`capturedAtOnce`). */
  purpose: string;
  amountFen: number;
  referenceId: string;
  payerOrganizationId: string;
  stripePaymentIntentId: string | null;
}

/** How the payer completes a new deposit: confirm a card in the browser, or transfer money. */
export interface GatewayOpening {
  stripe?: { paymentIntentId: string; clientSecret: string };
  bankTransfer?: { reference: string };
}

/**
 * The payments port: one adapter per way of paying. Each call is safe to repeat for the same
 * deposit (a provider call carries an idempotency key derived from the deposit id), so a retry
 * after a crash ends where the first attempt would have.
 */
export interface PaymentGateway {
  readonly method: DepositMethod;
  /** Starts collecting a deposit. */
  open(deposit: GatewayDeposit): Promise<GatewayOpening>;
  /**
   * Gives a held deposit back, or calls off a pending one. `'captured'` when the provider had
   * already taken the money (a payment taken at once, confirmed by the payer before the call-off):
   * nothing could be given back, the money is with the market.
   */
  release(deposit: GatewayDeposit): Promise<'released' | 'captured'>;
  /** Takes a held deposit, to be applied to the price. */
  capture(deposit: GatewayDeposit): Promise<void>;
}

/** Stable idempotency keys: the same operation on the same deposit is one operation at the provider. */
export const idempotencyKey = (depositId: string, operation: 'open' | 'capture' | 'release') =>
  `deposit-${depositId}-${operation}`;
