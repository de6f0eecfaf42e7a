/**
 * `npm run bench:search`: listing search against the health check, at 100,000 listings.
 *
 * Unless DATABASE_URL and REDIS_URL are set, starts an embedded PostgreSQL and a redis-server in a
 * temporary folder. Creates a fresh database, migrates it, seeds realistic listings (Chinese and
 * English titles and summaries, patent numbers) in bulk, starts the real api as its own process,
 * then drives keyword searches and `GET /api/v1/health` from 16 concurrent keep-alive clients and
 * prints requests/s, p50 and p95 of each, and one line per target (`name = value (target …)`). The
 * keyword searches repeat a set of popular queries, as buyers do, so most are answered from pages
 * the api keeps until a listing changes; the "cold" phase runs the same queries against an api that
 * keeps no page (SEARCH_CACHE_ENTRIES=0), each made new as well, to show what a first-time search
 * costs: its p95 must also be within 4× of the health check's, measured in windows that alternate
 * with health checks on the same api, so that the machine's drift weighs on both alike
 * (docs/listing-search.md).
 * Everything it started is stopped at the end, also on failure or Ctrl-C.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Client } from 'pg';
import { buildUscc, OrganizationKind } from '@market/identity';
import { ListingStatus, MAX_PRICE_FEN } from '@market/listing';
import { generateListing, LISTING_INSERT_COLUMNS, listingRow, seededRandom } from '../tools/listing-generator';
import { startRedisServer } from '@market/dev-infra';
import { BenchInfra, BenchRun, percentile, say, startApiProcess, startInfra } from './support';

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 100_000);
const CLIENTS = 16;
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_MS ?? 4_000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 12_000);
const TARGET_RATIO = 4;
/** Windows of each phase when two take turns (cold searches and health checks). */
const ALTERNATING_ROUNDS = 4;
const BATCH = 1_000;
const DAY_MS = 24 * 3600 * 1000;

const run = new BenchRun();

/** Seller organizations: universities, institutes and companies across Hunan. */
const SELLERS: { name: string; kind: OrganizationKind; region: string; authority: string }[] = [
  { name: '中南大学', kind: OrganizationKind.University, region: '430104', authority: '12' },
  { name: '湖南大学', kind: OrganizationKind.University, region: '430104', authority: '12' },
  { name: '湘潭大学', kind: OrganizationKind.University, region: '430302', authority: '12' },
  { name: '湖南农业大学', kind: OrganizationKind.University, region: '430102', authority: '12' },
  { name: '长沙理工大学', kind: OrganizationKind.University, region: '430111', authority: '12' },
  { name: '湖南省农业科学院', kind: OrganizationKind.Institute, region: '430111', authority: '12' },
  { name: '湖南省林业科学院', kind: OrganizationKind.Institute, region: '430102', authority: '12' },
  { name: '中国电子科技集团第四十八研究所', kind: OrganizationKind.Institute, region: '430111', authority: '12' },
  { name: '株洲新材科技有限公司', kind: OrganizationKind.Enterprise, region: '430211', authority: '91' },
  { name: '衡阳智能装备有限公司', kind: OrganizationKind.Enterprise, region: '430405', authority: '91' },
  { name: '岳阳绿色化工有限公司', kind: OrganizationKind.Enterprise, region: '430602', authority: '91' },
  { name: '常德生物医药有限公司', kind: OrganizationKind.Enterprise, region: '430702', authority: '91' },
];

/**
 * What buyers type: Chinese terms of two, three and four or more characters and English words
 * from the generated vocabulary, a patent number, and terms combined with filters.
 */
function searchQueries(patentNumbers: string[]): Record<string, string>[] {
  const plain = [
    '电池',
    '水稻',
    '机床',
    '监测',
    '修复',
    '锂电池',
    '机器人',
    '石墨烯',
    '减速器',
    '正极材料',
    '数控机床',
    '液体活检',
    '重金属污染土壤',
    '边缘计算网关',
    'battery',
    'cathode',
    'rice',
    'graphene',
    'Monitoring',
    'robot reducer',
  ].map((q) => ({ q }));
  const filtered = [
    { q: '电池', field: 'new_energy' },
    { q: '水稻', region: '430100' },
    { q: 'battery', minPriceFen: '10000000', maxPriceFen: '50000000' },
    { q: '数控机床', region: '430000', maturity: 'industrialized' },
    { q: '茶叶', pricingMode: 'negotiated' },
  ];
  const patents = patentNumbers.flatMap((n, i) => [{ q: i % 2 ? n.slice(2) : n }]);
  return [...plain, ...filtered, ...patents];
}

