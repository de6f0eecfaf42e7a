import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a search filters and ranks on, copied from `listing` by the trigger below. */
const COLUMNS = [
  'status',
  'approved_at',
  'asking_price_fen',
  'technical_field',
  'maturity',
  'pricing_mode',
  'region_code',
  'ip_kinds',
  'search_text',
  'search_tokens',
];

/**
 * Listing search at 100,000 listings (see `npm run bench:search`): a search visits one heap row per
 * match, so the rows it visits should be small.
 *
 * - `listing_search` holds, for every listing buyers can find (announced or open), only what a
 *   search filters, ranks and rechecks on: the filter columns, `approved_at` and the price, the
 *   lower-cased title (for ranking title matches first) and the search text and tokens. Its rows
 *   are about half the size of a listing row, and drafts and closed listings are not in it. The
 *   token array (1 to 2 kB) is stored out of line, as only the GIN index reads it: EXTERNAL alone
 *   left most arrays inline, under the default 2 kB threshold, so the table's threshold is 1 kB.
 * - A trigger on `listing` keeps it in step on every insert and on updates of those columns, so no
 *   writer (the api, the seeders, the demo data) can forget it; an update that changes nothing a
 *   search reads leaves the row and its GIN entries alone.
 * - The GIN index moves here; `listing` keeps its search columns as the source of the copy.
 */
export class SearchSpeed1764000000600 implements MigrationInterface {
  name = 'SearchSpeed1764000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE listing_search (
        id uuid PRIMARY KEY CONSTRAINT listing_search_listing_fk REFERENCES listing (id) ON DELETE CASCADE,
        status text NOT NULL,
        approved_at timestamptz,
        asking_price_fen bigint,
        technical_field text NOT NULL,
        maturity text NOT NULL,
        pricing_mode text NOT NULL,
        region_code char(6) NOT NULL,
        ip_kinds text[] NOT NULL,
        title_text text NOT NULL,
        search_text text NOT NULL,
        search_tokens text[] NOT NULL
      ) WITH (toast_tuple_target = 1024)`);
    await q.query(`ALTER TABLE listing_search ALTER COLUMN search_tokens SET STORAGE EXTERNAL`);
    const set = COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const values = COLUMNS.map((c) => `NEW.${c}`).join(', ');
    await q.query(`
      CREATE FUNCTION listing_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IN ('announced', 'open') THEN
          INSERT INTO listing_search (id, title_text, ${COLUMNS.join(', ')})
          VALUES (NEW.id, lower(NEW.title), ${values})
          ON CONFLICT (id) DO UPDATE SET title_text = EXCLUDED.title_text, ${set}
          WHERE (listing_search.*) IS DISTINCT FROM (EXCLUDED.*);
        ELSE
          DELETE FROM listing_search WHERE id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER listing_search_sync AFTER INSERT OR UPDATE OF title, ${COLUMNS.join(', ')} ON listing
      FOR EACH ROW EXECUTE FUNCTION listing_search_sync()`);
    await q.query(`
      INSERT INTO listing_search (id, title_text, ${COLUMNS.join(', ')})
      SELECT id, lower(title), ${COLUMNS.join(', ')} FROM listing WHERE status IN ('announced', 'open')`);
    await q.query(
      `CREATE INDEX listing_search_tokens_gin ON listing_search USING gin (search_tokens) WITH (fastupdate = off)`,
    );
    await q.query(`DROP INDEX listing_search_tokens_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX listing_search_tokens_idx ON listing USING gin (search_tokens) WITH (fastupdate = off)`,
    );
    await q.query(`DROP TRIGGER listing_search_sync ON listing`);
    await q.query(`DROP FUNCTION listing_search_sync()`);
    await q.query(`DROP TABLE listing_search`);
  }
}
