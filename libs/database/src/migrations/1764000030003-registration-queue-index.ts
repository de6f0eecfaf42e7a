import { MigrationInterface, QueryRunner } from 'typeorm';

const PREDICATE = `status IN ('screening', 'under_review', 'documents_requested')
           OR (objected_at IS NOT NULL AND objection_outcome IS NULL)`;

/**
 * The office queue's index carries what choosing a page needs (the application and contract ids and
 * the kind, besides office, deadline and age), so a page is chosen from the index alone and only
 * its twenty rows are read from the table (bench:contracts: 7,000 open applications an office).
 */
export class RegistrationQueueIndex1764000030003 implements MigrationInterface {
  name = 'RegistrationQueueIndex1764000030003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contract_registration_queue_idx`);
    await q.query(
      `CREATE INDEX contract_registration_queue_idx ON contract_registration (office_id, deadline_on, created_at)
        INCLUDE (id, contract_id, kind) WHERE ${PREDICATE}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contract_registration_queue_idx`);
    await q.query(
      `CREATE INDEX contract_registration_queue_idx ON contract_registration (office_id, deadline_on, created_at)
        WHERE ${PREDICATE}`,
    );
  }
}
