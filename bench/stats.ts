/**
 * `npm run bench:stats`: the statistics of registered contracts against the health check, at
 * 1,000,000 registered contracts.
 *
 * Unless DATABASE_URL and REDIS_URL are set, starts an embedded PostgreSQL and a redis-server in a
 * temporary folder. Creates a fresh database, migrates it, and seeds in SQL what a million
 * registrations over three years would have left: the statistics context's own copy of each
 * contract (`stats_contract`, with its facts) and the daily and monthly rollups of every breakdown,
 * built from the same rows (the ledger keeps them event by event; a million jobs would measure the
 * queue, not the statistics), and thirty demonstration counties. Then it starts the real api as its
 * own process and drives a fixed mix of `GET /api/v1/stats/contracts` queries — every `groupBy`
 * over a whole year and over a range that starts and ends inside months, county level among them,
 * a breakdown per month, a range inside one month — and the counties' ranking, from 16 concurrent
 * keep-alive clients, in windows that alternate with `GET /api/v1/health` on the same api so that the
 * machine's drift weighs on both alike — first as served (each api process keeps an answer until a
 * contract event changes the figures, STATS_CACHE_ENTRIES), then cold (STATS_CACHE_ENTRIES=0: every
 * request reads the rollups). It prints p50 and p95 of each, their ratios and one line per target
 * (`name = value (target …)`; the targets are on the mix as served, the cold ratios are shown). A
 * county's annual report (admins) is measured apart and printed without a target. Everything it started is stopped at the end, also on failure or Ctrl-C.
 */
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GROUP_BY_VALUES } from '@market/stats';
import { BenchRun, fmt, HUNAN_PREFECTURES, percentile, runLoad, say, startApiProcess, startInfra } from './support';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 1_000_000);
const CLIENTS = 16;
const TARGET_RATIO = 3;
const ROUNDS = 4;
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 3);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
/** Registrations spread over these three years. */
const FIRST_DAY = '2024-01-01';
const DAYS = 1096;

const run = new BenchRun();

/** Hunan's fourteen prefectures, twelve county-level codes each: where sellers and most buyers are. */
const COUNTY_SUFFIXES = ['02', '03', '04', '05', '11', '12', '21', '22', '23', '24', '81', '82'];
const HUNAN_COUNTIES = HUNAN_PREFECTURES.flatMap((p) => COUNTY_SUFFIXES.map((s) => `${p}${s}`));
/** Buyers elsewhere: technology absorbed outside the province. */
const OTHER_REGIONS = [
  '110108',
  '310115',
  '320106',
  '330106',
  '420106',
  '440305',
  '440106',
  '510107',
  '500106',
  '610113',
];
const DEMONSTRATION_COUNTIES = HUNAN_COUNTIES.filter((_, i) => i % 5 === 2).slice(0, 30);

/** The fixed mix: every breakdown over 2025 and over 17 March – 8 November 2025, and a few more shapes. */
function statsPaths(): string[] {
  const query = (params: Record<string, string>) => `/api/v1/stats/contracts?${new URLSearchParams(params)}`;
  return [
    ...GROUP_BY_VALUES.map((groupBy) => query({ groupBy, from: '2025-01-01', to: '2025-12-31' })),
    ...GROUP_BY_VALUES.map((groupBy) => query({ groupBy, from: '2025-03-17', to: '2025-11-08' })),
    query({ groupBy: 'contractType,month', from: '2024-06-10', to: '2025-06-20' }),
    query({ groupBy: 'sellerCounty,month', from: '2026-02-03', to: '2026-04-27' }),
    query({ groupBy: 'buyerCounty', from: '2026-05-05', to: '2026-05-25' }),
    query({ groupBy: 'technicalField', from: '2024-01-01', to: '2026-12-31' }),
    '/api/v1/stats/counties/ranking?year=2025',
  ];
}

