import { createAdmin, uniqueUscc, PASSWORD } from './support/accounts';
import { Housekeeping } from '@market/queue';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

describe('Idempotency-Key on mutating POSTs', () => {
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const registration = (email: string, uscc: string) => ({
    email,
    password: PASSWORD,
    displayName: '幂等测试',
    roles: ['seller'],
    organization: { name: '幂等测试大学', uscc, regionCode: '430100', kind: 'university' },
  });

  it('returns the first response to a retry with the same key and body, and writes one row', async () => {
    const uscc = uniqueUscc();
    const body = registration('retry@example.cn', uscc);
    const first = await http(api).post('/api/v1/auth/register').set('idempotency-key', 'register-1').send(body);
    expect(first.status).toBe(201);
    const retry = await http(api).post('/api/v1/auth/register').set('idempotency-key', 'register-1').send(body);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [uscc])).toHaveLength(1);
    expect(await env.query(`SELECT id FROM app_user WHERE email = 'retry@example.cn'`)).toHaveLength(1);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const uscc = uniqueUscc();
    const body = registration('reorder@example.cn', uscc);
    const reordered = {
      organization: body.organization,
      roles: body.roles,
      displayName: body.displayName,
      password: body.password,
      email: body.email,
    };
    const first = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'register-2')
      .send(body)
      .expect(201);
    const retry = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'register-2')
      .send(reordered)
      .expect(201);
    expect(retry.body).toEqual(first.body);
  });

  it("answers 422 when a user's key comes again with a different body, and changes nothing", async () => {
    const admin = await createAdmin(api, env);
    const office = (uscc: string) => ({ name: '长沙市技术合同登记处', uscc, regionCode: '430100', kind: 'registry' });
    await http(api)
      .post('/api/v1/orgs')
      .set('authorization', `Bearer ${admin.token}`)
      .set('idempotency-key', 'org-1')
      .send(office(uniqueUscc()))
      .expect(201);
    const otherUscc = uniqueUscc();
    const reused = await http(api)
      .post('/api/v1/orgs')
      .set('authorization', `Bearer ${admin.token}`)
      .set('idempotency-key', 'org-1')
      .send(office(otherUscc));
    expect(reused.status).toBe(422);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [otherUscc])).toHaveLength(0);
  });

  it("keeps anonymous callers apart: another client's registration with the same key is its own request", async () => {
    const first = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'register-3')
      .send(registration('client-a@example.cn', uniqueUscc()))
      .expect(201);
    const otherUscc = uniqueUscc();
    const other = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'register-3')
      .send(registration('client-b@example.cn', otherUscc));
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [otherUscc])).toHaveLength(1);
  });

  it('never stores the token a login issues, whatever Idempotency-Key it carries', async () => {
    const uscc = uniqueUscc();
    await http(api).post('/api/v1/auth/register').send(registration('login-key@example.cn', uscc)).expect(201);
    const login = () =>
      http(api)
        .post('/api/v1/auth/login')
        .set('idempotency-key', 'login-1')
        .send({ email: 'login-key@example.cn', password: PASSWORD });
    const first = await login().expect(200);
    const second = await login().expect(200);
    expect(first.body.accessToken).toEqual(expect.any(String));
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await env.query(`SELECT key FROM idempotency_key WHERE key = 'login-1'`)).toHaveLength(0);
    expect(
      await env.query(
        `SELECT key FROM idempotency_key WHERE response_body::text LIKE '%accessToken%' OR response_body::text LIKE $1`,
        [`%${first.body.accessToken}%`],
      ),
    ).toHaveLength(0);
  });

  it('executes concurrent retries of one key once', async () => {
    const uscc = uniqueUscc();
    const body = registration('concurrent@example.cn', uscc);
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        http(api).post('/api/v1/auth/register').set('idempotency-key', 'register-4').send(body),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [uscc])).toHaveLength(1);
  });

  it('keeps no key for a request that failed, so it can be retried', async () => {
    const uscc = uniqueUscc();
    const bad = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'register-5')
      .send({ ...registration('failed@example.cn', uscc), roles: ['nobody'] });
    expect(bad.status).toBe(400);
    expect(await env.query(`SELECT key FROM idempotency_key WHERE key = 'register-5'`)).toHaveLength(0);
  });

  it('refuses a malformed key', async () => {
    const response = await http(api)
      .post('/api/v1/auth/register')
      .set('idempotency-key', 'x'.repeat(300))
      .send(registration('longkey@example.cn', uniqueUscc()));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('IDEMPOTENCY.BAD_KEY');
  });

  it('forgets keys older than their time to live, and only those', async () => {
    const worker = await startWorker();
    try {
      await env.query(
        `INSERT INTO idempotency_key (scope, key, request_hash, method, path, created_at)
         VALUES ('anonymous', 'ancient', repeat('0', 64), 'POST', '/x', now() - interval '100 hours'),
                ('anonymous', 'recent', repeat('0', 64), 'POST', '/x', now() - interval '1 hour')`,
      );
      const purged = await worker.get(Housekeeping).run();
      expect(purged.idempotencyKeys).toBe(1);
      const left = await env.query<{ key: string }>(
        `SELECT key FROM idempotency_key WHERE key IN ('ancient', 'recent')`,
      );
      expect(left.map((r) => r.key)).toEqual(['recent']);
    } finally {
      await worker.close();
    }
  });
});
