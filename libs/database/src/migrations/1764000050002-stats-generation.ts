import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A generation number for every figure the statistics serve: each applied contract event and each
 * change of the demonstration counties raises it, in its own transaction. An api process keeps
 * answers under the generation they were computed at and reads the number (one tiny row) first, so a
 * committed change is never hidden by a kept answer.
 */
export class StatsGeneration1764000050002 implements MigrationInterface {
  name = 'StatsGeneration1764000050002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_generation (
        singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT stats_generation_one_row CHECK (singleton),
        n bigint NOT NULL
      )`);
    await q.query(`INSERT INTO stats_generation (n) VALUES (1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stats_generation`);
  }
}
