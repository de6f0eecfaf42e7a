import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Market statistics: the statistics context's copy of registered contracts, daily and monthly
 * rollups per breakdown, and the events already applied.
 */
export class Stats1764000050000 implements MigrationInterface {
  name = 'Stats1764000050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_contract (
        contract_id uuid PRIMARY KEY,
        counted boolean NOT NULL,
        version int NOT NULL DEFAULT 0,
        registered_on date,
        seller_region_code char(6),
        buyer_region_code char(6),
        facts jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX stats_contract_seller_region_idx ON stats_contract (seller_region_code, registered_on)`,
    );
    await q.query(`CREATE INDEX stats_contract_buyer_region_idx ON stats_contract (buyer_region_code, registered_on)`);
    for (const [table, period] of [
      ['stats_daily', 'day'],
      ['stats_monthly', 'month'],
    ]) {
      await q.query(`
        CREATE TABLE ${table} (
          dimension text NOT NULL,
          ${period} date NOT NULL,
          key text NOT NULL,
          contracts int NOT NULL,
          total_amount_fen bigint NOT NULL,
          technology_amount_fen bigint NOT NULL,
          PRIMARY KEY (dimension, ${period}, key)
        )`);
    }
    await q.query(`
      CREATE TABLE stats_event (
        event_key text PRIMARY KEY,
        contract_id uuid NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stats_event`);
    await q.query(`DROP TABLE stats_monthly`);
    await q.query(`DROP TABLE stats_daily`);
    await q.query(`DROP TABLE stats_contract`);
  }
}
