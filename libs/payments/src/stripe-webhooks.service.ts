import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import Stripe from 'stripe';
import { AppConfig } from '@market/config';
import { DepositsService } from './deposits.service';
import { PaymentsErrors } from './payments.errors';

/** The events that move a deposit; every other event is acknowledged and ignored. */
const INTENT_EVENTS = new Set([
  'payment_intent.amount_capturable_updated',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  // A payment captured at once (a contract milestone) is paid when its intent succeeds.
  'payment_intent.succeeded',
]);

/**
 * Stripe webhooks: verified against the signing secret on the exact bytes received, then applied
 * once. The event id is inserted in the same transaction as the change it causes, so a redelivery
 * (Stripe retries until it sees a 2xx) finds the id and does nothing.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger(StripeWebhooksService.name);

  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly deposits: DepositsService,
    private readonly config: AppConfig,
  ) {}

  async receive(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<{ received: true; duplicate: boolean }> {
    const secret = this.config.stripe.webhookSecret;
    if (!secret) throw PaymentsErrors.webhookNotConfigured();
    if (!rawBody || !signature) throw PaymentsErrors.badSignature();
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch (error) {
      this.logger.warn({ err: error }, 'rejected a Stripe webhook');
      throw PaymentsErrors.badSignature();
    }
    return this.txHost.withTransaction(async () => {
      const recorded: unknown[] = await this.txHost.tx.query(
        `INSERT INTO stripe_event (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [event.id, event.type],
      );
      if (recorded.length === 0) return { received: true as const, duplicate: true };
      if (INTENT_EVENTS.has(event.type)) {
        const intent = event.data.object as Stripe.PaymentIntent;
        await this.deposits.applyStripeIntent(event.type, {
          id: intent.id,
          status: intent.status,
          amount: intent.amount,
          amountCapturable: intent.amount_capturable,
          amountReceived: intent.amount_received,
          failureMessage: intent.last_payment_error?.message,
        });
      }
      return { received: true as const, duplicate: false };
    });
  }
}
