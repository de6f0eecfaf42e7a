import { registerAccount } from './support/accounts';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

describe('login rate limit', () => {
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnvironment({ LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it('answers 429 problem+json once a client has tried too many logins in a minute', async () => {
    const account = await registerAccount(api); // logs in once
    const attempts = [];
    for (let i = 0; i < 5; i++) {
      attempts.push(
        await http(api).post('/api/v1/auth/login').send({ email: account.email, password: 'wrong password' }),
      );
    }
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 401, 401, 429]);
    const limited = attempts[4];
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    // Other endpoints are not limited.
    await http(api).get('/api/v1/health').expect(200);
  });
});
