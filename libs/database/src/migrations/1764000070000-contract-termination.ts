import { MigrationInterface, QueryRunner } from 'typeorm';

/** Termination of a contract in force by agreement (协商解除): proposals and their answers. */
export class ContractTermination1764000070000 implements MigrationInterface {
  name = 'ContractTermination1764000070000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract_termination (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL,
        status text NOT NULL,
        proposed_by_side text NOT NULL,
        proposed_by uuid NOT NULL,
        proposed_at timestamptz NOT NULL,
        reason text NOT NULL,
        answered_by uuid,
        answered_at timestamptz,
        answer_reason text,
        registration_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_termination_contract_idx ON contract_termination (contract_id, proposed_at)`);
    await q.query(
      `CREATE UNIQUE INDEX contract_termination_waiting_uq ON contract_termination (contract_id) WHERE status = 'proposed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contract_termination`);
  }
}
