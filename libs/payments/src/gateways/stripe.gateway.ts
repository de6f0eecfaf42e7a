import { Inject, Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { capturedAtOnce, DepositMethod } from '../domain/deposit-state';
import { PaymentsErrors } from '../payments.errors';
import { STRIPE_CLIENT } from './stripe-client';
import { GatewayDeposit, GatewayOpening, idempotencyKey, PaymentGateway } from './payment-gateway';

/** Deposits are in CNY; fen is Stripe's smallest unit for it. */
const CURRENCY = 'cny';

/**
 * Card deposits as Stripe PaymentIntents with manual capture: the buyer's card is authorised
 * (the money is held), then the intent is captured for the winner or canceled for everyone else.
 * A contract milestone's payment is a PaymentIntent with automatic capture: charged when confirmed.
 */
@Injectable()
export class StripeGateway implements PaymentGateway {
  readonly method = DepositMethod.Stripe;
  private readonly logger = new Logger(StripeGateway.name);

  constructor(@Inject(STRIPE_CLIENT) private readonly client: Stripe | null) {}

  get configured(): boolean {
    return this.client !== null;
  }

  async open(deposit: GatewayDeposit): Promise<GatewayOpening> {
    const intent = await this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: deposit.amountFen,
          currency: CURRENCY,
          // A hold captured or released later (an auction deposit), or a payment taken when the
          // payer confirms it (a contract milestone: automatic capture, `payment_intent.succeeded`).
          capture_method: capturedAtOnce(deposit.purpose) ? 'automatic' : 'manual',
          // Manual capture (a hold) is a card feature; a payment taken at once is kept to cards too.
          allowed_payment_method_types: ['card'],
          description: `Deposit ${deposit.id}`,
          metadata: {
            depositId: deposit.id,
            referenceId: deposit.referenceId,
            payerOrganizationId: deposit.payerOrganizationId,
          },
        },
        { idempotencyKey: idempotencyKey(deposit.id, 'open') },
      ),
    );
    if (!intent.client_secret) throw new Error(`PaymentIntent ${intent.id} came back without a client secret`);
    return { stripe: { paymentIntentId: intent.id, clientSecret: intent.client_secret } };
  }

  async release(deposit: GatewayDeposit): Promise<'released' | 'captured'> {
    const id = this.intentOf(deposit);
    // A payment taken at once that the payer confirmed before the call-off reached Stripe cannot be
    // canceled any more (it succeeded): the money was taken, and the caller records it as captured.
    const status = await this.settle(
      id,
      capturedAtOnce(deposit.purpose) ? ['canceled', 'succeeded'] : ['canceled'],
      () => this.stripe.paymentIntents.cancel(id, {}, { idempotencyKey: idempotencyKey(deposit.id, 'release') }),
    );
    return status === 'succeeded' ? 'captured' : 'released';
  }

  async capture(deposit: GatewayDeposit): Promise<void> {
    const id = this.intentOf(deposit);
    await this.settle(id, ['succeeded'], () =>
      this.stripe.paymentIntents.capture(id, {}, { idempotencyKey: idempotencyKey(deposit.id, 'capture') }),
    );
  }

  /**
   * Runs a capture or cancel and answers the state the intent ended in. The idempotency key makes
   * a retry replay the first answer; once Stripe has forgotten the key (after 24 hours) a retry is
   * refused as "unexpected state", and then the intent already being in an accepted state means the
   * earlier attempt (or, for a payment taken at once, the payer) settled it.
   */
  private async settle(
    id: string,
    accepted: readonly Stripe.PaymentIntent.Status[],
    run: () => Promise<Stripe.PaymentIntent>,
  ): Promise<Stripe.PaymentIntent.Status> {
    try {
      return (await this.call(run)).status;
    } catch (error) {
      const intent = await this.call(() => this.stripe.paymentIntents.retrieve(id));
      if (accepted.includes(intent.status)) {
        this.logger.log({ paymentIntentId: id, status: intent.status }, 'payment intent was already settled');
        return intent.status;
      }
      throw error;
    }
  }

  private get stripe(): Stripe {
    if (!this.client) throw PaymentsErrors.stripeNotConfigured();
    return this.client;
  }

  private intentOf(deposit: GatewayDeposit): string {
    if (!deposit.stripePaymentIntentId) throw new Error(`Deposit ${deposit.id} has no PaymentIntent`);
    return deposit.stripePaymentIntentId;
  }

  /** Stripe's answers in the market's terms: a refusal is a 422, an outage a 503. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError) {
        throw PaymentsErrors.stripeRefused(error.message);
      }
      if (error instanceof Stripe.errors.StripeError) {
        this.logger.warn({ err: error, type: error.type }, 'Stripe call failed');
        throw PaymentsErrors.stripeUnavailable();
      }
      throw error;
    }
  }
}
