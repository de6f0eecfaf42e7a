import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, marketPriceTerms, QueueName, TradeAgreedPayload } from '@market/queue';
import { AuditLog } from '@market/audit';
import { Account, registerAccount } from './support/accounts';
import { Api, eventually, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * Batched job handlers (`@OnJobBatch`), proven on the one that uses them: `trade.agreed` → draft
 * contracts. Jobs run at once are handled together in one transaction; each job settles with its
 * batch; a job that cannot succeed fails alone; redeliveries add nothing.
 */
describe('job batches: trade.agreed drafted in batches', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  let seller: Account;
  let buyer: Account;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    worker = await startWorker({ consume: false });
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '湘潭大学技术转移中心' });
    buyer = await registerAccount(api, { roles: [Role.Buyer], organizationName: '株洲硬质合金有限公司' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  const trade = (overrides: Partial<TradeAgreedPayload> = {}): TradeAgreedPayload => ({
    tradeId: randomUUID(),
    source: 'listed',
    listingId: randomUUID(),
    listingTitle: '一种硬质合金刀具涂层工艺',
    sellerOrganizationId: seller.organizationId,
    buyerOrganizationId: buyer.organizationId,
    priceFen: 2_000_000,
    agreedAt: new Date().toISOString(),
    terms: marketPriceTerms(2_000_000, ['assignment']),
    ...overrides,
  });

  const run = (jobId: string, payload: TradeAgreedPayload) =>
    worker.get(JobDispatcher).run(QueueName.Contracts, { id: jobId, name: JobName.TradeAgreed, data: payload });

  const draftsOf = (tradeIds: string[]) =>
    env.query<{ id: string; trade_id: string; created_at: Date; versions: number; entries: number }>(
      `SELECT c.id, c.trade_id, c.created_at,
              (SELECT count(*)::int FROM contract_version v WHERE v.contract_id = c.id) AS versions,
              (SELECT count(*)::int FROM audit_entry a WHERE a.chain = 'contract:' || c.id) AS entries
         FROM contract c WHERE c.trade_id = ANY($1::uuid[])`,
      [tradeIds],
    );

  it('drafts concurrent jobs in one transaction, one draft per trade however often each is delivered', async () => {
    const trades = Array.from({ length: 12 }, () => trade());
    const jobs = trades.map((payload) => ({ id: randomUUID(), payload }));
    // Redeliveries in the same batch: two trades again under other job ids, one job id twice.
    const again = [{ id: randomUUID(), payload: trades[0] }, { id: randomUUID(), payload: trades[5] }, jobs[3]];

    const outcomes = await Promise.all([...jobs, ...again].map((j) => run(j.id, j.payload)));

    expect(outcomes.filter((o) => o === 'done')).toHaveLength(14);
    expect(outcomes.filter((o) => o === 'already-done')).toHaveLength(1);
    const drafts = await draftsOf(trades.map((t) => t.tradeId));
    expect(drafts).toHaveLength(12);
    expect(drafts.every((d) => d.versions === 1 && d.entries === 1)).toBe(true);
    // One transaction: every draft carries the same transaction time.
    expect(new Set(drafts.map((d) => d.created_at.getTime())).size).toBe(1);
    const markers = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processed_job WHERE queue = $1 AND job_id = ANY($2::text[])`,
      [QueueName.Contracts, [...jobs, ...again].map((j) => j.id)],
    );
    expect(markers[0].n).toBe(14);
    const [contract] = await env.query<{ content: { seller: { name: string }; buyer: { name: string } } }>(
      `SELECT content FROM contract_version WHERE contract_id = $1`,
      [drafts[0].id],
    );
    expect(contract.content.seller.name).toBe('湘潭大学技术转移中心');
    expect(contract.content.buyer.name).toBe('株洲硬质合金有限公司');
  });

  it('adds nothing when the same jobs, or the same trades under new job ids, come again later', async () => {
    const trades = Array.from({ length: 5 }, () => trade());
    const jobs = trades.map((payload) => ({ id: randomUUID(), payload }));
    await Promise.all(jobs.map((j) => run(j.id, j.payload)));
    const first = await draftsOf(trades.map((t) => t.tradeId));

    const replayed = await Promise.all(jobs.map((j) => run(j.id, j.payload)));
    const underNewIds = await Promise.all(trades.map((payload) => run(randomUUID(), payload)));

    expect(replayed).toEqual(Array(5).fill('already-done'));
    expect(underNewIds).toEqual(Array(5).fill('done'));
    const after = await draftsOf(trades.map((t) => t.tradeId));
    expect(after.map((d) => d.id).sort()).toEqual(first.map((d) => d.id).sort());
    expect(after.every((d) => d.versions === 1 && d.entries === 1)).toBe(true);
    // Nor an audit chain for a contract id made for a trade already drafted.
    const [{ n }] = await env.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'contract.drafted' AND detail->>'tradeId' = ANY($1)`,
      [trades.map((t) => t.tradeId)],
    );
    expect(n).toBe(5);
  });

  it('fails only the job that cannot succeed, as unrecoverable; the rest of its batch is drafted', async () => {
    const good = Array.from({ length: 6 }, () => trade());
    const bad = trade({ buyerOrganizationId: randomUUID() });
    const ids = [...good, bad].map(() => randomUUID());

    const settled = await Promise.allSettled([...good, bad].map((payload, i) => run(ids[i], payload)));

    expect(settled.slice(0, 6).every((s) => s.status === 'fulfilled')).toBe(true);
    const failure = settled[6] as PromiseRejectedResult;
    expect(failure.status).toBe('rejected');
    expect(failure.reason).toMatchObject({ name: 'UnrecoverableError', message: expect.stringMatching(/NOT_FOUND/) });
    expect(await draftsOf(good.map((t) => t.tradeId))).toHaveLength(6);
    expect(await draftsOf([bad.tradeId])).toHaveLength(0);
    // The failed job left no marker: a retry (after the organization exists) would run it.
    const marker = await env.query(`SELECT 1 FROM processed_job WHERE queue = $1 AND job_id = $2`, [
      QueueName.Contracts,
      ids[6],
    ]);
    expect(marker).toHaveLength(0);
    expect((await worker.get(AuditLog).verify()).firstBroken).toBeNull();
  });

  it("appends a batch's audit events in one go, several to one chain linked in their order", async () => {
    const trades = [trade(), trade()];
    await Promise.all(trades.map((payload) => run(randomUUID(), payload)));
    const [x, y] = (await draftsOf(trades.map((t) => t.tradeId))).map((d) => `contract:${d.id}`);

    await worker.get(AuditLog).appendMany([
      { chain: x, actorId: null, action: 'test.first' },
      { chain: y, actorId: null, action: 'test.only' },
      { chain: x, actorId: null, action: 'test.second' },
    ]);

    const entries = await env.query<{ chain: string; seq: number; action: string }>(
      `SELECT chain, seq, action FROM audit_entry WHERE chain = ANY($1) ORDER BY chain, seq`,
      [[x, y]],
    );
    expect(entries.filter((e) => e.chain === x).map((e) => [e.seq, e.action])).toEqual([
      [1, 'contract.drafted'],
      [2, 'test.first'],
      [3, 'test.second'],
    ]);
    expect(entries.filter((e) => e.chain === y).map((e) => [e.seq, e.action])).toEqual([
      [1, 'contract.drafted'],
      [2, 'test.only'],
    ]);
    expect((await worker.get(AuditLog).verify()).firstBroken).toBeNull();
  });

  it('drafts events published through the outbox by the real worker, several per transaction', async () => {
    const consuming = await startWorker();
    try {
      const trades = Array.from({ length: 60 }, () => trade());
      await env.query(
        `INSERT INTO outbox_event (job_name, payload, run_at) SELECT $1, p, now() FROM unnest($2::jsonb[]) p`,
        [JobName.TradeAgreed, trades.map((t) => JSON.stringify(t))],
      );
      const drafts = await eventually(
        async () => {
          const rows = await draftsOf(trades.map((t) => t.tradeId));
          return rows.length === trades.length ? rows : undefined;
        },
        30_000,
        'every trade drafted',
      );
      expect(new Set(drafts.map((d) => d.created_at.getTime())).size).toBeLessThan(trades.length);
      expect(drafts.every((d) => d.versions === 1 && d.entries === 1)).toBe(true);
    } finally {
      await consuming.close();
    }
  });
});