async function main(): Promise<void> {
  run.infra = await startInfra('stats');
  run.stopOnSignals();
  say('PostgreSQL and Redis ready, schema migrated');
  const seedStart = process.hrtime.bigint();
  await seed(run.infra.databaseUrl);
  const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;
  say(`seeded ${CONTRACTS.toLocaleString('en')} registered contracts and their rollups in ${seedSeconds.toFixed(1)} s`);

  run.api = await startApiProcess(run.infra, { DATABASE_POOL_SIZE: '10' });
  const base = run.api.baseUrl;
  say(`api up at ${base}`);
  const paths = statsPaths();
  await checkPaths(base, paths);

  const served = await alternating(base, paths, 'served');
  // A county's annual report, for an admin: apart, without a target (it lists the county's contracts).
  const jwt = new JwtService({ secret: run.api.jwtSecret });
  const adminToken = jwt.sign(
    { sub: randomUUID(), org: randomUUID(), roles: ['admin'] },
    { algorithm: 'HS256', expiresIn: 3600 },
  );
  let county = 0;
  const report = await runLoad({
    baseUrl: base,
    clients: CLIENTS,
    seconds: WINDOW_SECONDS,
    next: () => ({
      method: 'GET',
      path: `/api/v1/stats/counties/${DEMONSTRATION_COUNTIES[county++ % DEMONSTRATION_COUNTIES.length]}/report?year=2025`,
      headers: { authorization: `Bearer ${adminToken}` },
    }),
    classify: (sample) => (sample.status === 200 ? 'ok' : `status ${sample.status}`),
  });
  const reportErrors = [...report.byOutcome].filter(([o]) => o !== 'ok').reduce((n, [, c]) => n + c, 0);

  // The same mix on an api that keeps no answer (STATS_CACHE_ENTRIES=0): every request reads the rollups.
  await run.api.stop();
  run.api = await startApiProcess(run.infra, { DATABASE_POOL_SIZE: '10', STATS_CACHE_ENTRIES: '0' });
  say(`api keeping no answer up at ${run.api.baseUrl}`);
  const cold = await alternating(run.api.baseUrl, paths, 'cold');

  const p = (pool: { latencies: number[] }, q: number) => percentile(pool.latencies, q);
  const { stats, health } = served;
  const ratio95 = p(stats, 95) / p(health, 95);
  const ratio50 = p(stats, 50) / p(health, 50);
  const errors = stats.errors + health.errors + cold.stats.errors + cold.health.errors;
  say('');
  say(
    `${CONTRACTS.toLocaleString('en')} contracts seeded in ${seedSeconds.toFixed(1)} s; ${CLIENTS} clients; ` +
      `${paths.length} statistics queries in the mix; ${ROUNDS} × ${WINDOW_SECONDS} s per phase`,
  );
  say(
    `${'phase'.padEnd(8)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'errors'.padStart(7)}`,
  );
  for (const [name, pool] of [
    ['stats', stats],
    ['health', health],
    ['cold', cold.stats],
    ['health*', cold.health],
  ] as const) {
    say(
      `${name.padEnd(8)} ${fmt(pool.requests / pool.seconds, 0).padStart(8)} ${fmt(p(pool, 50), 2).padStart(8)} ` +
        `${fmt(p(pool, 95), 2).padStart(8)} ${String(pool.errors).padStart(7)}`,
    );
  }
  say(
    `county report (admin, not in the mix): ${fmt(report.perSecond, 0)} req/s, p50 ${fmt(percentile(report.latenciesMs, 50), 2)} ms, ` +
      `p95 ${fmt(percentile(report.latenciesMs, 95), 2)} ms, errors ${reportErrors}`,
  );
  say(`contracts = ${CONTRACTS} (target ≥ 1000000)`);
  say(
    `stats p50 ms = ${fmt(p(stats, 50), 2)} (target within ${TARGET_RATIO}× health p50 ms = ${fmt(p(health, 50), 2)})`,
  );
  say(
    `stats p95 ms = ${fmt(p(stats, 95), 2)} (target within ${TARGET_RATIO}× health p95 ms = ${fmt(p(health, 95), 2)})`,
  );
  say(`stats p50 / health p50 = ${ratio50.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  say(`stats p95 / health p95 = ${ratio95.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  say(
    `cold p50 / health* p50 = ${(p(cold.stats, 50) / p(cold.health, 50)).toFixed(2)}, ` +
      `cold p95 / health* p95 = ${(p(cold.stats, 95) / p(cold.health, 95)).toFixed(2)} ` +
      `(no answer kept: every request reads the rollups; shown, not a target)`,
  );
  say(`errors = ${errors} (target 0)`);
  const pass = CONTRACTS >= 1_000_000 && ratio50 <= TARGET_RATIO && ratio95 <= TARGET_RATIO && errors === 0;
  say(pass ? 'PASS' : 'FAIL');
  await run.stop(pass ? 0 : 1);
}

interface Pool {
  latencies: number[];
  errors: number;
  requests: number;
  seconds: number;
}

/**
 * The statistics mix and health checks in turns on one api: a warm-up of each, then ROUNDS windows
 * of each, the figures of each pooled over its windows.
 */
async function alternating(base: string, paths: string[], name: string): Promise<{ stats: Pool; health: Pool }> {
  let next = 0;
  const stats: Pool = { latencies: [], errors: 0, requests: 0, seconds: 0 };
  const health: Pool = { latencies: [], errors: 0, requests: 0, seconds: 0 };
  const load = (seconds: number, path: () => string) =>
    runLoad({
      baseUrl: base,
      clients: CLIENTS,
      seconds,
      next: () => ({ method: 'GET', path: path() }),
      classify: (sample) => (sample.status === 200 ? 'ok' : `status ${sample.status}`),
    });
  const statsPath = () => paths[next++ % paths.length];
  const healthPath = () => '/api/v1/health';
  say(
    `${name}: warm-up ${WARM_UP_SECONDS} s of each, then ${ROUNDS} rounds of ${WINDOW_SECONDS} s of the mix and of health checks`,
  );
  await load(WARM_UP_SECONDS, statsPath);
  await load(WARM_UP_SECONDS, healthPath);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [pool, path] of [
      [stats, statsPath],
      [health, healthPath],
    ] as const) {
      const result = await load(WINDOW_SECONDS, path);
      pool.latencies.push(...result.latenciesMs);
      pool.requests += result.requests;
      pool.seconds += result.seconds;
      for (const [outcome, count] of result.byOutcome) if (outcome !== 'ok') pool.errors += count;
    }
  }
  for (const pool of [stats, health]) pool.latencies.sort((a, b) => a - b);
  return { stats, health };
}

