import { MigrationInterface, QueryRunner } from 'typeorm';

/** Credit events about a listing (an objection upheld) or a deal (annulled after its price announcement): no contract. */
export class CreditMarketEvents1764000065000 implements MigrationInterface {
  name = 'CreditMarketEvents1764000065000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_event ALTER COLUMN contract_id DROP NOT NULL`);
    await q.query(`ALTER TABLE credit_event ADD COLUMN listing_id uuid, ADD COLUMN negotiation_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE credit_event DROP COLUMN negotiation_id, DROP COLUMN listing_id`);
    await q.query(`DELETE FROM credit_event WHERE contract_id IS NULL`);
    await q.query(`ALTER TABLE credit_event ALTER COLUMN contract_id SET NOT NULL`);
  }
}
