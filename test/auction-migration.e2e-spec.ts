import { DataSource } from 'typeorm';
import { postgresOptions } from '@market/database';
import { AuctionHardening1764000003000 } from '../libs/database/src/migrations/1764000003000-auction-hardening';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** Migration 1764000003000 reverts cleanly, also with a deposit in an instructed state, and applies again. */
describe('the auction hardening migration', () => {
  let env: TestEnvironment;
  let dataSource: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    dataSource = await new DataSource(postgresOptions(env.databaseUrl, 1)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.close();
  });

  const columns = async (table: string) =>
    (
      await env.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = $1`,
        [table],
      )
    ).map((c) => c.column_name);

  it('reverts cleanly, putting an instruction not carried out back to the state it was given in, and applies again', async () => {
    const insert = (status: string, heldAt: string | null) =>
      env.query<{ id: string }>(
        `INSERT INTO deposit (purpose, reference_id, payer_organization_id, amount_fen, method, status, held_at)
         VALUES ('auction', gen_random_uuid(), gen_random_uuid(), 100, 'offline', $1, $2) RETURNING id`,
        [status, heldAt],
      );
    const [capturing] = await insert('capturing', new Date().toISOString());
    const [releasing] = await insert('releasing', null);
    const migration = new AuctionHardening1764000003000();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await columns('listing')).not.toContain('auction_live');
      expect(await columns('auction')).not.toContain('technical_field');
      const statuses = await env.query<{ id: string; status: string }>(
        `SELECT id, status FROM deposit WHERE id IN ($1, $2)`,
        [capturing.id, releasing.id],
      );
      expect(Object.fromEntries(statuses.map((d) => [d.id, d.status]))).toEqual({
        [capturing.id]: 'held',
        [releasing.id]: 'pending',
      });
      await expect(insert('capturing', null)).rejects.toThrow(/deposit_status_ck/);

      await migration.up(runner);
      expect(await columns('listing')).toEqual(expect.arrayContaining(['auction_id', 'auction_live']));
      expect(await columns('auction')).toContain('technical_field');
      await insert('releasing', null);
    } finally {
      await runner.release();
    }
  });
});
