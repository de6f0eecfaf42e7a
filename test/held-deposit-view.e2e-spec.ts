import { DataSource } from 'typeorm';
import { postgresOptions } from '@market/database';
import { HeldDepositView1764000009000 } from '../libs/database/src/migrations/1764000009000-held-deposit-view';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** Migration 1764000009000: the payments context's view of held deposits, which bid rounds check against. */
describe('the held deposit view', () => {
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

  const view = () =>
    env.query<{ auction_id: string; payer_organization_id: string }>(
      `SELECT auction_id, payer_organization_id FROM held_deposit WHERE auction_id = $1 ORDER BY payer_organization_id`,
      [auctionId],
    );
  const auctionId = '00000000-0000-4000-8000-00000000d001';
  const payers = ['00000000-0000-4000-8000-00000000e001', '00000000-0000-4000-8000-00000000e002'];

  it('lists an auction deposit only while it is held', async () => {
    const insert = (payer: string, status: string) =>
      env.query(
        `INSERT INTO deposit (purpose, reference_id, payer_organization_id, amount_fen, method, status)
         VALUES ('auction', $1, $2, 100, 'offline', $3)`,
        [auctionId, payer, status],
      );
    await insert(payers[0], 'held');
    await insert(payers[1], 'pending');
    await insert(payers[1], 'released');
    expect(await view()).toEqual([{ auction_id: auctionId, payer_organization_id: payers[0] }]);

    await env.query(`UPDATE deposit SET status = 'held' WHERE payer_organization_id = $1 AND status = 'pending'`, [
      payers[1],
    ]);
    await env.query(`UPDATE deposit SET status = 'released' WHERE payer_organization_id = $1`, [payers[0]]);
    expect(await view()).toEqual([{ auction_id: auctionId, payer_organization_id: payers[1] }]);
  });

  it('reverts cleanly, leaving the deposits as they were, and applies again', async () => {
    const deposits = () => env.query(`SELECT id, status FROM deposit ORDER BY id`);
    const before = await deposits();
    const runner = dataSource.createQueryRunner();
    try {
      await new HeldDepositView1764000009000().down(runner);
      expect(await env.query(`SELECT to_regclass('held_deposit') AS view`)).toEqual([{ view: null }]);
      expect(await deposits()).toEqual(before);

      await new HeldDepositView1764000009000().up(runner);
      expect(await view()).toEqual([{ auction_id: auctionId, payer_organization_id: payers[1] }]);
    } finally {
      await runner.release();
    }
  });
});
