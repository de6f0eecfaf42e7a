import { MigrationInterface, QueryRunner } from 'typeorm';

/** An outbox row may now reach several queues; a job is processed once per queue. */
export class OutboxFanOut1764000000001 implements MigrationInterface {
  name = 'OutboxFanOut1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_event DROP COLUMN queue`);
    await q.query(`ALTER TABLE processed_job ADD COLUMN queue text`);
    await q.query(`UPDATE processed_job SET queue = 'notifications'`);
    await q.query(`ALTER TABLE processed_job ALTER COLUMN queue SET NOT NULL`);
    await q.query(`ALTER TABLE processed_job DROP CONSTRAINT processed_job_pkey`);
    await q.query(`ALTER TABLE processed_job ADD CONSTRAINT processed_job_pkey PRIMARY KEY (queue, job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE processed_job DROP CONSTRAINT processed_job_pkey`);
    await q.query(`ALTER TABLE processed_job DROP COLUMN queue`);
    await q.query(`ALTER TABLE processed_job ADD CONSTRAINT processed_job_pkey PRIMARY KEY (job_id)`);
    await q.query(`ALTER TABLE outbox_event ADD COLUMN queue text NOT NULL DEFAULT 'notifications'`);
  }
}
