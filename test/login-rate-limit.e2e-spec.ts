import IORedis from 'ioredis';
import { PASSWORD, registerAccount, uniqueUscc } from './support/accounts';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const wrongLogin = (api: Api, email: string, forwardedFor?: string) => {
  const attempt = http(api).post('/api/v1/auth/login');
  if (forwardedFor) void attempt.set('x-forwarded-for', forwardedFor);
  return attempt.send({ email, password: 'wrong password' });
};

describe('login and registration rate limits, trusting no proxy (the default)', () => {
  let env: TestEnvironment;
  let api: Api;
  let secondApi: Api;
  let redis: IORedis;

  beforeAll(async () => {
    env = await createTestEnvironment({ LOGIN_RATE_LIMIT_PER_MINUTE: '5', REGISTRATION_RATE_LIMIT_PER_HOUR: '3' });
    api = await startApi();
    secondApi = await startApi();
    redis = new IORedis(env.redisUrl);
  });

  afterAll(async () => {
    await api?.close();
    await secondApi?.close();
    redis?.disconnect();
    await env?.close();
  });

  beforeEach(async () => {
    // Every test starts with fresh counters (they live in Redis under this file's prefix).
    const keys = await redis.keys(`${env.queuePrefix}:rate-limit:*`);
    if (keys.length) await redis.del(...keys);
  });

  it('answers 429 problem+json once a client has tried too many logins in a minute', async () => {
    const account = await registerAccount(api); // logs in once
    const attempts = [];
    for (let i = 0; i < 5; i++) attempts.push(await wrongLogin(api, account.email));
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 401, 401, 429]);
    const limited = attempts[4];
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'RATE_LIMIT.EXCEEDED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.retryAfterSeconds).toBe(Number(limited.headers['retry-after']));
    // Other endpoints are not limited.
    await http(api).get('/api/v1/health').expect(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: 30 forged addresses still meet the limit', async () => {
    const account = await registerAccount(api);
    await http(api).get('/api/v1/health').expect(200);
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await wrongLogin(api, account.email, `203.0.113.${i + 1}`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual(Array(26).fill(429));
  });

  it('counts attempts across api processes, since the counters live in Redis', async () => {
    const account = await registerAccount(api); // one login, on the first process
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await wrongLogin(i % 2 ? api : secondApi, account.email)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('limits registrations per client address, and a refused registration creates nothing', async () => {
    const statuses = [];
    const usccs = [];
    for (let i = 0; i < 4; i++) {
      const uscc = uniqueUscc();
      usccs.push(uscc);
      const answer = await http(i % 2 ? api : secondApi)
        .post('/api/v1/auth/register')
        .set('x-forwarded-for', `198.51.100.${i}`)
        .send({
          email: `rate${i}.${uscc}@example.cn`,
          password: PASSWORD,
          displayName: '限流测试',
          roles: ['buyer'],
          organization: { name: `限流测试企业${i}`, uscc, regionCode: '430100', kind: 'enterprise' },
        });
      statuses.push(answer.status);
      if (answer.status === 429) expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [usccs[3]])).toHaveLength(0);
    // Logging in is a separate limit.
    await wrongLogin(api, 'nobody@example.cn').expect(401);
  });
});

describe('login rate limit behind a trusted proxy', () => {
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnvironment({ LOGIN_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it('counts each client the named proxy forwards for on its own', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await wrongLogin(api, 'someone@example.cn', '198.51.100.7')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy is not held back by the first one's attempts.
    await wrongLogin(api, 'someone@example.cn', '198.51.100.8').expect(401);
  });
});