async function main(): Promise<void> {
  // BENCH_SEEDED_DATABASE_URL: a database this bench seeded before, used as it is (no migration, no
  // seeding), with a redis-server of its own: for measuring a change of the api again and again.
  const reuse = process.env.BENCH_SEEDED_DATABASE_URL;
  run.infra = reuse ? await seededInfra(reuse) : await startInfra('search');
  run.stopOnSignals();
  const { databaseUrl } = run.infra;
  say('PostgreSQL and Redis ready, schema migrated');

  const seedStart = process.hrtime.bigint();
  const seeded = reuse ? await seededFacts(databaseUrl) : await seed(databaseUrl);
  const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;
  say(
    `seeded ${seeded.total.toLocaleString('en')} listings (${seeded.searchable.toLocaleString('en')} searchable) in ${seedSeconds.toFixed(1)} s`,
  );

  run.api = await startApiProcess(run.infra, { DATABASE_POOL_SIZE: '10' });
  let base = run.api.baseUrl;
  say(`api up at ${base}`);

  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const queries = searchQueries(seeded.patentNumbers);
  const paths = queries.map((query) => `/api/v1/listings?${new URLSearchParams(query)}`);
  await checkQueries(agent, base, queries, paths);

  const search = await phase('search', agent, base, (n) => paths[n % paths.length]);
  const health = await phase('health', agent, base, () => '/api/v1/health');

  // The same queries against an api that keeps no page (SEARCH_CACHE_ENTRIES=0), each also made
  // new with a price ceiling above every price: every request is a search in PostgreSQL.
  await run.api.stop();
  run.api = await startApiProcess(run.infra, { DATABASE_POOL_SIZE: '10', SEARCH_CACHE_ENTRIES: '0' });
  base = run.api.baseUrl;
  say(`api keeping no search page up at ${base}`);
  const coldPaths = queries.map((query) => new URLSearchParams(query));
  const coldPath = (n: number) => {
    const params = new URLSearchParams(coldPaths[n % coldPaths.length]);
    params.set('maxPriceFen', String(MAX_PRICE_FEN - n));
    return `/api/v1/listings?${params}`;
  };
  // Cold searches and health checks take turns on this api, a few seconds each, so a drift in the
  // machine's speed (other work on its two cores) weighs on both alike rather than on one phase.
  const [cold, coldHealth] = await alternating(
    agent,
    base,
    { name: 'cold', pathAt: coldPath, keyOf: (n) => n % coldPaths.length },
    { name: 'health*', pathAt: () => '/api/v1/health' },
  );
  // Which of the cold queries cost most: the slowest set the phase's p95.
  const perQuery = cold.byKey
    .map((latencies, i) => ({ query: Object.values(queries[i]).join(' '), p95: percentile(latencies, 95) }))
    .sort((a, b) => b.p95 - a.p95);
  say(`cold p95 per query, slowest first: ${perQuery.map((q) => `${q.query} ${q.p95.toFixed(1)}`).join(', ')}`);
  agent.destroy();

  const ratio = search.p95 / health.p95;
  const coldRatio = cold.p95 / coldHealth.p95;
  say('');
  say(
    `listings seeded: ${seeded.total.toLocaleString('en')} in ${seedSeconds.toFixed(1)} s; ${CLIENTS} clients; ${MEASURE_MS / 1000} s per phase`,
  );
  say(
    `${'phase'.padEnd(8)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'errors'.padStart(7)}`,
  );
  for (const result of [search, health, cold, coldHealth]) {
    say(
      `${result.name.padEnd(8)} ${result.rate.toFixed(0).padStart(8)} ${result.p50.toFixed(2).padStart(8)} ` +
        `${result.p95.toFixed(2).padStart(8)} ${String(result.errors).padStart(7)}`,
    );
  }
  const errors = search.errors + cold.errors + health.errors + coldHealth.errors;
  const pass = ratio <= TARGET_RATIO && coldRatio <= TARGET_RATIO && errors === 0;
  say(`search p95 / health p95 = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
  say(
    `cold p95 / health p95 = ${coldRatio.toFixed(2)} (target ≤ ${TARGET_RATIO}; cold p95 ${cold.p95.toFixed(2)} ms, ` +
      `health* p95 ${coldHealth.p95.toFixed(2)} ms in alternating windows on the same api; no page kept)`,
  );
  say(`errors = ${errors} (target 0)`);
  say(pass ? 'PASS' : 'FAIL');
  await run.stop(pass ? 0 : 1);
}

/** A database seeded by an earlier run, and a redis-server of this run's own. */
async function seededInfra(databaseUrl: string): Promise<BenchInfra> {
  const redis = await startRedisServer();
  return { databaseUrl, redisUrl: redis.url, stop: () => redis.stop() };
}

/** What `seed` would have returned for a database it seeded before. */
async function seededFacts(
  databaseUrl: string,
): Promise<{ total: number; searchable: number; patentNumbers: string[] }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [{ total, searchable }] = (
      await client.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('announced', 'open'))::int AS searchable FROM listing`,
      )
    ).rows;
    const numbers = await client.query(
      `SELECT ip_items->0->>'number' AS number FROM listing
        WHERE status IN ('announced', 'open') AND ip_items->0->>'number' LIKE 'ZL%' ORDER BY id LIMIT 5`,
    );
    return { total, searchable, patentNumbers: numbers.rows.map((r: { number: string }) => r.number) };
  } finally {
    await client.end();
  }
}

