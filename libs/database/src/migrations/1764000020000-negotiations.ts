import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Negotiations (协议定价): the negotiation, its offers, its message thread and the objections to
 * a public institution's price announcement; and the count of open negotiations a listing shows.
 */
export class Negotiations1764000020000 implements MigrationInterface {
  name = 'Negotiations1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing ADD COLUMN open_negotiations int NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE negotiation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        listing_id uuid NOT NULL,
        listing_title text NOT NULL,
        seller_organization_id uuid NOT NULL,
        seller_name text NOT NULL,
        buyer_organization_id uuid NOT NULL,
        buyer_name text NOT NULL,
        opened_by uuid NOT NULL,
        status text NOT NULL DEFAULT 'open',
        current_offer_id uuid,
        last_offer_side text,
        offer_count int NOT NULL DEFAULT 0,
        broker_user_id uuid,
        broker_organization_id uuid,
        broker_client_side text,
        broker_commission jsonb,
        agreed_offer_id uuid,
        agreed_at timestamptz,
        agreed_price_fen bigint,
        agreed_terms jsonb,
        announcement_started_at timestamptz,
        announcement_ends_at timestamptz,
        announcement_paused_at timestamptz,
        announcement_remaining_ms bigint,
        final_at timestamptz,
        ended_at timestamptz,
        ended_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX negotiation_listing_idx ON negotiation (listing_id, status)`);
    await q.query(`CREATE INDEX negotiation_buyer_idx ON negotiation (buyer_organization_id, created_at)`);
    await q.query(`CREATE INDEX negotiation_seller_idx ON negotiation (seller_organization_id, created_at)`);
    await q.query(`CREATE INDEX negotiation_broker_idx ON negotiation (broker_user_id)`);
    await q.query(`CREATE INDEX negotiation_announced_idx ON negotiation (announcement_started_at)`);
    // One live negotiation per buyer organization and listing.
    await q.query(
      `CREATE UNIQUE INDEX negotiation_live_uq ON negotiation (listing_id, buyer_organization_id) WHERE status IN ('open', 'agreed', 'announced')`,
    );
    await q.query(`
      CREATE TABLE negotiation_offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        negotiation_id uuid NOT NULL,
        seq int NOT NULL,
        side text NOT NULL,
        status text NOT NULL,
        proposed_by uuid NOT NULL,
        via_broker boolean NOT NULL DEFAULT false,
        confirmed_by uuid,
        reply_to_offer_id uuid,
        price_fen bigint NOT NULL,
        terms jsonb NOT NULL,
        validity_days int NOT NULL,
        expires_at timestamptz,
        answered_at timestamptz,
        answered_by uuid,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX negotiation_offer_seq_uq ON negotiation_offer (negotiation_id, seq)`);
    await q.query(`
      CREATE TABLE negotiation_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        negotiation_id uuid NOT NULL,
        author_user_id uuid NOT NULL,
        author_organization_id uuid NOT NULL,
        author_role text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX negotiation_message_thread_idx ON negotiation_message (negotiation_id, created_at)`);
    await q.query(`
      CREATE TABLE price_objection (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        negotiation_id uuid NOT NULL,
        objector_organization_id uuid NOT NULL,
        objector_user_id uuid NOT NULL,
        reason text NOT NULL,
        status text NOT NULL,
        ruling_reason text,
        ruled_by uuid,
        ruled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX price_objection_negotiation_idx ON price_objection (negotiation_id, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['price_objection', 'negotiation_message', 'negotiation_offer', 'negotiation']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`ALTER TABLE listing DROP COLUMN open_negotiations`);
  }
}
