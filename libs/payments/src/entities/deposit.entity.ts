import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { DepositMethod, DepositPurpose, DepositStatus } from '../domain/deposit-state';
import { fenTransformer } from '@market/database';

/** A deposit (保证金) a payer organization puts up to take part in an auction (or, later, other trades). */
@Entity({ name: 'deposit' })
// At most one live deposit per reference and payer: a second request cannot slip in beside the first.
@Index('deposit_live_uq', ['referenceId', 'payerOrganizationId'], {
  unique: true,
  where: `status IN ('pending', 'held')`,
})
@Index('deposit_reference_idx', ['referenceId'])
@Unique('deposit_payment_intent_uq', ['stripePaymentIntentId'])
@Unique('deposit_offline_reference_uq', ['offlineReference'])
@Check('deposit_amount_positive_ck', `amount_fen > 0`)
@Check(
  'deposit_status_ck',
  `status IN ('pending', 'held', 'capturing', 'releasing', 'released', 'captured', 'failed', 'canceled')`,
)
@Check('deposit_method_ck', `method IN ('stripe', 'offline')`)
export class Deposit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  purpose: DepositPurpose;

  /** The id of what the deposit secures (an auction); owned by another context. */
  @Column({ name: 'reference_id', type: 'uuid' })
  referenceId: string;

  @Column({ name: 'payer_organization_id', type: 'uuid' })
  payerOrganizationId: string;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fenTransformer })
  amountFen: number;

  @Column({ type: 'text' })
  method: DepositMethod;

  @Column({ type: 'text' })
  status: DepositStatus;

  @Column({ name: 'stripe_payment_intent_id', type: 'text', nullable: true })
  stripePaymentIntentId: string | null;

  /** What the payer quotes on a bank transfer, so the market can match the money to the deposit. */
  @Column({ name: 'offline_reference', type: 'text', nullable: true })
  offlineReference: string | null;

  /** The broker or admin who recorded that the bank transfer arrived. */
  @Column({ name: 'receipt_recorded_by', type: 'uuid', nullable: true })
  receiptRecordedBy: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'held_at', type: 'timestamptz', nullable: true })
  heldAt: Date | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt: Date | null;

  @Column({ name: 'captured_at', type: 'timestamptz', nullable: true })
  capturedAt: Date | null;

  /**
   * When a captured payment was found to be owed back (what it paid for was called off or ended
   * before it arrived): the operator's finance pays it back. Null while nothing is owed.
   */
  @Column({ name: 'refund_due_at', type: 'timestamptz', nullable: true })
  refundDueAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
