import { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity, notifications, idempotency keys, the outbox and processed-job markers. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        uscc char(18) NOT NULL,
        region_code char(6) NOT NULL,
        kind text NOT NULL,
        verified_at timestamptz,
        verified_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_uscc_uq UNIQUE (uscc)
      )`);
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        organization_id uuid NOT NULL CONSTRAINT app_user_organization_fk REFERENCES organization (id),
        roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_email_uq UNIQUE (email)
      )`);
    await q.query(`CREATE INDEX app_user_organization_idx ON app_user (organization_id)`);
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        source_event_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        CONSTRAINT notification_user_source_uq UNIQUE (user_id, source_event_id)
      )`);
    await q.query(`CREATE INDEX notification_inbox_idx ON notification (user_id, created_at)`);
    await q.query(`
      CREATE TABLE idempotency_key (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        status_code smallint,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`
      CREATE TABLE outbox_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        queue text NOT NULL,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_event_unpublished_idx ON outbox_event (created_at) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE processed_job (
        job_id text PRIMARY KEY,
        job_name text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'processed_job',
      'outbox_event',
      'idempotency_key',
      'notification',
      'app_user',
      'organization',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
