import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createRootLogger, ROOT_LOGGER } from '@market/logging';
import { API_APP_OPTIONS, configureApiApp, createHttpAdapter } from '../apps/api/src/api-app';
import { ApiModule } from '../apps/api/src/api.module';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** The api's own log lines, as JSON (what it writes when standard output is not a terminal). */
describe('request logging', () => {
  let env: TestEnvironment;
  let api: NestFastifyApplication;
  let output = '';
  const records = () =>
    output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown> & { req?: { id?: string; url?: string } });

  beforeAll(async () => {
    env = await createTestEnvironment();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule] })
      .overrideProvider(ROOT_LOGGER)
      .useValue(createRootLogger('info', 'json', sink))
      .compile();
    api = await configureApiApp(
      moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), API_APP_OPTIONS),
    );
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it('starts quietly: no module or route reports at info level', () => {
    expect(output).not.toContain('Mapped {');
    expect(output).not.toContain('dependencies initialized');
  });

  it('logs one line per request with its id, method, URL, status and time, and none of its headers', async () => {
    await request(api.getHttpServer())
      .get('/api/v1/listings?q=battery')
      .set('x-request-id', 'trace-4711')
      .set('authorization', 'Bearer secret-token-never-logged')
      .expect(200);

    const lines = records().filter((r) => r.req?.id === 'trace-4711');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: expect.objectContaining({ id: 'trace-4711', method: 'GET', url: '/api/v1/listings?q=battery' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(output).not.toContain('secret-token-never-logged');
  });

  it('leaves out health checks and metrics scrapes', async () => {
    await request(api.getHttpServer()).get('/api/v1/health').set('x-request-id', 'probe-1');
    await request(api.getHttpServer()).get('/metrics').set('x-request-id', 'probe-2');
    await request(api.getHttpServer()).get('/api/v1/listings').set('x-request-id', 'after-probes').expect(200);

    const ids = records().map((r) => r.req?.id);
    expect(ids).toContain('after-probes');
    expect(ids).not.toContain('probe-1');
    expect(ids).not.toContain('probe-2');
  });
});
