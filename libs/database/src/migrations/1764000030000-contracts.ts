import { MigrationInterface, QueryRunner } from 'typeorm';

/** Contracts, their versions, and the organizations' named brokers. */
export class Contracts1764000030000 implements MigrationInterface {
  name = 'Contracts1764000030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contract (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trade_id uuid,
        source text NOT NULL,
        listing_id uuid,
        status text NOT NULL DEFAULT 'draft',
        current_version int NOT NULL DEFAULT 1,
        seller_organization_id uuid NOT NULL,
        buyer_organization_id uuid NOT NULL,
        broker_organization_id uuid,
        registry_office_id uuid,
        project_name text NOT NULL,
        total_amount_fen bigint NOT NULL,
        created_by uuid,
        closed_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX contract_trade_uq ON contract (trade_id)`);
    await q.query(`CREATE INDEX contract_seller_idx ON contract (seller_organization_id)`);
    await q.query(`CREATE INDEX contract_buyer_idx ON contract (buyer_organization_id)`);
    await q.query(`CREATE INDEX contract_broker_idx ON contract (broker_organization_id)`);
    await q.query(`
      CREATE TABLE contract_version (
        contract_id uuid NOT NULL,
        version int NOT NULL,
        content jsonb NOT NULL,
        content_hash text,
        seller_signed_by uuid,
        seller_signed_at timestamptz,
        buyer_signed_by uuid,
        buyer_signed_at timestamptz,
        amendment_reason text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (contract_id, version)
      )`);
    await q.query(`
      CREATE TABLE broker_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_organization_id uuid NOT NULL,
        broker_organization_id uuid NOT NULL,
        granted_by uuid NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid,
        revoked_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX broker_client_live_uq ON broker_client (client_organization_id, broker_organization_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX broker_client_broker_idx ON broker_client (broker_organization_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['broker_client', 'contract_version', 'contract']) await q.query(`DROP TABLE ${table}`);
  }
}
