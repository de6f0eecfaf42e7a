import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auction hardening:
 * - deposits get two instructed states, `capturing` and `releasing`: settlement records what it
 *   decided in the database, and a job then moves the money at the provider and records the outcome;
 * - a listing records its auction (`auction_id`, the latest one) and whether it is still running
 *   (`auction_live`), so the listing can refuse a withdrawal and name its auction without reading
 *   the auction context's tables;
 * - an auction keeps its listing's technical field, so auctions can be filtered by it.
 */
export class AuctionHardening1764000003000 implements MigrationInterface {
  name = 'AuctionHardening1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deposit DROP CONSTRAINT deposit_status_ck`);
    await q.query(`ALTER TABLE deposit ADD CONSTRAINT deposit_status_ck
      CHECK (status IN ('pending', 'held', 'capturing', 'releasing', 'released', 'captured', 'failed', 'canceled'))`);

    await q.query(`ALTER TABLE listing ADD COLUMN auction_id uuid`);
    await q.query(`ALTER TABLE listing ADD COLUMN auction_live boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE listing l SET auction_id = a.id, auction_live = a.status IN ('scheduled', 'open', 'closed')
        FROM (SELECT DISTINCT ON (listing_id) id, listing_id, status FROM auction
               ORDER BY listing_id, created_at DESC) a
       WHERE a.listing_id = l.id`);

    await q.query(`ALTER TABLE auction ADD COLUMN technical_field text`);
    await q.query(`UPDATE auction a SET technical_field = l.technical_field FROM listing l WHERE l.id = a.listing_id`);
    await q.query(`CREATE INDEX auction_status_starts_idx ON auction (status, starts_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auction_status_starts_idx`);
    await q.query(`ALTER TABLE auction DROP COLUMN technical_field`);
    await q.query(`ALTER TABLE listing DROP COLUMN auction_live`);
    await q.query(`ALTER TABLE listing DROP COLUMN auction_id`);
    // An instruction not yet carried out goes back to the state it was given in.
    await q.query(`UPDATE deposit SET status = CASE WHEN held_at IS NULL THEN 'pending' ELSE 'held' END
                    WHERE status IN ('capturing', 'releasing')`);
    await q.query(`ALTER TABLE deposit DROP CONSTRAINT deposit_status_ck`);
    await q.query(`ALTER TABLE deposit ADD CONSTRAINT deposit_status_ck
      CHECK (status IN ('pending', 'held', 'released', 'captured', 'failed', 'canceled'))`);
  }
}
