import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registered change (变更登记) supersedes the milestones it drops and keeps them as history, so a
 * key is unique only among the milestones still tracked (a later change may bring it back).
 */
export class MilestoneHistory1764000071000 implements MigrationInterface {
  name = 'MilestoneHistory1764000071000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contract_milestone_key_uq`);
    await q.query(
      `CREATE UNIQUE INDEX contract_milestone_key_uq ON contract_milestone (contract_id, key) WHERE status <> 'superseded'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contract_milestone_key_uq`);
    await q.query(`CREATE UNIQUE INDEX contract_milestone_key_uq ON contract_milestone (contract_id, key)`);
  }
}
