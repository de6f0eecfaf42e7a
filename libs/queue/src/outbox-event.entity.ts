import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job waiting to be handed to the queue. Written in the same transaction as the state change
 * it announces, so the change and its announcement commit or vanish together.
 */
@Entity({ name: 'outbox_event' })
@Index('outbox_event_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL' })
@Index('outbox_event_published_run_at_idx', ['runAt'], { where: 'published_at IS NOT NULL' })
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
}
