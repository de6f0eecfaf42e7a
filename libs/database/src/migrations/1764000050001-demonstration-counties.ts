import { MigrationInterface, QueryRunner } from 'typeorm';

/** Demonstration counties (示范县) as admins designate them. */
export class DemonstrationCounties1764000050001 implements MigrationInterface {
  name = 'DemonstrationCounties1764000050001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE demonstration_county (
        region_code char(6) PRIMARY KEY,
        name text NOT NULL,
        construction_start_year int NOT NULL,
        featured_industries jsonb NOT NULL,
        designated_by uuid NOT NULL,
        designated_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demonstration_county`);
  }
}
