import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job that failed for good on a queue: a domain refusal (failed at once) or a fault that outlived
 * every retry. Kept in PostgreSQL, not only in Redis, so the outbox sweep knows the job was not
 * lost (it is not added again every minute) and the failure survives a Redis that lost its data.
 */
@Entity({ name: 'dead_job' })
@Index('dead_job_job_id_idx', ['jobId'])
export class DeadJob {
  @PrimaryColumn({ type: 'text' })
  queue: string;

  @PrimaryColumn({ name: 'job_id', type: 'text' })
  jobId: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName: string;

  @Column({ type: 'text' })
  error: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt: Date;
}
