import { MigrationInterface, QueryRunner } from 'typeorm';

/** Performance tracking (履行跟踪): milestones in performance and the evidence files kept for them. */
export class Performance1764000030002 implements MigrationInterface {
  name = 'Performance1764000030002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract_milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL,
        key text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        due_on date,
        amount_fen bigint,
        status text NOT NULL,
        overdue_at timestamptz,
        evidence_id uuid,
        submitted_by_organization_id uuid,
        submitted_at timestamptz,
        dispute_reason text,
        resolved_by uuid,
        resolved_at timestamptz,
        deposit_id uuid,
        paid_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX contract_milestone_key_uq ON contract_milestone (contract_id, key)`);
    await q.query(`
      CREATE TABLE contract_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL,
        milestone_id uuid NOT NULL,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes int NOT NULL,
        sha256 text NOT NULL,
        bytes bytea NOT NULL,
        uploaded_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_evidence_contract_idx ON contract_evidence (contract_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contract_evidence`);
    await q.query(`DROP TABLE contract_milestone`);
  }
}
