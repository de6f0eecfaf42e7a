import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Listing search at 100,000 listings (see `npm run bench:search`).
 *
 * - The token array (about 200 tokens, 1 kB compressed) is read only through its GIN index, yet it
 *   sat inline, compressed, in every row, and made up half of the heap a search walks. Stored out
 *   of line, a row holds a pointer to it and the heap shrinks from about 220 MB to 130 MB at
 *   100,000 listings. Only this column moves: a lower `toast_tuple_target` would also push out the
 *   title and search text, which every match reads.
 * - Without the GIN pending list every search reads only the index proper; listings are written a
 *   few times a day each and searched all the time, so paying at write time is the right trade.
 * Existing rows move out of line only when the value is rebuilt (an identical value keeps its old
 * form), hence the concatenation below.
 */
export class SearchTuning1764000000300 implements MigrationInterface {
  name = 'SearchTuning1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing ALTER COLUMN search_tokens SET STORAGE EXTERNAL`);
    await q.query(`ALTER INDEX listing_search_tokens_idx SET (fastupdate = off)`);
    await q.query(`UPDATE listing SET search_tokens = search_tokens || '{}'::text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX listing_search_tokens_idx RESET (fastupdate)`);
    await q.query(`ALTER TABLE listing ALTER COLUMN search_tokens SET STORAGE EXTENDED`);
  }
}
