import { MigrationInterface, QueryRunner } from 'typeorm';

/** Credit records (信用档案): the events behind each organization's and broker agency's rating. */
export class Credit1764000042000 implements MigrationInterface {
  name = 'Credit1764000042000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credit_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject text NOT NULL,
        subject_id uuid NOT NULL,
        kind text NOT NULL,
        points int NOT NULL,
        contract_id uuid NOT NULL,
        registration_number text,
        fact text NOT NULL,
        occurred_at timestamptz NOT NULL,
        source_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX credit_event_subject_idx ON credit_event (subject, subject_id, occurred_at)`);
    await q.query(`CREATE UNIQUE INDEX credit_event_source_uq ON credit_event (source_key, subject, subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE credit_event`);
  }
}
