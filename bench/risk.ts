/**
 * `npm run bench:risk`: precision and recall of the false-contract rules on a labelled population,
 * and applications screened per second.
 *
 * For each seed (BENCH_SEEDS, default 1,2,3) it generates a population (bench/risk-population.ts:
 * thousands of honest contracts, a few hundred of each false pattern, near misses just inside
 * every threshold), then screens the applications in the order they are signed with the
 * thresholds as configured (the RISK_* variables, else their defaults), through ContractScreener —
 * the screening path the registration job runs. The neighbourhood of each application (the
 * parties' earlier contracts, the contracts on its IP numbers, the comparables of its cell, the
 * relations and ratings) comes from an in-memory index of the applications screened before it,
 * standing in for the database reads of the job until the contract context provides them.
 *
 * Prints, per seed, precision and recall for every rule and overall (an application is predicted
 * false when its score reaches RISK_FLAG_SCORE), then one line per target (`name = value (target
 * …)`) with the worst seed's figure.
 */
import { riskSettings, validateEnv } from '@market/config';
import {
  ComparableDeal,
  ContractScreener,
  ContractSummary,
  ContractUnderScreening,
  Neighbourhood,
  OrganizationRelation,
  RatedSubject,
  RISK_RULES,
  RiskRule,
  RiskThresholds,
  summaryOf,
} from '@market/risk';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { GeneratedApplication, generatePopulation, Population } from './risk-population';
import { JobRun, screenThroughJobs } from './risk-jobs';
import { screenThroughWorker, startBenchWorker } from './risk-worker';
import { BenchInfra, startInfra } from './support';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
const SIZE = {
  honest: Number(process.env.BENCH_HONEST ?? 5_000),
  perPattern: Number(process.env.BENCH_PER_PATTERN ?? 200),
  nearMissesPerRule: Number(process.env.BENCH_NEAR_MISSES ?? 100),
};
const TARGET = { recall: 0.95, precision: 0.9, perSecond: 1_000 };
/** `worker` (default): the worker's screening code on PostgreSQL; `memory`: the rules over an in-memory index. */
const PATH = process.env.BENCH_RISK_PATH === 'memory' ? 'memory' : 'worker';

/** The thresholds as configured: the market's environment, with its required settings stubbed. */
function configuredThresholds(): RiskThresholds {
  return riskSettings(
    validateEnv({
      DATABASE_URL: 'postgres://bench@localhost/bench',
      REDIS_URL: 'redis://localhost:6379',
      JWT_SECRET: 'bench'.repeat(8),
      ...process.env,
    }),
  );
}

/** What the job reads from the database, kept in memory: every application screened so far. */
class NeighbourhoodIndex {
  private readonly byOrg = new Map<string, ContractSummary[]>();
  private readonly byIp = new Map<string, ContractSummary[]>();
  private readonly byCell = new Map<string, ComparableDeal[]>();
  private readonly relationsByOrg = new Map<string, OrganizationRelation[]>();
  private readonly ratings = new Map<string, RatedSubject>();

  constructor(population: Population) {
    for (const r of population.relations) {
      for (const id of [r.orgAId, r.orgBId]) this.push(this.relationsByOrg, id, r);
    }
    for (const r of population.ratings) this.ratings.set(`${r.subject}:${r.id}`, r);
  }

  private push<T>(map: Map<string, T[]>, key: string, value: T) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  around(c: ContractUnderScreening): Neighbourhood {
    const seller = this.byOrg.get(c.seller.orgId) ?? [];
    const buyer = (this.byOrg.get(c.buyer.orgId) ?? []).filter(
      (x) => x.sellerOrgId !== c.seller.orgId && x.buyerOrgId !== c.seller.orgId,
    );
    const ipContracts = c.ipItems.flatMap((ip) => (ip.number ? (this.byIp.get(ip.number) ?? []) : []));
    const relations = [
      ...(this.relationsByOrg.get(c.seller.orgId) ?? []),
      ...(this.relationsByOrg.get(c.buyer.orgId) ?? []),
    ];
    const rated = [
      `organization:${c.seller.orgId}`,
      `organization:${c.buyer.orgId}`,
      c.broker ? `broker:${c.broker.brokerId}` : '',
    ]
      .map((key) => this.ratings.get(key))
      .filter((r): r is RatedSubject => r !== undefined);
    return {
      partyContracts: seller.concat(buyer),
      ipContracts,
      comparables: this.byCell.get(`${c.type}|${c.subKind}|${c.technicalField}`) ?? [],
      relations,
      ratings: rated,
    };
  }

