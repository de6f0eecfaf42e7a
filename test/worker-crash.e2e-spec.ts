import { Queue } from 'bullmq';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { QueueName } from '@market/queue';
import { Role } from '@market/identity';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { Api, eventually, http, spawnWorker, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * A worker killed with SIGKILL in the middle of a job: the job's transaction never commits,
 * BullMQ hands the job to the next worker once its lock expires, and the effects happen once.
 * The worker runs as its own process, from the build.
 */
describe('a worker killed in the middle of a job', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment({ WORKER_LOCK_DURATION_MS: '1500', WORKER_STALLED_INTERVAL_MS: '500' });
    api = await startApi();
    admin = await createAdmin(api, env);
  });

  // Each test starts with no worker: one left from an earlier test would take the next test's job.
  afterEach(async () => {
    const running = workers.splice(0).filter((worker) => worker.exitCode === null && worker.signalCode === null);
    await Promise.all(
      running.map((worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.kill('SIGKILL');
        return exited;
      }),
    );
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const start = () => {
    const worker = spawnWorker(env.env);
    workers.push(worker);
    return worker;
  };

  it('completes the job exactly once after a restart', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const colleague = await addMember(api, admin, seller.organizationId, [Role.Seller]);

    // Hold a lock that the job's INSERT into the inbox must wait for, so the job is caught mid-way.
    const blocker = await holdInboxLock();
    const first = start();
    const event = await verifyAndFindEvent(seller.organizationId);
    await jobIsWaitingOnTheLock();

    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    await blocker.query('ROLLBACK');
    await blocker.end();

    start();
    const delivered = await eventually(
      async () => {
        const rows = await env.query<{ user_id: string }>(
          `SELECT user_id FROM notification WHERE source_event_id = $1`,
          [event.id],
        );
        return rows.length > 0 ? rows : undefined;
      },
      30_000,
      'the job to complete after the restart',
    );
    await new Promise((r) => setTimeout(r, 1_000));

    const rows = await env.query<{ user_id: string }>(`SELECT user_id FROM notification WHERE source_event_id = $1`, [
      event.id,
    ]);
    expect(rows.map((r) => r.user_id).sort()).toEqual([seller.userId, colleague.userId].sort());
    expect(delivered.length).toBeLessThanOrEqual(2);
    expect(await env.query(`SELECT job_id FROM processed_job WHERE job_id = $1`, [event.id])).toHaveLength(1);

    const queue = new Queue(QueueName.Notifications, { connection: { url: env.redisUrl }, prefix: env.queuePrefix });
    try {
      const job = await queue.getJob(event.id);
      expect(await job?.getState()).toBe('completed');
      expect(await queue.getJobCounts('completed', 'failed', 'active', 'wait')).toMatchObject({
        completed: 1,
        failed: 0,
        active: 0,
        wait: 0,
      });
    } finally {
      await queue.close();
    }
  });

  it('finishes the job in hand before it stops on SIGTERM', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const blocker = await holdInboxLock();
    const worker = start();
    const event = await verifyAndFindEvent(seller.organizationId);
    await jobIsWaitingOnTheLock();

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      worker.once('exit', (code, signal) => resolve({ code, signal })),
    );
    worker.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(worker.exitCode).toBeNull(); // still finishing its job
    await blocker.query('ROLLBACK');
    await blocker.end();

    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    // The job committed before the process went away.
    expect(await env.query(`SELECT user_id FROM notification WHERE source_event_id = $1`, [event.id])).toHaveLength(1);
  });

  async function holdInboxLock(): Promise<Client> {
    const blocker = new Client({ connectionString: env.databaseUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE notification IN EXCLUSIVE MODE');
    return blocker;
  }

  async function verifyAndFindEvent(organizationId: string): Promise<{ id: string }> {
    await http(api)
      .post(`/api/v1/orgs/${organizationId}/verify`)
      .set('authorization', `Bearer ${admin.token}`)
      .expect(200);
    const [event] = await env.query<{ id: string }>(
      `SELECT id FROM outbox_event WHERE payload->>'organizationId' = $1`,
      [organizationId],
    );
    return event;
  }

  async function jobIsWaitingOnTheLock(): Promise<void> {
    await eventually(
      async () => {
        const waiting = await env.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO notification %'`,
        );
        return waiting.length > 0 ? true : undefined;
      },
      20_000,
      'the job to reach its insert',
    );
  }
});
