import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { Test } from '@nestjs/testing';
import { Clock } from '@market/clock';
import { OutboxRelay, QueueWorkers } from '@market/queue';
import { API_APP_OPTIONS, configureApiApp, createApiApp, createHttpAdapter } from '../../apps/api/src/api-app';
import { ApiModule } from '../../apps/api/src/api.module';
import { buildOpenApiDocument } from '../../apps/api/src/openapi';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { OpenApiResponseChecker } from './openapi-check';

export type Api = NestFastifyApplication;

/** The api exactly as `main.ts` builds it, in this process; with a clock the test controls. */
export async function startApi(options: { clock?: Clock } = {}): Promise<Api> {
  if (!options.clock) return createApiApp();
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule] })
    .overrideProvider(Clock)
    .useValue(options.clock)
    .compile();
  return configureApiApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), API_APP_OPTIONS));
}

/**
 * The worker (outbox relay and job consumers), in this process; with a clock the test controls.
 * With `consume: false` it neither relays nor consumes: it only runs the jobs the test hands it.
 */
export async function startWorker(
  options: { clock?: Clock; consume?: boolean } = {},
): Promise<INestApplicationContext> {
  if (options.clock || options.consume === false) {
    let builder = Test.createTestingModule({ imports: [WorkerModule] });
    if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
    if (options.consume === false) {
      const idle = { onApplicationBootstrap: () => undefined, onApplicationShutdown: () => undefined };
      builder = builder.overrideProvider(OutboxRelay).useValue(idle).overrideProvider(QueueWorkers).useValue(idle);
    }
    return (await builder.compile()).init();
  }
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
  await worker.init();
  return worker;
}

/** The worker as its own OS process, from the build, for tests that kill it. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  const script = join(__dirname, '../../dist/apps/worker/src/main.js');
  return spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

const checkers = new WeakMap<Api, OpenApiResponseChecker>();

/** The checker built from the api's own document (what `/docs-json` serves), once per api. */
export function responseCheckerOf(api: Api): OpenApiResponseChecker {
  let checker = checkers.get(api);
  if (!checker) {
    checker = new OpenApiResponseChecker(buildOpenApiDocument(api));
    checkers.set(api, checker);
  }
  return checker;
}

type Agent = ReturnType<typeof request>;

/**
 * Requests to the api. Every response is checked against the api's OpenAPI document — its status
 * declared for the operation, its body matching the schema (problems the `Problem` schema) — and a
 * mismatch fails the request like a failed `.expect`, after the test's own expectations.
 */
export function http(api: Api): Agent {
  const agent = request(api.getHttpServer());
  const checker = responseCheckerOf(api);
  return new Proxy(agent, {
    get(target, property, receiver) {
      const make = Reflect.get(target, property, receiver) as unknown;
      if (typeof make !== 'function') return make;
      return (...args: unknown[]) => {
        const test = (make as (...a: unknown[]) => unknown).apply(target, args) as request.Test;
        checkResponses(test, checker);
        return test;
      };
    },
  });
}

function checkResponses(test: request.Test, checker: OpenApiResponseChecker): void {
  const internal = test as unknown as {
    method: string;
    url: string;
    _asserts: ((res: request.Response) => Error | undefined)[];
    assert: (error: unknown, res: request.Response | undefined, fn: unknown) => void;
  };
  const assert = internal.assert.bind(test);
  internal.assert = (error, res, fn) => {
    if (res) {
      internal._asserts.push(() => {
        const problem = checker.problemWith({
          method: internal.method,
          url: internal.url,
          status: res.status,
          contentType: res.headers['content-type'] as string | undefined,
          body: res.body as unknown,
          text: res.text,
        });
        return problem ? new Error(`OpenAPI: ${problem}`) : undefined;
      });
    }
    assert(error, res, fn);
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
