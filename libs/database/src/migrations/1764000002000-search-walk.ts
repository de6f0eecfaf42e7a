import { MigrationInterface, QueryRunner } from 'typeorm';

/** What a search filters and ranks on, copied from `listing` by the trigger below (as in 1764000000600). */
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
 * The token array of `listing_search` carries, besides the listing's own tokens, two kinds that let
 * a search that matches thousands of listings read only the newest of them (see
 * `ListingSearchService` and docs/listing-search.md):
 *
 * - `d:YYYY-MM-DD`, the UTC day of `approved_at`: a search walks the matches newest day first, and
 *   the GIN index gives the matches of a few days without visiting the older ones.
 * - `t:<token>` for every token of the listing that is a substring of its lower-cased title: the
 *   matches whose title holds every term (ranked first) are found through the index as well, so a
 *   search learns whether any lie outside the days it walked without visiting every match.
 *
 * Neither kind can collide with a listing's own tokens, which never contain a colon. The element
 * statistics of the array are kept at a higher target, so common tokens are known as common.
 */
export class SearchWalk1764000002000 implements MigrationInterface {
  name = 'SearchWalk1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await this.syncFunction(q, `NEW.search_tokens || ${extraTokens('NEW')}`);
    await q.query(`
      UPDATE listing_search s SET search_tokens = l.search_tokens || ${extraTokens('l')}
        FROM listing l WHERE l.id = s.id`);
    await q.query(`ALTER TABLE listing_search ALTER COLUMN search_tokens SET STATISTICS 1000`);
    await q.query(`ANALYZE listing_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing_search ALTER COLUMN search_tokens SET STATISTICS -1`);
    await this.syncFunction(q, 'NEW.search_tokens');
    await q.query(`UPDATE listing_search s SET search_tokens = l.search_tokens FROM listing l WHERE l.id = s.id`);
  }

  /** The trigger function of 1764000000600, with the copied token array given by `tokens`. */
  private async syncFunction(q: QueryRunner, tokens: string): Promise<void> {
    const copied = COLUMNS.filter((c) => c !== 'search_tokens');
    const set = [...copied, 'search_tokens'].map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    await q.query(`
      CREATE OR REPLACE FUNCTION listing_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IN ('announced', 'open') THEN
          INSERT INTO listing_search (id, title_text, ${copied.join(', ')}, search_tokens)
          VALUES (NEW.id, lower(NEW.title), ${copied.map((c) => `NEW.${c}`).join(', ')}, ${tokens})
          ON CONFLICT (id) DO UPDATE SET title_text = EXCLUDED.title_text, ${set}
          WHERE (listing_search.*) IS DISTINCT FROM (EXCLUDED.*);
        ELSE
          DELETE FROM listing_search WHERE id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
  }
}

/** The title and day tokens of the listing row `row`, as an array expression. */
function extraTokens(row: string): string {
  return `ARRAY(SELECT 't:' || t FROM unnest(${row}.search_tokens) t WHERE strpos(lower(${row}.title), t) > 0)
    || CASE WHEN ${row}.approved_at IS NULL THEN '{}'::text[]
            ELSE ARRAY['d:' || to_char(${row}.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')] END`;
}
