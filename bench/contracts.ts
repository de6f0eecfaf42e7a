/**
 * `npm run bench:contracts`: 1,000,000 contracts seeded in SQL (100,000 awaiting registration across
 * the 14 registry offices of Hunan's prefectures), then, in one run:
 *
 * 1. auditors' queue pages — rotating over offices and the first ten pages, a fresh request each
 *    time, while other auditors register contracts from the head of their queues — against
 *    `GET /api/v1/health`, 16 clients each, in alternating windows on the same api process so the
 *    machine's drift weighs on both alike: p50/p95 of each and their ratio (target: queue p95 within
 *    3× of health p95);
 * 2. `trade.agreed` events turned into draft contracts per second through the real worker (outbox
 *    relay, BullMQ, the contract queue's handler), against BullMQ's own no-op job rate measured in
 *    the same run (jobs bulk-added, one worker at concurrency 50), as DESIGN.md records it: by a
 *    worker of the contracts queue alone — the drafting stage, which the no-op ceiling is for
 *    (target: at least 0.1 of it) — and by a worker of every queue, the events' notices among them
 *    (printed, no target).
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { rebuildRegistrationQueue } from '@market/contract';
import { ALL_QUEUES, marketPriceTerms, QueueName } from '@market/queue';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { fmt, HUNAN_PREFECTURES, percentile, runLoad, startApiProcess, startInfra, type BenchInfra } from './support';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 1_000_000);
const AWAITING = Number(process.env.BENCH_AWAITING ?? 100_000);
const CLIENTS = 16;
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 5);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const TRADES = Number(process.env.BENCH_TRADES ?? 10_000);
const NOOP_JOBS = Number(process.env.BENCH_NOOP_JOBS ?? 20_000);
const PAGE = 20;
const PAGES = 10;
const PARTIES = 2_800;

interface Office {
  id: string;
  auditorId: string;
}

async function seed(databaseUrl: string): Promise<{ offices: Office[]; parties: string[] }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const t0 = Date.now();
  try {
    await db.query(`SET synchronous_commit = off`);
    const offices: Office[] = [];
    // One registry office per prefecture.
    for (const [i, city] of HUNAN_PREFECTURES.entries()) {
      const [{ id }] = (
        await db.query(
          `INSERT INTO organization (name, uscc, region_code, kind, verified_at)
           VALUES ($1, $2, $3, 'registry', now()) RETURNING id`,
          [`${city}技术合同登记处`, `11${city}00REG${String(i).padStart(7, '0')}`.slice(0, 18), `${city}00`],
        )
      ).rows;
      const [{ id: auditorId }] = (
        await db.query(
          `INSERT INTO app_user (email, password_hash, display_name, organization_id, roles)
           VALUES ($1, 'x', '登记员', $2, '{auditor}') RETURNING id`,
          [`auditor${i}@bench.market`, id],
        )
      ).rows;
      await db.query(
        `INSERT INTO registry_office (organization_id, region_code, registration_point) VALUES ($1, $2, '01')`,
        [id, `${city}00`],
      );
      await db.query(`INSERT INTO registry_office_region (region_code, organization_id) VALUES ($1, $2)`, [
        `${city}00`,
        id,
      ]);
      offices.push({ id, auditorId });
    }
    // Parties: party p sits in the region of office p mod 14.
    await db.query(
      `CREATE TEMP TABLE bench_party AS
       SELECT p AS idx, gen_random_uuid() AS id, '湖南测试企业' || p || '有限公司' AS name,
              ($1::text[])[(p % 14) + 1] || '00' AS region
         FROM generate_series(0, $2 - 1) p`,
      [HUNAN_PREFECTURES, PARTIES],
    );
    await db.query(
      `INSERT INTO organization (id, name, uscc, region_code, kind, verified_at)
       SELECT id, name, upper(substr(md5(id::text), 1, 18)), region, 'enterprise', now() FROM bench_party`,
    );
    await db.query(`CREATE TEMP TABLE bench_office AS SELECT * FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, idx)`, [
      offices.map((o) => o.id),
    ]);
    // Contracts: the first AWAITING under review at the office of their seller's region; the rest
    // drafts, signed, registered, performing or completed (contracts nobody's queue reads).
    await db.query(
      `INSERT INTO contract (id, source, status, current_version, seller_organization_id, buyer_organization_id,
                             registry_office_id, project_name, total_amount_fen, created_at, updated_at)
       SELECT gen_random_uuid(), 'broker',
              CASE WHEN g <= $2 THEN 'under_review'
                   ELSE (ARRAY['draft','signed','registered','performing','completed'])[(g % 5) + 1] END,
              1, s.id, b.id,
              CASE WHEN g <= $2 OR g % 5 >= 2 THEN o.id END,
              '测试技术转让项目' || g, 100000 + (g % 997) * 100000,
              now() - (g % 400) * interval '1 day', now() - (g % 400) * interval '1 day'
         FROM generate_series(1, $1) g
         JOIN bench_party s ON s.idx = (g * 14 + (g % 14)) % ${PARTIES}
         JOIN bench_party b ON b.idx = (g * 7 + 3) % ${PARTIES}
         JOIN bench_office o ON o.idx = ((g * 14 + (g % 14)) % ${PARTIES}) % 14 + 1`,
      [CONTRACTS, AWAITING],
    );
    console.log(`  contracts: ${CONTRACTS.toLocaleString('en-US')} rows (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    await db.query(
      `INSERT INTO contract_version (contract_id, version, content, content_hash, created_at)
       SELECT c.id, 1,
              jsonb_build_object(
                'contractType', 'transfer', 'subKind', 'patent_right', 'projectName', c.project_name,
                'technicalField', 'new_materials',
                'seller', jsonb_build_object('organizationId', c.seller_organization_id, 'name', s.name, 'kind', 'enterprise', 'regionCode', s.region_code),
                'buyer', jsonb_build_object('organizationId', c.buyer_organization_id, 'name', b.name, 'kind', 'enterprise', 'regionCode', b.region_code),
                'broker', null, 'validFrom', null, 'validUntil', null,
                'totalAmountFen', c.total_amount_fen, 'technologyAmountFen', c.total_amount_fen,
                'nonTechnicalItems', '[]'::jsonb, 'expectedNewInvestmentFen', 0, 'expectedNewOutputFen', 0,
                'ipItems', '[]'::jsonb, 'governmentPlan', null, 'transferMode', 'assignment', 'license', null,
                'pricing', 'fixed', 'royalty', null, 'milestones', '[]'::jsonb),
              CASE WHEN c.status <> 'draft' THEN md5(c.id::text) END, c.created_at
         FROM contract c JOIN organization s ON s.id = c.seller_organization_id JOIN organization b ON b.id = c.buyer_organization_id`,
    );
    console.log(`  versions: done (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    await db.query(
      `INSERT INTO contract_registration (contract_id, contract_version, kind, office_id, status, submitted_by, accepted_on,
                                          deadline_on, working_days, technology_amount_fen, screening, screened_at)
       SELECT c.id, 1, 'initial', c.registry_office_id, 'under_review', c.created_by_or, d, d + 21, 15, c.total_amount_fen,
              '{"findings": [], "note": "bench"}'::jsonb, now()
         FROM (SELECT id, registry_office_id, total_amount_fen, gen_random_uuid() AS created_by_or,
                      current_date - (row_number() OVER (ORDER BY id) % 40)::int AS d
                 FROM contract WHERE status = 'under_review') c`,
    );
    // The offices' queue rows, as the market's own writes would have kept them.
    await rebuildRegistrationQueue((sql, params) => db.query(sql, params));
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await db.query(`VACUUM ANALYZE`);
    console.log(
      `  seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${AWAITING.toLocaleString('en-US')} awaiting registration at 14 offices`,
    );
    return {
      offices,
      parties: (await db.query(`SELECT id FROM bench_party ORDER BY idx LIMIT 200`)).rows.map((r) => r.id),
    };
  } finally {
    await db.end();
  }
}

const stats = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
};

async function queueVersusHealth(infra: BenchInfra, offices: Office[]) {
  const api = await startApiProcess(infra);
  const jwt = new JwtService({ secret: api.jwtSecret });
  const tokens = offices.map((o) =>
    jwt.sign({ sub: o.auditorId, org: o.id, roles: ['auditor'] }, { algorithm: 'HS256', expiresIn: 3600 }),
  );
  try {
    // Warm-up: JIT, connections, plans.
    await runLoad({
      baseUrl: api.baseUrl,
      clients: CLIENTS,
      seconds: 2,
      next: (c) => ({
        method: 'GET',
        path: `/api/v1/registrations/queue?limit=${PAGE}`,
        headers: { authorization: `Bearer ${tokens[c % 14]}` },
      }),
      classify: (s) => String(s.status),
    });
    // Decisions during the run: two auditors register the head of their office's queue, over and over.
    let deciding = true;
    let decisions = 0;
    const decider = async (k: number) => {
      let office = k;
      while (deciding) {
        office = (office + 2) % offices.length;
        const headers = { authorization: `Bearer ${tokens[office]}`, 'content-type': 'application/json' };
        const page = (await (await fetch(`${api.baseUrl}/api/v1/registrations/queue?limit=1`, { headers })).json()) as {
          items: { contractId: string }[];
        };
        const head = page.items[0];
        if (!head) continue;
        const res = await fetch(`${api.baseUrl}/api/v1/registrations/${head.contractId}/decision`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ decision: 'register' }),
        });
        if (res.ok) decisions++;
        await res.arrayBuffer();
      }
    };
    const deciders = [decider(0), decider(1)];
    const queue: number[] = [];
    const health: number[] = [];
    const outcomes = new Map<string, number>();
    let turn = 0;
    for (let w = 0; w < WINDOWS; w++) {
      const q = await runLoad({
        baseUrl: api.baseUrl,
        clients: CLIENTS,
        seconds: WINDOW_SECONDS,
        next: () => {
          turn++;
          const office = turn % offices.length;
          const page = Math.floor(turn / offices.length) % PAGES;
          return {
            method: 'GET',
            path: `/api/v1/registrations/queue?limit=${PAGE}&offset=${page * PAGE}`,
            headers: { authorization: `Bearer ${tokens[office]}` },
          };
        },
        classify: (s) => `queue ${s.status}`,
      });
      queue.push(...q.latenciesMs);
      for (const [k, v] of q.byOutcome) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
      const h = await runLoad({
        baseUrl: api.baseUrl,
        clients: CLIENTS,
        seconds: WINDOW_SECONDS,
        next: () => ({ method: 'GET', path: '/api/v1/health' }),
        classify: (s) => `health ${s.status}`,
      });
      health.push(...h.latenciesMs);
      for (const [k, v] of h.byOutcome) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
    }
    deciding = false;
    await Promise.all(deciders);
    const qs = stats(queue);
    const hs = stats(health);
    console.log(
      `\nqueue pages vs health — ${CLIENTS} clients each, ${WINDOWS} alternating windows of ${WINDOW_SECONDS} s`,
    );
    console.log(`  auditors' queue  p50 ${fmt(qs.p50, 2)} ms  p95 ${fmt(qs.p95, 2)} ms  (${qs.n} requests)`);
    console.log(`  health           p50 ${fmt(hs.p50, 2)} ms  p95 ${fmt(hs.p95, 2)} ms  (${hs.n} requests)`);
    console.log(
      `queue p95 / health p95 = ${fmt(qs.p95 / hs.p95, 2)} (target ≤ 3; ${fmt(qs.p95, 2)} / ${fmt(hs.p95, 2)} ms; p50 ratio ${fmt(qs.p50 / hs.p50, 2)})`,
    );
    console.log(
      `  registrations decided during the run: ${decisions}; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
  } finally {
    await api.stop();
  }
}

/** One prefix for both drafting phases: the second worker finds Redis as the first left it. */
const WORKER_QUEUE_PREFIX = `bench-contracts-${randomUUID().slice(0, 8)}`;

