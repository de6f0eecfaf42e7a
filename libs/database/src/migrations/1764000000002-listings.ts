import { MigrationInterface, QueryRunner } from 'typeorm';

/** Listings, their objections and intents, and achievement packages. */
export class Listings1764000000002 implements MigrationInterface {
  name = 'Listings1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE listing (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL,
        seller_name text NOT NULL,
        created_by uuid NOT NULL,
        title text NOT NULL,
        summary text NOT NULL,
        technical_field text NOT NULL,
        maturity text NOT NULL,
        ip_items jsonb NOT NULL,
        ip_kinds text[] NOT NULL,
        transfer_modes text[] NOT NULL,
        pricing_mode text NOT NULL,
        asking_price_fen bigint,
        region_code char(6) NOT NULL,
        status text NOT NULL DEFAULT 'draft',
        internal_note text,
        search_text text NOT NULL,
        search_tokens text[] NOT NULL,
        submitted_at timestamptz,
        approved_at timestamptz,
        approved_by uuid,
        announcement_ends_at timestamptz,
        announcement_paused_at timestamptz,
        announcement_remaining_ms bigint,
        opened_at timestamptz,
        listing_period_ends_at timestamptz,
        review_note text,
        closed_at timestamptz,
        closed_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX listing_public_newest_idx ON listing (status, approved_at)`);
    await q.query(`CREATE INDEX listing_organization_idx ON listing (organization_id)`);
    // Search: every CJK character and pair, every word and prefix (see libs/listing/src/domain/search-text.ts).
    await q.query(`CREATE INDEX listing_search_tokens_idx ON listing USING gin (search_tokens)`);
    await q.query(`CREATE INDEX listing_ip_kinds_idx ON listing USING gin (ip_kinds)`);
    await q.query(`
      CREATE TABLE listing_objection (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        listing_id uuid NOT NULL CONSTRAINT listing_objection_listing_fk REFERENCES listing (id),
        objector_organization_id uuid NOT NULL,
        objector_user_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'awaiting_answer',
        answer text,
        answered_by uuid,
        answered_at timestamptz,
        ruling_reason text,
        ruled_by uuid,
        ruled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX listing_objection_listing_idx ON listing_objection (listing_id)`);
    await q.query(`
      CREATE TABLE listing_intent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        listing_id uuid NOT NULL CONSTRAINT listing_intent_listing_fk REFERENCES listing (id),
        buyer_organization_id uuid NOT NULL,
        buyer_user_id uuid NOT NULL,
        price_fen bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT listing_intent_buyer_uq UNIQUE (listing_id, buyer_organization_id)
      )`);
    await q.query(`
      CREATE TABLE achievement_package (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        technical_field text NOT NULL,
        description text NOT NULL DEFAULT '',
        issued_on date NOT NULL,
        published_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX achievement_package_issued_idx ON achievement_package (issued_on)`);
    await q.query(`
      CREATE TABLE achievement_package_item (
        package_id uuid NOT NULL CONSTRAINT achievement_package_item_package_fk REFERENCES achievement_package (id),
        listing_id uuid NOT NULL CONSTRAINT achievement_package_item_listing_fk REFERENCES listing (id),
        position int NOT NULL,
        PRIMARY KEY (package_id, listing_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'achievement_package_item',
      'achievement_package',
      'listing_intent',
      'listing_objection',
      'listing',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
