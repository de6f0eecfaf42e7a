import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A generation number for everything a listing search can return: any transaction that inserts,
 * updates or deletes a listing raises it once, as part of its own commit. The api keeps search
 * results under the generation they were computed at and reads the number (one tiny row) before
 * every search: a committed change is never hidden by a kept result, and no result is kept past
 * the change that made it wrong.
 *
 * The trigger is deferred to commit, so the row is locked only while a writer commits: writers of
 * different listings do not queue behind one another for their whole transaction, and cannot
 * deadlock over it. A transaction-local flag keeps a bulk insert to one raise.
 */
export class ListingGeneration1764000000800 implements MigrationInterface {
  name = 'ListingGeneration1764000000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE listing_generation (
        singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT listing_generation_one_row CHECK (singleton),
        n bigint NOT NULL
      )`);
    await q.query(`INSERT INTO listing_generation (n) VALUES (1)`);
    await q.query(`
      CREATE FUNCTION listing_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('market.listing_generation_raised', true) IS DISTINCT FROM 'yes' THEN
          UPDATE listing_generation SET n = n + 1;
          PERFORM set_config('market.listing_generation_raised', 'yes', true);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER listing_generation_bump AFTER INSERT OR UPDATE OR DELETE ON listing
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION listing_generation_bump()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER listing_generation_bump ON listing`);
    await q.query(`DROP FUNCTION listing_generation_bump()`);
    await q.query(`DROP TABLE listing_generation`);
  }
}
