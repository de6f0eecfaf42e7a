import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Marks a job whose effects have committed; a rerun of the same job on its queue does nothing. */
@Entity({ name: 'processed_job' })
@Index('processed_job_job_id_idx', ['jobId'])
export class ProcessedJob {
  @PrimaryColumn({ type: 'text' })
  queue: string;

  @PrimaryColumn({ name: 'job_id', type: 'text' })
  jobId: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
