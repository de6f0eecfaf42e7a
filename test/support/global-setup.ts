import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, startRedisServer } from '../../libs/dev-infra/src';

/**
 * One real PostgreSQL and one real Redis for the whole run. Test files receive their URLs through
 * the environment and isolate themselves (a database and a queue prefix each).
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'market-test-'));
  const postgres = process.env.TEST_DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), persistent: false });
  const redis = process.env.TEST_REDIS_URL ? undefined : await startRedisServer();
  process.env.TEST_DATABASE_URL ??= postgres!.adminUrl;
  process.env.TEST_REDIS_URL ??= redis!.url;
  (globalThis as Record<string, unknown>).__MARKET_TEST_INFRA__ = { postgres, redis };
}
