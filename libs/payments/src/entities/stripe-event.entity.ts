import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A Stripe webhook event already applied. Inserted in the same transaction as the change it
 * causes, so an event delivered again (Stripe retries, or sends twice) changes nothing.
 */
@Entity({ name: 'stripe_event' })
export class StripeEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}
