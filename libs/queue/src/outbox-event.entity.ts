import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job waiting to be handed to the queue. Written in the same transaction as the state change
 * it announces, so the change and its announcement commit or vanish together.
 */
@Entity({ name: 'outbox_event' })
@Index('outbox_event_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL' })
@Index('outbox_event_unsettled_run_at_idx', ['runAt'], {
  where: 'published_at IS NOT NULL AND superseded_at IS NULL AND settled_at IS NULL',
})
@Index('outbox_event_deadline_key_idx', ['deadlineKey'], {
  where: 'deadline_key IS NOT NULL AND superseded_at IS NULL',
})
export class OutboxEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** When the job should run; later than now makes it a delayed job (a deadline). */
  @Column({ name: 'run_at', type: 'timestamptz' })
  runAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Which deadline of which aggregate the row stands for (`auction.close_due:<id>`); null if none. */
  @Column({ name: 'deadline_key', type: 'text', nullable: true })
  deadlineKey: string | null;

  /** Set when a newer row of the same deadline key was written: this one is never (re)published. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt: Date | null;

  /** Set by the sweep once the job ran (or failed for good) on every queue it goes to: never looked at again. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;
}
