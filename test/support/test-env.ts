import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '@market/database';

export interface TestEnvironment {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** The environment the apps of this test file run with (also given to spawned workers). */
  env: Record<string, string>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A fresh database, migrated, and a queue prefix of its own, for one test file. Refuses to touch
 * a database whose name lacks "test".
 */
export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = overrides.REDIS_URL ?? process.env.TEST_REDIS_URL;
  if (!adminUrl || !redisUrl) throw new Error('TEST_DATABASE_URL and TEST_REDIS_URL come from the jest global setup');
  const suffix = randomBytes(6).toString('hex');
  const name = `market_test_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  if (!name.includes('test')) throw new Error(`refusing to use database ${name}`);
  await runMigrations(databaseUrl);

  const queuePrefix = `test_${suffix}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_COST: '4',
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_MS: '50',
    JOB_BACKOFF_MS: '100',
    DATABASE_POOL_SIZE: '20',
    // Tests log in far more often than people; the limit itself is a setting.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    REGISTRATION_RATE_LIMIT_PER_HOUR: '100000',
    ...overrides,
  };
  Object.assign(process.env, env);

  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    databaseUrl,
    redisUrl,
    queuePrefix,
    env,
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  };
}
