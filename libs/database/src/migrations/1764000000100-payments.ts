import { MigrationInterface, QueryRunner } from 'typeorm';

/** Payments: deposits (保证金) and the Stripe webhook events already applied. */
export class Payments1764000000100 implements MigrationInterface {
  name = 'Payments1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deposit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purpose text NOT NULL,
        reference_id uuid NOT NULL,
        payer_organization_id uuid NOT NULL,
        amount_fen bigint NOT NULL,
        method text NOT NULL,
        status text NOT NULL,
        stripe_payment_intent_id text,
        offline_reference text,
        receipt_recorded_by uuid,
        failure_reason text,
        held_at timestamptz,
        released_at timestamptz,
        captured_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deposit_payment_intent_uq UNIQUE (stripe_payment_intent_id),
        CONSTRAINT deposit_offline_reference_uq UNIQUE (offline_reference),
        CONSTRAINT deposit_amount_positive_ck CHECK (amount_fen > 0),
        CONSTRAINT deposit_status_ck CHECK (status IN ('pending', 'held', 'released', 'captured', 'failed', 'canceled')),
        CONSTRAINT deposit_method_ck CHECK (method IN ('stripe', 'offline'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX deposit_live_uq ON deposit (reference_id, payer_organization_id) WHERE status IN ('pending', 'held')`,
    );
    await q.query(`CREATE INDEX deposit_reference_idx ON deposit (reference_id)`);
    await q.query(`
      CREATE TABLE stripe_event (
        id text PRIMARY KEY,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stripe_event`);
    await q.query(`DROP TABLE deposit`);
  }
}
