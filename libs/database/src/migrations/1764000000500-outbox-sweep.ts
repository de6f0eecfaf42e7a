import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the relay find published jobs that are due but unprocessed (lost by Redis) cheaply. */
export class OutboxSweep1764000000500 implements MigrationInterface {
  name = 'OutboxSweep1764000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX outbox_event_published_run_at_idx ON outbox_event (run_at) WHERE published_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX processed_job_job_id_idx ON processed_job (job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX processed_job_job_id_idx`);
    await q.query(`DROP INDEX outbox_event_published_run_at_idx`);
  }
}
