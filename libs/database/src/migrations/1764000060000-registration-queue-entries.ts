import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `r.status IN ('screening', 'under_review', 'documents_requested')
              OR (r.objected_at IS NOT NULL AND r.objection_outcome IS NULL)`;

/**
 * The auditors' queue as a narrow ranking table: one row per application in an office's queue with
 * what its order needs (deadline, risk score, age), kept in step with the applications in their own
 * transactions. Two indexes give the two halves of the order as index ranges: the due (by deadline)
 * and the rest (by score); the queue's size is counted in a few rows per office. The old partial
 * index on contract_registration served the old query only.
 */
export class RegistrationQueueEntries1764000060000 implements MigrationInterface {
  name = 'RegistrationQueueEntries1764000060000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registration_queue_entry (
        registration_id uuid PRIMARY KEY,
        office_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        deadline_on date,
        score int NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX registration_queue_due_idx
         ON registration_queue_entry (office_id, deadline_on, score DESC, created_at, registration_id)`,
    );
    await q.query(
      `CREATE INDEX registration_queue_rest_idx
         ON registration_queue_entry (office_id, score DESC, deadline_on, created_at, registration_id)`,
    );
    // The size of each office's queue, split over a few rows so that writers rarely wait on each other.
    await q.query(`
      CREATE TABLE registration_queue_count (
        office_id uuid NOT NULL,
        slot smallint NOT NULL,
        entries int NOT NULL,
        PRIMARY KEY (office_id, slot)
      )`);
    await q.query(`
      INSERT INTO registration_queue_entry (registration_id, office_id, contract_id, deadline_on, score, created_at)
      SELECT r.id, r.office_id, r.contract_id, r.deadline_on,
             CASE WHEN r.kind <> 'cancellation' THEN coalesce(s.score, 0) ELSE 0 END, r.created_at
        FROM contract_registration r
        LEFT JOIN risk_score s ON s.contract_id = r.contract_id
       WHERE ${OPEN}`);
    await q.query(`
      INSERT INTO registration_queue_count (office_id, slot, entries)
      SELECT office_id, get_byte(uuid_send(registration_id), 15) % 8, count(*)
        FROM registration_queue_entry GROUP BY 1, 2`);
    await q.query(`DROP INDEX contract_registration_queue_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX contract_registration_queue_idx ON contract_registration (office_id, deadline_on, created_at)
        INCLUDE (id, contract_id, kind)
        WHERE status IN ('screening', 'under_review', 'documents_requested')
           OR (objected_at IS NOT NULL AND objection_outcome IS NULL)`,
    );
    await q.query(`DROP TABLE registration_queue_count`);
    await q.query(`DROP TABLE registration_queue_entry`);
  }
}
