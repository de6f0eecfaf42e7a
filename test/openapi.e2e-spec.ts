import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../apps/api/src/openapi';
import { registerAccount } from './support/accounts';
import { Api, http, responseCheckerOf, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

type Operation = {
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }>; headers?: object }>;
};

function operationsOf(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      op,
    ]),
  );
}

describe('the OpenAPI document', () => {
  let env: TestEnvironment;
  let api: Api;
  let document: OpenAPIObject;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    document = buildOpenApiDocument(api);
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it('is what /docs-json serves, the one the e2e response checks use', async () => {
    const served = await http(api).get('/docs-json').expect(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('is the same whether the api is compiled by tsc (the build) or by swc (the tests)', () => {
    // Needs `nest build api`; the decorators' design types differ between the two compilers when a
    // property's type is left to inference, which would hand clients a different document.
    const dump = spawnSync(process.execPath, [join(__dirname, '../dist/apps/api/src/openapi-dump.js')], {
      encoding: 'utf8',
    });
    expect(dump.status).toBe(0);
    expect(JSON.parse(dump.stdout)).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('gives every operation a summary, a named success schema and its problems with the shared Problem schema', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(36);
    for (const [name, operation] of operations) {
      expect({ name, summary: Boolean(operation.summary) }).toEqual({ name, summary: true });
      const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      expect({ name, successes: success.length }).toEqual({ name, successes: 1 });
      const [, response] = success[0];
      const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
      expect({ name, schemas: schemas.length }).toEqual({ name, schemas: 1 });
      const errors = Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status));
      expect({ name, errors: errors.length > 0 || name === 'GET /api/v1/health' }).toEqual({ name, errors: true });
      for (const [status, error] of errors) {
        if (name === 'GET /api/v1/health' && status === '503') continue;
        expect({ name, status, content: error.content }).toEqual({
          name,
          status,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        });
      }
    }
    const problem = document.components?.schemas?.Problem as { required?: string[] };
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']));
  });

  it('asks a bearer token of every operation but the public ones, and says which roles may call', () => {
    const operations = Object.fromEntries(operationsOf(document));
    const bearer = [{ bearer: [] }];
    expect(operations['GET /api/v1/listings'].security).toEqual([]);
    expect(operations['GET /api/v1/listings/{id}'].security).toEqual([]);
    expect(operations['POST /api/v1/auth/login'].security).toEqual([]);
    expect(operations['GET /api/v1/health'].security).toEqual([]);
    expect(operations['GET /api/v1/me'].security).toEqual(bearer);
    expect(operations['POST /api/v1/listings'].security).toEqual(bearer);
    expect(operations['POST /api/v1/listings'].responses).toHaveProperty('401');
    expect(operations['POST /api/v1/listings'].responses).toHaveProperty('403');
    expect(operations['POST /api/v1/auth/login'].responses).toHaveProperty('429.headers.Retry-After');
    expect(operations['POST /api/v1/listings'].responses).toHaveProperty('201.headers.Idempotent-Replayed');
    // Login keeps no key: a token is never stored to be replayed.
    expect(operations['POST /api/v1/auth/login'].responses).not.toHaveProperty('200.headers.Idempotent-Replayed');
    expect(operations['GET /api/v1/listings'].responses).not.toHaveProperty('401');
    for (const [name, operation] of Object.entries(operations)) {
      expect({ name, security: Array.isArray(operation.security) }).toEqual({ name, security: true });
    }
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('refuses, in the e2e checks, a response the document does not describe', async () => {
    const checker = responseCheckerOf(api);
    const account = await registerAccount(api);
    const me = await http(api).get('/api/v1/me').set('authorization', `Bearer ${account.token}`).expect(200);
    const answer = (status: number, body: unknown, contentType = 'application/json') => ({
      method: 'GET',
      url: '/api/v1/me',
      status,
      contentType,
      body,
    });
    expect(checker.problemWith(answer(200, me.body))).toBeNull();
    const { displayName: _, ...withoutName } = me.body as Record<string, unknown>;
    expect(checker.problemWith(answer(200, withoutName))).toMatch(/displayName/);
    expect(checker.problemWith(answer(200, { ...me.body, secret: 'x' }))).toMatch(/additional/);
    expect(checker.problemWith(answer(200, { ...me.body, roles: ['emperor'] }))).toMatch(/roles/);
    expect(checker.problemWith(answer(200, { ...me.body, id: 'not-a-uuid' }))).toMatch(/format/);
    expect(checker.problemWith(answer(200, me.body, 'text/plain'))).toMatch(/text\/plain/);
    expect(checker.problemWith(answer(409, { status: 409 }))).toMatch(/declares no 409/);
    const problem = { type: '/problems/x', title: 'Unauthorized', status: 401, detail: 'no', code: 'X' };
    expect(checker.problemWith(answer(401, problem, 'application/problem+json'))).toBeNull();
    const { code: __, ...withoutCode } = problem;
    expect(checker.problemWith(answer(401, withoutCode, 'application/problem+json'))).toMatch(/code/);
    expect(
      checker.problemWith({ ...answer(404, withoutCode, 'application/problem+json'), url: '/api/v1/nowhere' }),
    ).toMatch(/code/);
  });

  it('passes redocly lint (recommended rules) without an error', () => {
    const folder = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      const file = join(folder, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const lint = spawnSync(
        process.execPath,
        [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--extends=recommended', '--format=summary'],
        { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      );
      expect({ status: lint.status, output: lint.stdout + lint.stderr }).toEqual({
        status: 0,
        output: expect.stringContaining('valid'),
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
