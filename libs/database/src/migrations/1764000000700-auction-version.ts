import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version on every auction row, raised by a trigger on every update whoever makes it (a bid
 * round, the open and close jobs, settlement). The bid batcher decides bids against the state it
 * last wrote or read and writes them in one statement only if the row is still at that version:
 * a bid never waits for a lock across a round trip, and a row changed elsewhere is read again.
 */
export class AuctionVersion1764000000700 implements MigrationInterface {
  name = 'AuctionVersion1764000000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auction ADD COLUMN version int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION auction_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER auction_bump_version BEFORE UPDATE ON auction
      FOR EACH ROW EXECUTE FUNCTION auction_bump_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER auction_bump_version ON auction`);
    await q.query(`DROP FUNCTION auction_bump_version()`);
    await q.query(`ALTER TABLE auction DROP COLUMN version`);
  }
}