/** BullMQ's own ceiling here: no-op jobs, bulk-added, one worker at concurrency 50. */
async function bullmqNoopRate(redisUrl: string): Promise<number> {
  const connection = { url: redisUrl };
  const prefix = `bench-noop-${randomUUID().slice(0, 8)}`;
  const queue = new Queue('noop', { connection, prefix });
  for (let i = 0; i < NOOP_JOBS; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, NOOP_JOBS - i) }, (_, n) => ({ name: 'noop', data: { n: i + n } })),
    );
  }
  let done = 0;
  const started = Date.now();
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker('noop', async () => undefined, { connection, prefix, concurrency: 50 });
    worker.on('completed', () => {
      if (++done === NOOP_JOBS) void worker.close().then(resolve);
    });
  });
  await finished;
  const rate = NOOP_JOBS / ((Date.now() - started) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  return rate;
}

/**
 * Waits until the worker has worked off what waits for it — the outbox events the queue phase's
 * registrations left (notices, statistics, screening, credit) and the jobs they became, on the queues
 * it consumes — so that the drafts' figure is drafting alone. Delayed jobs (deadlines, reminders)
 * are not waited for.
 */
async function drainBacklog(db: Client, redisUrl: string, prefix: string, consumed: QueueName[]): Promise<void> {
  const queues = consumed.map((name) => new Queue(name, { connection: { url: redisUrl }, prefix }));
  try {
    for (const started = Date.now(); Date.now() - started < 120_000;) {
      const [{ n }] = (
        await db.query(`SELECT count(*)::int AS n FROM outbox_event WHERE published_at IS NULL AND run_at <= now()`)
      ).rows;
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      const inQueues = counts.reduce((sum, c) => sum + c.waiting + c.active + c.prioritized, 0);
      if (n === 0 && inQueues === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the backlog of the queue phase was not worked off within 120 s');
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/**
 * Drafts per second through a worker consuming `consumed` (with its outbox relay), after it has
 * worked off what waited on those queues.
 */
async function draftsPerSecond(infra: BenchInfra, parties: string[], consumed: QueueName[]): Promise<number> {
  Object.assign(process.env, {
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: WORKER_QUEUE_PREFIX,
    WORKER_QUEUES: consumed.join(','),
    JWT_SECRET: 'bench-secret-'.repeat(4),
    LOG_LEVEL: 'silent',
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '50',
    OUTBOX_POLL_MS: process.env.OUTBOX_POLL_MS ?? '20',
    OUTBOX_BATCH_SIZE: process.env.OUTBOX_BATCH_SIZE ?? '1000',
    DATABASE_POOL_SIZE: '60',
  });
  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  let worker: INestApplicationContext | undefined;
  let contracts: Queue | undefined;
  try {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    await drainBacklog(db, infra.redisUrl, WORKER_QUEUE_PREFIX, consumed);
    contracts = new Queue(QueueName.Contracts, { connection: { url: infra.redisUrl }, prefix: WORKER_QUEUE_PREFIX });
    const { completed: completedBefore, failed: failedBefore } = await contracts.getJobCounts('completed', 'failed');
    const payloads = Array.from({ length: TRADES }, (_, i) => {
      const price = 1_000_000 + (i % 100) * 10_000;
      return {
        tradeId: randomUUID(),
        source: 'listed',
        listingId: randomUUID(),
        listingTitle: `测试成果${i}`,
        sellerOrganizationId: parties[i % parties.length],
        buyerOrganizationId: parties[(i + 1) % parties.length],
        priceFen: price,
        agreedAt: new Date().toISOString(),
        terms: marketPriceTerms(price, ['assignment']),
      };
    });
    // The events as the trading contexts write them — outbox rows, published by the worker's relay —
    // committed at once, as a burst of trades. The clock starts at the commit, as the no-op rate's
    // starts once its jobs are added: neither figure counts writing its input, and the drafts' figure
    // still counts the relay publishing the events into BullMQ.
    await db.query('BEGIN');
    for (let i = 0; i < payloads.length; i += 1000) {
      const chunk = payloads.slice(i, i + 1000);
      await db.query(
        `INSERT INTO outbox_event (job_name, payload, run_at) SELECT 'trade.agreed', p, now() FROM unnest($1::jsonb[]) p`,
        [chunk.map((p) => JSON.stringify(p))],
      );
    }
    await db.query('COMMIT');
    const started = Date.now();
    // Watched in Redis, not by counting contracts: a count every few milliseconds would take the
    // database's time from the drafting it measures. A contract job completes once its draft has
    // committed; that every trade became a draft is checked in PostgreSQL once the clock stops.
    for (;;) {
      const { completed, failed } = await contracts.getJobCounts('completed', 'failed');
      if (failed > failedBefore) throw new Error(`${failed - failedBefore} contract jobs failed`);
      if (completed - completedBefore >= TRADES) break;
      if (Date.now() - started > 300_000) throw new Error(`only ${completed - completedBefore} drafts after 300 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const elapsed = (Date.now() - started) / 1000;
    const drafted = Number(
      (
        await db.query(`SELECT count(*)::int AS n FROM contract WHERE trade_id = ANY($1::uuid[])`, [
          payloads.map((p) => p.tradeId),
        ])
      ).rows[0].n,
    );
    if (drafted !== TRADES) throw new Error(`${TRADES} trades became ${drafted} drafts`);
    // What the events left on the worker's other queues (their notices) is not left to the next phase.
    await drainBacklog(db, infra.redisUrl, WORKER_QUEUE_PREFIX, consumed);
    return TRADES / elapsed;
  } finally {
    await contracts?.close();
    await worker?.close();
    await db.end();
  }
}

async function main() {
  const started = Date.now();
  console.log(
    `bench:contracts — ${CONTRACTS.toLocaleString('en-US')} contracts, ${AWAITING.toLocaleString('en-US')} awaiting registration`,
  );
  const infra = await startInfra('contracts');
  try {
    const { offices, parties } = await seed(infra.databaseUrl);
    await queueVersusHealth(infra, offices);
    const noop = await bullmqNoopRate(infra.redisUrl);
    // The whole worker first: it also works off every other queue's backlog of the queue phase.
    const whole = await draftsPerSecond(infra, parties, ALL_QUEUES);
    const stage = await draftsPerSecond(infra, parties, [QueueName.Contracts]);
    console.log(
      `\ntrade.agreed → draft contracts through the real worker (${TRADES.toLocaleString('en-US')} events each)`,
    );
    console.log(`  BullMQ no-op ${fmt(noop, 0)} jobs/s (bulk-added, one worker at concurrency 50)`);
    console.log(
      `drafts / no-op, drafting stage = ${fmt(stage / noop, 3)} (target ≥ 0.1; ${fmt(stage, 0)} drafts/s, a worker consuming the contracts queue)`,
    );
    console.log(
      `drafts / no-op, whole worker = ${fmt(whole / noop, 3)} (no target; ${fmt(whole, 0)} drafts/s, a worker consuming every queue, the events' notices among them)`,
    );
  } finally {
    await infra.stop();
  }
  console.log(`\nbench:contracts finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
