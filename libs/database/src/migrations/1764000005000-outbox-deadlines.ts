import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline rows know which deadline they stand for, and a newer one supersedes the older ones, so
 * the sweep re-adds only the deadline that still holds. Jobs that failed for good are recorded in
 * `dead_job`, so the sweep no longer takes them for lost; and a row whose job is done everywhere is
 * marked settled, so the sweep stops reading it.
 */
export class OutboxDeadlines1764000005000 implements MigrationInterface {
  name = 'OutboxDeadlines1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE outbox_event ADD COLUMN deadline_key text, ADD COLUMN superseded_at timestamptz, ADD COLUMN settled_at timestamptz`,
    );
    // Rows already written: the newest row of each auction and listing deadline holds, the rest are superseded.
    await q.query(
      `UPDATE outbox_event SET deadline_key = job_name || ':' || coalesce(payload->>'auctionId', payload->>'listingId')
        WHERE job_name IN ('listing.announcement_ended', 'listing.period_ended', 'auction.open_due', 'auction.close_due')`,
    );
    await q.query(
      `CREATE INDEX outbox_event_deadline_key_idx ON outbox_event (deadline_key)
        WHERE deadline_key IS NOT NULL AND superseded_at IS NULL`,
    );
    await q.query(
      `UPDATE outbox_event o SET superseded_at = now()
        WHERE o.deadline_key IS NOT NULL
          AND EXISTS (SELECT 1 FROM outbox_event n
                       WHERE n.deadline_key = o.deadline_key AND (n.created_at, n.id) > (o.created_at, o.id))`,
    );
    await q.query(`DROP INDEX outbox_event_published_run_at_idx`);
    await q.query(
      `CREATE INDEX outbox_event_unsettled_run_at_idx ON outbox_event (run_at)
        WHERE published_at IS NOT NULL AND superseded_at IS NULL AND settled_at IS NULL`,
    );
    await q.query(
      `CREATE TABLE dead_job (
         queue text NOT NULL,
         job_id text NOT NULL,
         job_name text NOT NULL,
         error text NOT NULL,
         attempts integer NOT NULL,
         failed_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (queue, job_id)
       )`,
    );
    await q.query(`CREATE INDEX dead_job_job_id_idx ON dead_job (job_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_job`);
    await q.query(`DROP INDEX outbox_event_deadline_key_idx`);
    await q.query(`DROP INDEX outbox_event_unsettled_run_at_idx`);
    await q.query(
      `CREATE INDEX outbox_event_published_run_at_idx ON outbox_event (run_at) WHERE published_at IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE outbox_event DROP COLUMN settled_at, DROP COLUMN superseded_at, DROP COLUMN deadline_key`,
    );
  }
}
