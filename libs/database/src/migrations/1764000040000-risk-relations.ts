import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The false-contract rules' facts: organizations gain their legal representative and registered
 * address (identity), and the risk context keeps the relations admins record between
 * organizations, by credit code.
 */
export class RiskRelations1764000040000 implements MigrationInterface {
  name = 'RiskRelations1764000040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organization ADD COLUMN legal_representative text, ADD COLUMN registered_address text`);
    await q.query(`
      CREATE TABLE organization_relation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        party_a_uscc char(18) NOT NULL,
        party_a_name text NOT NULL,
        party_b_uscc char(18) NOT NULL,
        party_b_name text NOT NULL,
        kind text NOT NULL,
        share_percent numeric(5,2),
        source text,
        recorded_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_relation_uq UNIQUE (party_a_uscc, party_b_uscc, kind)
      )`);
    await q.query(`CREATE INDEX organization_relation_b_idx ON organization_relation (party_b_uscc)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization_relation`);
    await q.query(`ALTER TABLE organization DROP COLUMN legal_representative, DROP COLUMN registered_address`);
  }
}
