import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `held_deposit`: the auction deposits held right now, by auction and payer organization. The
 * payments context owns it, as it owns `deposit` and alone says what "held" means; another
 * context that must check a hold inside its own statement (the auction context's bid round,
 * which has to check and write with no gap between) reads this view, never `deposit` or its
 * status names. A plain view: PostgreSQL folds it into the query that reads it, so the bid
 * round's check stays one probe of `deposit_live_uq` per accepted bid.
 */
export class HeldDepositView1764000009000 implements MigrationInterface {
  name = 'HeldDepositView1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW held_deposit AS
      SELECT reference_id AS auction_id, payer_organization_id
        FROM deposit
       WHERE purpose = 'auction' AND status = 'held'`);
    await q.query(
      `COMMENT ON VIEW held_deposit IS 'Owned by the payments context: auction deposits held now. Other contexts read this view, never the deposit table.'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW held_deposit`);
  }
}