/** Organizations with a seller each, then the listings in multi-row INSERTs, then VACUUM ANALYZE and a checkpoint. */
async function seed(databaseUrl: string): Promise<{ total: number; searchable: number; patentNumbers: string[] }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sellers: { organizationId: string; name: string; userId: string }[] = [];
    for (const [i, org] of SELLERS.entries()) {
      const organizationId = randomUUID();
      const userId = randomUUID();
      const uscc = buildUscc(org.authority, org.region, `MB${String(7100 + i).padStart(6, '0')}`);
      await client.query(
        `INSERT INTO organization (id, name, uscc, region_code, kind, verified_at) VALUES ($1, $2, $3, $4, $5, now())`,
        [organizationId, org.name, uscc, org.region, org.kind],
      );
      await client.query(
        `INSERT INTO app_user (id, email, password_hash, display_name, organization_id, roles)
         VALUES ($1, $2, 'not-a-login', $3, $4, ARRAY['seller'])`,
        [userId, `seller${i}@bench.xiaoxiang.market`, `${org.name} 成果转化`, organizationId],
      );
      sellers.push({ organizationId, name: org.name, userId });
    }

    const random = seededRandom(20_260_101);
    const now = Date.now();
    const patentNumbers: string[] = [];
    let searchable = 0;
    const width = LISTING_INSERT_COLUMNS.length;
    for (let start = 0; start < LISTINGS; start += BATCH) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let serial = start; serial < Math.min(start + BATCH, LISTINGS); serial++) {
        const listing = generateListing(random, serial);
        const roll = random();
        const status = roll < 0.06 ? ListingStatus.Draft : roll < 0.3 ? ListingStatus.Announced : ListingStatus.Open;
        if (status !== ListingStatus.Draft) searchable++;
        // Announced within the last two weeks; open ones over the last two years.
        const ageDays = status === ListingStatus.Announced ? random() * 14 : 15 + random() * 715;
        const seller = sellers[Math.floor(random() * sellers.length)];
        const row = listingRow(listing, seller, status, new Date(now - ageDays * DAY_MS));
        tuples.push(`(${row.map((_, n) => `$${values.length + n + 1}`).join(', ')})`);
        values.push(...row);
        if (status !== ListingStatus.Draft && serial % 20_011 === 7 && listing.ipItems[0].number) {
          patentNumbers.push(listing.ipItems[0].number);
        }
      }
      if (values.length / width !== tuples.length) throw new Error('row width does not match the column list');
      await client.query(
        `INSERT INTO listing (${LISTING_INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
    // What autovacuum and the checkpointer would have done by the time such a market is searched
    // (listing_search, filled by its trigger, included), rather than doing it during the measurement.
    await client.query('VACUUM ANALYZE listing, listing_search');
    // CHECKPOINT needs a superuser or pg_checkpoint; without them the checkpointer keeps its own time.
    await client.query('CHECKPOINT').catch(() => undefined);
    return { total: LISTINGS, searchable, patentNumbers };
  } finally {
    await client.end();
  }
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function get(agent: Agent, base: string, path: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const begin = process.hrtime.bigint();
    const req = request(`${base}${path}`, { agent, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - begin) / 1e6,
        }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Every query answers 200 and finds something, or the figures would measure the wrong thing. */
async function checkQueries(agent: Agent, base: string, queries: Record<string, string>[], paths: string[]) {
  const totals: string[] = [];
  for (const [i, path] of paths.entries()) {
    const answer = await get(agent, base, path);
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    const total = (JSON.parse(answer.body) as { total: number }).total;
    if (total === 0) throw new Error(`${path} found nothing`);
    totals.push(`${Object.values(queries[i]).join(' ')} (${total})`);
  }
  say(`search queries and their totals: ${totals.join(', ')}`);
}

interface PhaseResult {
  name: string;
  rate: number;
  p50: number;
  p95: number;
  errors: number;
  /** The measured latencies of each query, when the phase was given `keyOf`. */
  byKey: number[][];
}

interface PhaseSpec {
  name: string;
  pathAt: (n: number) => string;
  keyOf?: (n: number) => number;
}

/** 16 closed loops, the nth request of the phase to `pathAt(n)`: a warm-up, then the measured window. */
function phase(
  name: string,
  agent: Agent,
  base: string,
  pathAt: (n: number) => string,
  keyOf?: (n: number) => number,
): Promise<PhaseResult> {
  say(`${name}: ${WARM_UP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured`);
  const samples = new Samples({ name, pathAt, keyOf });
  return measure(agent, base, samples, WARM_UP_MS, MEASURE_MS).then(() => samples.result());
}

/**
 * Two phases in turns on one api: a warm-up of each, then ALTERNATING_ROUNDS rounds of a window of
 * each, the figures of each phase pooled over its windows (as much measured time as `phase`).
 */
async function alternating(
  agent: Agent,
  base: string,
  a: PhaseSpec,
  b: PhaseSpec,
): Promise<[PhaseResult, PhaseResult]> {
  const window = MEASURE_MS / ALTERNATING_ROUNDS;
  say(`${a.name} and ${b.name} in turns: ${ALTERNATING_ROUNDS} windows of ${window / 1000} s each, after a warm-up`);
  const samples = [new Samples(a), new Samples(b)];
  for (const s of samples) await measure(agent, base, s, WARM_UP_MS / 2, 0);
  for (let round = 0; round < ALTERNATING_ROUNDS; round++) {
    // Each window starts with a short unmeasured moment, as the first requests after a switch meet other code paths.
    for (const s of samples) await measure(agent, base, s, 200, window);
  }
  return [samples[0].result(), samples[1].result()];
}

/** The latencies of one phase, gathered over one or more measured windows. */
class Samples {
  readonly latencies: number[] = [];
  readonly byKey: number[][] = [];
  errors = 0;
  seconds = 0;
  next = 0;
  constructor(readonly spec: PhaseSpec) {}

  result(): PhaseResult {
    const latencies = [...this.latencies].sort((x, y) => x - y);
    for (const list of this.byKey) list?.sort((x, y) => x - y);
    return {
      name: this.spec.name,
      rate: latencies.length / this.seconds,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      errors: this.errors,
      byKey: Array.from(this.byKey, (list) => list ?? []),
    };
  }
}

/** CLIENTS closed loops for `warmUpMs` (not kept), then `measureMs` whose answers `samples` keeps. */
async function measure(agent: Agent, base: string, samples: Samples, warmUpMs: number, measureMs: number) {
  const { pathAt, keyOf } = samples.spec;
  let measuring = false;
  const warmUpEnds = Date.now() + warmUpMs;
  const ends = warmUpEnds + measureMs;
  let measureStart = 0n;
  const loop = async () => {
    while (Date.now() < ends) {
      const n = samples.next++;
      let answer: Answer;
      try {
        answer = await get(agent, base, pathAt(n));
      } catch {
        if (measuring) samples.errors++;
        continue;
      }
      if (!measuring && measureMs > 0 && Date.now() >= warmUpEnds) {
        measuring = true;
        measureStart = process.hrtime.bigint();
      }
      if (measuring) {
        samples.latencies.push(answer.ms);
        if (keyOf) (samples.byKey[keyOf(n)] ??= []).push(answer.ms);
        if (answer.status < 200 || answer.status >= 300) samples.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, loop));
  if (measuring) samples.seconds += Number(process.hrtime.bigint() - measureStart) / 1e9;
}

run.start(main);
