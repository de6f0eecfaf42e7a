import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { postgresOptions } from '@market/database';
import { MIGRATIONS } from '../libs/database/src/migrations';
import { MARKET_ENTITIES } from '../apps/api/src/entities';
import { Api, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * The schema is built by migrations only, never synchronized: these tests hold the migrations,
 * the entities and the migration CLI's entity list to each other.
 */
describe('migrations and entities', () => {
  let env: TestEnvironment;
  let dataSource: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    dataSource = new DataSource({ ...postgresOptions(env.databaseUrl, 2), entities: MARKET_ENTITIES });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.close();
  });

  const pendingSchemaChanges = async () =>
    (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);

  it('build exactly the schema of the entities: TypeORM finds nothing to change', async () => {
    expect(await pendingSchemaChanges()).toEqual([]);
  });

  it("list in the CLI's entities every entity the api and the worker load", async () => {
    const loaded = (app: INestApplicationContext) =>
      new Set(app.get(DataSource).entityMetadatas.map((metadata) => metadata.target));
    let api: Api | undefined;
    let worker: INestApplicationContext | undefined;
    try {
      api = await startApi();
      worker = await startWorker({ consume: false });
      const union = new Set([...loaded(api), ...loaded(worker)]);
      const names = [...union].map((target) => (target as { name: string }).name);
      expect(names.length).toBeGreaterThan(10);
      // The list may hold more: IdempotencyKey maps a table the idempotency store reaches by SQL only.
      expect(MARKET_ENTITIES.map((entity) => entity.name)).toEqual(expect.arrayContaining(names));
    } finally {
      await worker?.close();
      await api?.close();
    }
  });

  it('revert one by one down to an empty schema, and apply again to the same schema', async () => {
    for (let n = 0; n < MIGRATIONS.length; n++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await env.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await pendingSchemaChanges()).toEqual([]);
  });
});
