import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One application in its office's queue, with what the queue's order needs: the auditors' queue
 * ranks these narrow rows through two indexes and joins only a page's rows to the applications
 * (`RegistrationQueue`). Kept in step with `contract_registration` in the same transactions.
 */
@Entity({ name: 'registration_queue_entry' })
// Mixed sort directions (score descending): both indexes are created by hand in the migration.
@Index('registration_queue_due_idx', { synchronize: false })
@Index('registration_queue_rest_idx', { synchronize: false })
export class RegistrationQueueEntry {
  @PrimaryColumn({ name: 'registration_id', type: 'uuid' })
  registrationId: string;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** The application's deadline; null while documents are awaited. */
  @Column({ name: 'deadline_on', type: 'date', nullable: true })
  deadlineOn: string | null;

  /** The risk context's score (`risk_score`), 0 until screened and for a cancellation. */
  @Column({ type: 'int' })
  score: number;

  /** The application's own creation time: the last tie-breaker. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * How many applications an office's queue holds, kept in step with its entries: a few rows per
 * office (an entry counts in the slot its id falls in), so concurrent writers rarely wait on one row;
 * the queue's size is their sum.
 */
@Entity({ name: 'registration_queue_count' })
export class RegistrationQueueCount {
  @PrimaryColumn({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @PrimaryColumn({ type: 'smallint' })
  slot: number;

  @Column({ type: 'int' })
  entries: number;
}
