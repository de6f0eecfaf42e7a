import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening: the risk context's copy of every contract applied for registration, with its score,
 * and the findings with their evidence and the auditors' decisions. `risk_score` is the view the
 * contract context's auditors' queue orders by (as `held_deposit` is the payments context's port):
 * the risk context owns it and alone says what a score is.
 */
export class RiskScreening1764000041000 implements MigrationInterface {
  name = 'RiskScreening1764000041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_contract (
        contract_id uuid PRIMARY KEY,
        registry_office_id uuid NOT NULL,
        status text NOT NULL,
        applied_at timestamptz NOT NULL,
        registration_number text,
        seller_organization_id uuid NOT NULL,
        buyer_organization_id uuid NOT NULL,
        contract_type text NOT NULL,
        sub_kind text NOT NULL,
        technical_field text NOT NULL,
        signed_on date NOT NULL,
        total_amount_fen bigint NOT NULL,
        technology_amount_fen bigint NOT NULL,
        ip_numbers text[] NOT NULL,
        facts jsonb NOT NULL,
        score int,
        flagged boolean,
        screened_at timestamptz
      )`);
    await q.query(`CREATE INDEX risk_contract_seller_idx ON risk_contract (seller_organization_id, signed_on)`);
    await q.query(`CREATE INDEX risk_contract_buyer_idx ON risk_contract (buyer_organization_id, signed_on)`);
    await q.query(
      `CREATE INDEX risk_contract_cell_idx ON risk_contract (contract_type, sub_kind, technical_field, signed_on)`,
    );
    await q.query(`CREATE INDEX risk_contract_ip_idx ON risk_contract USING gin (ip_numbers)`);
    await q.query(`
      CREATE TABLE risk_finding (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL,
        rule text NOT NULL,
        weight int NOT NULL,
        evidence jsonb NOT NULL,
        sentence_zh text NOT NULL,
        sentence_en text NOT NULL,
        decision text,
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX risk_finding_contract_idx ON risk_finding (contract_id)`);
    await q.query(`CREATE INDEX risk_finding_rule_idx ON risk_finding (rule, decision)`);
    await q.query(`
      CREATE VIEW risk_score AS
      SELECT c.contract_id, c.score, c.flagged, c.screened_at,
             (SELECT count(*) FROM risk_finding f WHERE f.contract_id = c.contract_id AND f.decision IS NULL)::int AS findings
        FROM risk_contract c
       WHERE c.screened_at IS NOT NULL`);
    await q.query(
      `COMMENT ON VIEW risk_score IS 'Owned by the risk context: the latest screening score and undecided findings of each registration application. Other contexts read this view, never risk_contract.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW risk_score`);
    await q.query(`DROP TABLE risk_finding`);
    await q.query(`DROP TABLE risk_contract`);
  }
}
