/**
 * `npm run bench:bids`: how fast bids are decided through the HTTP API, against the raw speed of
 * single-row UPDATE transactions on the same PostgreSQL at the same concurrency.
 *
 *   1. 64 bidders on one hot auction, then 64 bidders spread over 500 auctions, for a fixed time
 *      each: bids decided per second (accepted, plus refused with a reason: each counted once),
 *      accepted per second, p50 and p99 latency.
 *   2. The baseline: 64 connections running `UPDATE … SET n = n + 1 WHERE id = $1` transactions
 *      on one row, then over 500 rows (pgbench when it is on the PATH, node-postgres otherwise).
 *   3. The ratios decided bids/s ÷ baseline TPS. Targets: hot ≥ 1.0, spread ≥ 0.25.
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { buildUscc } from '@market/identity';
import { ApiProcess, fmt, LoadResult, percentile, runLoad, startApiProcess, startInfra } from './support';

const CLIENTS = 64;
const SPREAD_AUCTIONS = 500;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INCREMENT_FEN = 100;
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);

async function seed(databaseUrl: string) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const seller = randomUUID();
  await db.query(
    `INSERT INTO organization (id, name, uscc, region_code, kind, verified_at) VALUES ($1, '竞价测试卖方', $2, '430100', 'university', now())`,
    [seller, buildUscc('12', '430100', 'BENCH000')],
  );
  const bidders: { organizationId: string; userId: string }[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const organizationId = randomUUID();
    const userId = randomUUID();
    await db.query(
      `INSERT INTO organization (id, name, uscc, region_code, kind, verified_at) VALUES ($1, $2, $3, '430100', 'enterprise', now())`,
      [organizationId, `竞买人${i}`, buildUscc('91', '430100', `BID${String(i).padStart(5, '0')}`)],
    );
    await db.query(
      `INSERT INTO app_user (id, email, password_hash, display_name, organization_id, roles) VALUES ($1, $2, 'x', $3, $4, '{buyer}')`,
      [userId, `bidder${i}@bench.example.cn`, `竞买人${i}`, organizationId],
    );
    bidders.push({ organizationId, userId });
  }
  const auctionIds = Array.from({ length: SPREAD_AUCTIONS + 1 }, () => randomUUID());
  await db.query(
    `INSERT INTO auction (id, listing_id, listing_title, seller_organization_id, kind, status, starting_price_fen,
                          increment_fen, deposit_fen, starts_at, ends_at)
     SELECT id, gen_random_uuid(), '竞价测试成果', $2, 'english', 'open', 1000000, $3, 10000, now() - interval '1 hour', now() + interval '1 day'
       FROM unnest($1::uuid[]) AS id`,
    [auctionIds, seller, INCREMENT_FEN],
  );
  // Every bidder holds a deposit on every auction.
  await db.query(
    `INSERT INTO deposit (purpose, reference_id, payer_organization_id, amount_fen, method, status, held_at)
     SELECT 'auction', a, b, 10000, 'offline', 'held', now() FROM unnest($1::uuid[]) AS a, unnest($2::uuid[]) AS b`,
    [auctionIds, bidders.map((b) => b.organizationId)],
  );
  await db.query('ANALYZE');
  await db.end();
  return { hot: auctionIds[0], spread: auctionIds.slice(1), bidders };
}

function bidLoad(baseUrl: string | string[], tokens: string[], auctionsFor: (client: number) => string) {
  const known = new Map<string, number>();
  const target = new Map<number, string>();
  return runLoad({
    baseUrl,
    clients: CLIENTS,
    seconds: SECONDS,
    next: (client) => {
      const auctionId = auctionsFor(client);
      target.set(client, auctionId);
      // Bid what one believes is enough: stale beliefs make for refused bids, as in a real room.
      const amountFen = (known.get(auctionId) ?? 1_000_000) + INCREMENT_FEN * (1 + Math.floor(Math.random() * 3));
      return {
        method: 'POST',
        path: `/api/v1/auctions/${auctionId}/bids`,
        headers: {
          authorization: `Bearer ${tokens[client]}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ amountFen }),
      };
    },
    classify: (sample, client) => {
      const auctionId = target.get(client)!;
      if (sample.status === 201) {
        const body = JSON.parse(sample.body) as { auction: { currentPriceFen: number } };
        known.set(auctionId, Math.max(known.get(auctionId) ?? 0, body.auction.currentPriceFen));
        return 'accepted';
      }
      if (sample.status >= 400 && sample.status < 500) {
        const body = JSON.parse(sample.body) as { code?: string; minimumFen?: number };
        if (body.minimumFen) known.set(auctionId, Math.max(known.get(auctionId) ?? 0, body.minimumFen - INCREMENT_FEN));
        return body.code?.startsWith('AUCTION.') ? `refused:${body.code}` : `error:${sample.status}`;
      }
      return `error:${sample.status}`;
    },
  });
}

function decided(result: LoadResult) {
  let accepted = 0;
  let refused = 0;
  let errors = 0;
  for (const [outcome, count] of result.byOutcome) {
    if (outcome === 'accepted') accepted += count;
    else if (outcome.startsWith('refused:')) refused += count;
    else errors += count;
  }
  return {
    accepted,
    refused,
    errors,
    decidedPerSecond: (accepted + refused) / result.seconds,
    acceptedPerSecond: accepted / result.seconds,
  };
}

/** Raw single-row UPDATE transactions: pgbench when available, else node-postgres. */
async function baseline(databaseUrl: string, rows: number): Promise<{ tps: number; tool: string }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`DROP TABLE IF EXISTS bench_counter`);
  await db.query(`CREATE TABLE bench_counter (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
  await db.query(`INSERT INTO bench_counter (id) SELECT generate_series(1, $1)`, [rows]);
  await db.end();
  if (spawnSync('pgbench', ['--version']).status === 0) {
    const script = join(mkdtempSync(join(tmpdir(), 'bench-')), 'update.sql');
    writeFileSync(script, `\\set id random(1, ${rows})\nUPDATE bench_counter SET n = n + 1 WHERE id = :id;\n`);
    const run = spawnSync(
      'pgbench',
      ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-f', script, databaseUrl],
      {
        encoding: 'utf8',
      },
    );
    const tps = /tps = ([\d.]+)/.exec(run.stdout)?.[1];
    if (tps) return { tps: Number(tps), tool: 'pgbench' };
  }
  const pool = new Pool({ connectionString: databaseUrl, max: CLIENTS });
  let done = 0;
  const stopAt = Date.now() + SECONDS * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < stopAt) {
        await pool.query('UPDATE bench_counter SET n = n + 1 WHERE id = $1', [1 + Math.floor(Math.random() * rows)]);
        done++;
      }
    }),
  );
  await pool.end();
  return { tps: done / ((Date.now() - started) / 1000), tool: 'node-postgres' };
}

/**
 * Runs a bid phase and reports it, with the CPU the api processes and this load generator spent
 * per decided bid: a figure steadier than bids/s on a machine whose speed drifts.
 */
async function phase(name: string, apis: ApiProcess[], load: () => Promise<LoadResult>) {
  const apiCpuBefore = apis.map((a) => a.cpuSeconds());
  const loadCpuBefore = process.cpuUsage();
  const result = await load();
  const apiCpu = apis.reduce((sum, a, i) => sum + a.cpuSeconds() - apiCpuBefore[i], 0);
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const d = decided(result);
  const l = result.latenciesMs;
  const decidedBids = d.accepted + d.refused;
  const perBid = (seconds: number) => fmt((seconds * 1e6) / decidedBids, 0);
  console.log(
    `${name.padEnd(7)} decided ${fmt(d.decidedPerSecond, 0)}/s  accepted ${fmt(d.acceptedPerSecond, 0)}/s  ` +
      `p50 ${fmt(percentile(l, 50), 2)} ms  p99 ${fmt(percentile(l, 99), 2)} ms  ` +
      `(accepted ${d.accepted}, refused ${d.refused}, errors ${d.errors})`,
  );
  console.log(
    `${''.padEnd(7)} CPU per decided bid: api ${perBid(apiCpu)} µs, load generator ` +
      `${perBid((loadCpu.user + loadCpu.system) / 1e6)} µs`,
  );
  return d;
}

async function main() {
  console.log(`bench:bids — ${CLIENTS} concurrent bidders, ${SECONDS} s a phase`);
  const infra = await startInfra('bids');
  // Several api processes share a signing key, as behind a load balancer.
  const jwtSecret = randomBytes(32).toString('hex');
  const apis = await Promise.all(
    Array.from({ length: API_PROCESSES }, () => startApiProcess(infra, { JWT_SECRET: jwtSecret })),
  );
  const api = apis[0];
  const baseUrls = apis.map((a) => a.baseUrl);
  try {
    const { hot, spread, bidders } = await seed(infra.databaseUrl);
    const jwt = new JwtService({ secret: api.jwtSecret });
    const tokens = bidders.map((b) =>
      jwt.sign({ sub: b.userId, org: b.organizationId, roles: ['buyer'] }, { algorithm: 'HS256', expiresIn: 3600 }),
    );

    // A short warm-up on the spread auctions (JIT, connections, caches).
    await runLoad({
      baseUrl: api.baseUrl,
      clients: 8,
      seconds: 2,
      next: () => ({ method: 'GET', path: '/api/v1/health' }),
      classify: () => 'ok',
    });

    // Each baseline runs right after its bid phase: this machine's speed drifts over a minute, and
    // a ratio is only fair between figures taken under the same conditions.
    const hotResult = await phase('hot', apis, () => bidLoad(baseUrls, tokens, () => hot));
    const hotBase = await baseline(infra.databaseUrl, 1);
    console.log(
      `baseline hot    ${fmt(hotBase.tps, 0)} single-row UPDATE transactions/s (${hotBase.tool}, ${CLIENTS} clients, 1 row)`,
    );
    const spreadResult = await phase('spread', apis, () =>
      bidLoad(baseUrls, tokens, () => spread[Math.floor(Math.random() * spread.length)]),
    );
    const spreadBase = await baseline(infra.databaseUrl, SPREAD_AUCTIONS);
    console.log(
      `baseline spread ${fmt(spreadBase.tps, 0)} single-row UPDATE transactions/s (${spreadBase.tool}, ${CLIENTS} clients, ${SPREAD_AUCTIONS} rows)`,
    );

    const [{ rows }] = await (async () => {
      const db = new Client({ connectionString: infra.databaseUrl });
      await db.connect();
      const r = await db.query(
        `SELECT count(*)::int AS rows FROM auction a WHERE a.id = $1 AND a.current_price_fen = (SELECT max(amount_fen) FROM auction_bid b WHERE b.auction_id = a.id AND b.accepted)`,
        [hot],
      );
      await db.end();
      return r.rows as { rows: number }[];
    })();
    console.log(`check   hot auction's price equals its highest accepted bid: ${rows === 1 ? 'yes' : 'NO'}`);

    const hotRatio = hotResult.decidedPerSecond / hotBase.tps;
    const spreadRatio = spreadResult.decidedPerSecond / spreadBase.tps;
    console.log(
      `ratio   hot    decided bids/s ÷ baseline TPS = ${fmt(hotRatio, 2)}  (target ≥ 1.00: ${hotRatio >= 1 ? 'PASS' : 'FAIL'})`,
    );
    console.log(
      `ratio   spread decided bids/s ÷ baseline TPS = ${fmt(spreadRatio, 2)}  (target ≥ 0.25: ${spreadRatio >= 0.25 ? 'PASS' : 'FAIL'})`,
    );
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