/**
 * The contracts in an unlogged scratch table (seeded random: the same market every run), then
 * `stats_contract` with each contract's facts, the daily rollup of every breakdown from the same rows
 * (the keys `keysOf` gives), the monthly one from the daily, the demonstration counties, and what
 * autovacuum and the checkpointer would have done by the time such a market is queried.
 */
async function seed(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t0 = Date.now();
    await client.query(sql, params);
    say(`  ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  try {
    await client.query(`SELECT setseed(0.2026)`);
    await step(
      'contracts drawn',
      `CREATE UNLOGGED TABLE bench_contract AS
       SELECT gen_random_uuid() AS id, n,
              (DATE '${FIRST_DAY}' + floor(random() * ${DAYS})::int) AS day,
              (ARRAY['development','transfer','license','consulting','service'])[1 + floor(random() * 5)::int] AS contract_type,
              (ARRAY['high_end_equipment','new_materials','next_gen_it','new_energy','modern_agriculture',
                     'population_health','resources_environment','cultural_creative','public_safety','modern_services'])
                [1 + floor(random() * 10)::int] AS field,
              (ARRAY['enterprise','enterprise','university','research_institute','other_public_institution','individual'])
                [1 + floor(random() * 6)::int] AS seller_kind,
              (ARRAY['enterprise','enterprise','enterprise','university','research_institute','other'])
                [1 + floor(random() * 6)::int] AS buyer_kind,
              (ARRAY['invention_patent','invention_patent','utility_model','design','software_copyright','know_how',
                     'plant_variety','ic_layout','none','none'])[1 + floor(random() * 10)::int] AS ip,
              ($1::text[])[1 + floor(random() * array_length($1::text[], 1))::int] AS seller_region,
              CASE WHEN random() < 0.15 THEN ($2::text[])[1 + floor(random() * array_length($2::text[], 1))::int]
                   ELSE ($1::text[])[1 + floor(random() * array_length($1::text[], 1))::int] END AS buyer_region,
              (10000000 + floor(random() * random() * 2000000000))::bigint AS total
         FROM generate_series(1, ${CONTRACTS}) AS n`,
      [HUNAN_COUNTIES, OTHER_REGIONS],
    );
    await step(
      'stats_contract filled',
      `INSERT INTO stats_contract (contract_id, counted, version, registered_on, seller_region_code, buyer_region_code, facts)
       SELECT id, true, 1, day, seller_region, buyer_region,
              jsonb_build_object(
                'contractId', id, 'version', 1, 'registrationNumber', '', 'registeredOn', day,
                'contractType', contract_type, 'subKind', NULL, 'technicalField', field,
                'projectName', '技术合同 ' || n, 'listingId', CASE WHEN n % 3 = 0 THEN id END,
                'seller', jsonb_build_object('organizationId', md5('s' || seller_region || (n % 40))::uuid,
                  'name', '卖方机构 ' || seller_region || '-' || (n % 40), 'kind', seller_kind, 'regionCode', seller_region),
                'buyer', jsonb_build_object('organizationId', md5('b' || buyer_region || (n % 60))::uuid,
                  'name', '买方企业 ' || buyer_region || '-' || (n % 60), 'kind', buyer_kind, 'regionCode', buyer_region),
                'broker', CASE WHEN n % 4 = 0 THEN jsonb_build_object('organizationId', md5('k' || (n % 25))::uuid,
                  'name', '技术转移机构 ' || (n % 25)) END,
                'totalAmountFen', total, 'technologyAmountFen', total - total / 5 * (n % 3),
                'ipKinds', CASE WHEN ip = 'none' THEN '[]'::jsonb ELSE jsonb_build_array(ip) END)
         FROM bench_contract`,
    );
    await step(
      'daily rollups built',
      `INSERT INTO stats_daily (dimension, day, key, contracts, total_amount_fen, technology_amount_fen)
       SELECT k.dimension, c.day, k.key, count(*), sum(c.total), sum(c.total - c.total / 5 * (c.n % 3))
         FROM bench_contract c
        CROSS JOIN LATERAL (VALUES
          ('all', ''), ('contract_type', c.contract_type), ('technical_field', c.field),
          ('seller_kind', c.seller_kind), ('buyer_kind', c.buyer_kind), ('ip_kind', c.ip),
          ('seller_province', left(c.seller_region, 2) || '0000'), ('seller_city', left(c.seller_region, 4) || '00'),
          ('seller_county', c.seller_region),
          ('buyer_province', left(c.buyer_region, 2) || '0000'), ('buyer_city', left(c.buyer_region, 4) || '00'),
          ('buyer_county', c.buyer_region)) AS k (dimension, key)
        GROUP BY 1, 2, 3`,
    );
    await step(
      'monthly rollups built',
      `INSERT INTO stats_monthly (dimension, month, key, contracts, total_amount_fen, technology_amount_fen)
       SELECT dimension, date_trunc('month', day)::date, key, sum(contracts), sum(total_amount_fen), sum(technology_amount_fen)
         FROM stats_daily GROUP BY 1, 2, 3`,
    );
    await client.query(
      `INSERT INTO demonstration_county (region_code, name, construction_start_year, featured_industries, designated_by)
       SELECT code, '示范县 ' || code, 2024 + (i % 3), '[{"name": "新材料", "technicalField": "new_materials"}]'::jsonb, $2
         FROM unnest($1::text[]) WITH ORDINALITY AS t (code, i)`,
      [DEMONSTRATION_COUNTIES, randomUUID()],
    );
    await client.query('DROP TABLE bench_contract');
    await step('vacuum analyze', 'VACUUM ANALYZE stats_contract, stats_daily, stats_monthly, demonstration_county');
    await client.query('CHECKPOINT').catch(() => undefined);
  } finally {
    await client.end();
  }
}

/** Every query answers 200 with figures, and the totals are the contracts seeded, or the figures would measure the wrong thing. */
async function checkPaths(base: string, paths: string[]): Promise<void> {
  const all = await fetch(`${base}/api/v1/stats/contracts?groupBy=month&from=2024-01-01&to=2026-12-31`);
  const body = (await all.json()) as { totals: { contracts: number } };
  if (body.totals.contracts !== CONTRACTS) {
    throw new Error(`the three years count ${body.totals.contracts} contracts, not ${CONTRACTS}`);
  }
  const slowest: string[] = [];
  for (const path of paths) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const answer = await fetch(`${base}${path}`);
      const text = await answer.text();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 300)}`);
      rows = (JSON.parse(text) as { rows: unknown[] }).rows.length;
      if (rows === 0) throw new Error(`${path} has no rows`);
    }
    times.sort((a, b) => a - b);
    slowest.push(`${path.replace('/api/v1/stats/', '')} ${rows} rows ${times[2].toFixed(1)} ms`);
  }
  say(`queries (rows, median of 5 alone): ${slowest.join('; ')}`);
}

run.start(main);