  add(c: ContractUnderScreening) {
    const summary = summaryOf(c);
    this.push(this.byOrg, c.seller.orgId, summary);
    this.push(this.byOrg, c.buyer.orgId, summary);
    for (const number of summary.ipNumbers) this.push(this.byIp, number, summary);
    this.push(this.byCell, `${c.type}|${c.subKind}|${c.technicalField}`, {
      contractId: c.contractId,
      number: c.number,
      techAmountFen: c.techAmountFen,
      signedOn: c.signedOn,
    });
  }
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  /** Findings too light to flag on their own (a C rating): shown, not scored. */
  hints: number;
}
const ratio = (x: number, y: number) => (y === 0 ? 1 : x / y);
const precision = (c: Counts) => ratio(c.tp, c.tp + c.fp);
const recall = (c: Counts) => ratio(c.tp, c.tp + c.fn);

interface SeedResult {
  perRule: Map<RiskRule, Counts>;
  overall: Counts;
  screened: number;
  perSecond: number;
  /** Applications per transaction. */
  batchSize: number;
  missedNearMisses: Map<string, number>;
  /** The same population through the contract queue's `contract.submitted` jobs (worker path only). */
  jobs: JobRun | null;
}

interface Screened {
  app: GeneratedApplication;
  fired: Set<RiskRule>;
  hinted: Set<RiskRule>;
  flagged: boolean;
}

