import { MigrationInterface, QueryRunner } from 'typeorm';

/** English and sealed-bid auctions and their bids. */
export class Auctions1764000000400 implements MigrationInterface {
  name = 'Auctions1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE auction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        listing_id uuid NOT NULL,
        listing_title text NOT NULL,
        seller_organization_id uuid NOT NULL,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'scheduled',
        starting_price_fen bigint NOT NULL,
        reserve_price_fen bigint,
        increment_fen bigint NOT NULL,
        deposit_fen bigint NOT NULL,
        allowed_buyer_organization_ids uuid[],
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        current_price_fen bigint,
        leading_bidder_organization_id uuid,
        bid_count int NOT NULL DEFAULT 0,
        last_seq int NOT NULL DEFAULT 0,
        winner_organization_id uuid,
        final_price_fen bigint,
        closed_at timestamptz,
        settled_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX auction_listing_idx ON auction (listing_id)`);
    // One auction at a time per listing.
    await q.query(
      `CREATE UNIQUE INDEX auction_live_listing_uq ON auction (listing_id) WHERE status IN ('scheduled', 'open', 'closed')`,
    );
    await q.query(`
      CREATE TABLE auction_bid (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        auction_id uuid NOT NULL,
        seq int,
        bidder_organization_id uuid NOT NULL,
        bidder_user_id uuid NOT NULL,
        amount_fen bigint NOT NULL,
        accepted boolean NOT NULL,
        refusal_reason text,
        minimum_fen bigint,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX auction_bid_order_idx ON auction_bid (auction_id, seq)`);
    await q.query(
      `CREATE UNIQUE INDEX auction_bid_key_uq ON auction_bid (auction_id, bidder_user_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE sealed_bid (
        auction_id uuid NOT NULL,
        bidder_organization_id uuid NOT NULL,
        bidder_user_id uuid NOT NULL,
        amount_fen bigint NOT NULL,
        revision int NOT NULL DEFAULT 1,
        first_placed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (auction_id, bidder_organization_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sealed_bid', 'auction_bid', 'auction']) await q.query(`DROP TABLE ${table}`);
  }
}