function screenInMemory(population: Population, thresholds: RiskThresholds): { results: Screened[]; seconds: number } {
  const screener = new ContractScreener(thresholds);
  const index = new NeighbourhoodIndex(population);
  const results: Screened[] = [];
  const started = process.hrtime.bigint();
  for (const app of population.applications) {
    const result = screener.screen(app.contract, index.around(app.contract));
    index.add(app.contract);
    const heavy = result.findings.filter((f) => f.weight >= thresholds.flagScore);
    const light = result.findings.filter((f) => f.weight < thresholds.flagScore);
    results.push({
      app,
      fired: new Set(heavy.map((f) => f.rule)),
      hinted: new Set(light.map((f) => f.rule)),
      flagged: result.flagged,
    });
  }
  return { results, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function screenInWorker(
  population: Population,
  worker: INestApplicationContext,
  infra: BenchInfra,
  flagScore: number,
): Promise<{ results: Screened[]; seconds: number; batchSize: number }> {
  const admin = new Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  await admin.query('TRUNCATE organization, organization_relation, risk_contract, risk_finding, credit_event CASCADE');
  await admin.end();
  const run = await screenThroughWorker(worker, infra, population);
  const results = population.applications.map((app) => {
    const weights = [...(run.fired.get(app.contract.contractId) ?? new Map<RiskRule, number>())];
    return {
      app,
      fired: new Set(weights.filter(([, w]) => w >= flagScore).map(([rule]) => rule)),
      hinted: new Set(weights.filter(([, w]) => w < flagScore).map(([rule]) => rule)),
      flagged: run.flagged.get(app.contract.contractId) ?? false,
    };
  });
  return { results, seconds: run.seconds, batchSize: run.batchSize };
}

async function runSeed(
  seed: number,
  thresholds: RiskThresholds,
  worker?: { app: INestApplicationContext; infra: BenchInfra },
): Promise<SeedResult> {
  const population = generatePopulation(seed, thresholds, SIZE);
  const {
    results: screened,
    seconds,
    batchSize,
  } = worker
    ? await screenInWorker(population, worker.app, worker.infra, thresholds.flagScore)
    : { ...screenInMemory(population, thresholds), batchSize: 1 };
  const results = screened;
  const perRule = new Map<RiskRule, Counts>(RISK_RULES.map((r) => [r, { tp: 0, fp: 0, fn: 0, hints: 0 }]));
  const overall: Counts = { tp: 0, fp: 0, fn: 0, hints: 0 };
  const missedNearMisses = new Map<string, number>();
  for (const { app, fired, hinted, flagged } of results) {
    if (app.setup) continue;
    for (const rule of RISK_RULES) {
      const counts = perRule.get(rule)!;
      const labelled = app.labels.includes(rule);
      if (hinted.has(rule)) counts.hints++;
      if (labelled && fired.has(rule)) counts.tp++;
      else if (fired.has(rule)) counts.fp++;
      else if (labelled) counts.fn++;
    }
    const isFalse = app.labels.length > 0;
    if (isFalse && flagged) overall.tp++;
    else if (flagged) overall.fp++;
    else if (isFalse) overall.fn++;
    if (!isFalse && flagged && app.nearMiss)
      missedNearMisses.set(app.nearMiss, (missedNearMisses.get(app.nearMiss) ?? 0) + 1);
  }
  return {
    perRule,
    overall,
    screened: screened.length,
    perSecond: screened.length / seconds,
    batchSize,
    missedNearMisses,
    jobs: worker ? await screenThroughJobs(worker.app, worker.infra, population) : null,
  };
}

async function main() {
  const thresholds = configuredThresholds();
  let worker: { app: INestApplicationContext; infra: BenchInfra } | undefined;
  if (PATH === 'worker') {
    const infra = await startInfra('risk');
    worker = { app: await startBenchWorker(infra, 'bench-risk'), infra };
  }
  try {
    await report(thresholds, worker);
  } finally {
    await worker?.app.close();
    await worker?.infra.stop();
  }
}

async function report(thresholds: RiskThresholds, worker?: { app: INestApplicationContext; infra: BenchInfra }) {
  console.log(
    `screening path: ${worker ? 'the worker’s screening service on PostgreSQL' : 'the rules over an in-memory index'}`,
  );
  console.log(
    `bench:risk — seeds ${SEEDS.join(', ')}; ${SIZE.honest} honest, ${SIZE.perPattern} per false pattern, ${SIZE.nearMissesPerRule} near misses per rule; flag score ${thresholds.flagScore}`,
  );
  const all: SeedResult[] = [];
  for (const seed of SEEDS) {
    // Warm the code once so the figure is the steady screening rate, not the JIT's first pass.
    if (all.length === 0 && !worker) await runSeed(seed + 1000, thresholds);
    const r = await runSeed(seed, thresholds, worker);
    all.push(r);
    console.log(
      `\nseed ${seed}: ${r.screened} applications screened, ${Math.round(r.perSecond)}/s (${r.batchSize} per transaction)`,
    );
    if (r.jobs) {
      console.log(
        `  through the job path: ${r.jobs.screened} contract.submitted jobs, ${Math.round(r.jobs.screened / r.jobs.seconds)}/s (worker concurrency ${r.jobs.concurrency})`,
      );
    }
    console.log('  rule               precision  recall   tp   fp   fn  hints');
    for (const [rule, c] of r.perRule) {
      console.log(
        `  ${rule.padEnd(18)} ${precision(c).toFixed(3).padStart(9)} ${recall(c).toFixed(3).padStart(7)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(4)} ${String(c.fn).padStart(4)} ${String(c.hints).padStart(6)}`,
      );
    }
    const o = r.overall;
    console.log(
      `  ${'overall (flagged)'.padEnd(18)} ${precision(o).toFixed(3).padStart(9)} ${recall(o).toFixed(3).padStart(7)} ${String(o.tp).padStart(4)} ${String(o.fp).padStart(4)} ${String(o.fn).padStart(4)}`,
    );
    if (r.missedNearMisses.size > 0) {
      console.log(`  near misses flagged: ${[...r.missedNearMisses].map(([k, v]) => `${k} ${v}`).join('; ')}`);
    }
  }
  const worst = (f: (r: SeedResult) => number) => Math.min(...all.map(f));
  console.log('');
  for (const rule of RISK_RULES) {
    console.log(`${rule} precision = ${worst((r) => precision(r.perRule.get(rule)!)).toFixed(3)} (worst seed)`);
    console.log(`${rule} recall = ${worst((r) => recall(r.perRule.get(rule)!)).toFixed(3)} (worst seed)`);
  }
  console.log(`overall recall = ${worst((r) => recall(r.overall)).toFixed(3)} (target ≥ ${TARGET.recall}, worst seed)`);
  console.log(
    `overall precision = ${worst((r) => precision(r.overall)).toFixed(3)} (target ≥ ${TARGET.precision}, worst seed)`,
  );
  console.log(
    `applications screened/s = ${Math.round(worst((r) => r.perSecond))} (target ≥ ${TARGET.perSecond}, worst seed; screening service batches in the worker's context)`,
  );
  if (worker) {
    console.log(
      `screening through the job path = ${Math.round(worst((r) => r.jobs!.screened / r.jobs!.seconds))}/s (target ≥ ${TARGET.perSecond}, worst seed; contract.submitted jobs through BullMQ and the contract handler)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
