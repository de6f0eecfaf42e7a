import { Role } from '@market/identity';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { bearer } from './support/listings';
import { Api, eventually, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

describe('PostgreSQL dropping the api’s connections', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    admin = await createAdmin(api, env);
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  /** Terminates every backend of this database but the test's own, as an operator or a failover would. */
  const terminateApiConnections = () =>
    env.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );

  it('answers the request in flight with a 503 problem and Retry-After, never a 500, and a retry succeeds', async () => {
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    // Hold the organization's row so that the verification is in flight when the connections drop.
    await env.query('BEGIN');
    await env.query('SELECT id FROM organization WHERE id = $1 FOR UPDATE', [buyer.organizationId]);
    const inFlight = http(api)
      .post(`/api/v1/orgs/${buyer.organizationId}/verify`)
      .set(bearer(admin))
      .then((r) => r);
    await eventually(async () => {
      const waiting = await env.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return waiting.length > 0 ? true : undefined;
    });
    await terminateApiConnections();
    await env.query('ROLLBACK');

    const answer = await inFlight;
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    const [row] = await env.query<{ verified_at: Date | null }>(`SELECT verified_at FROM organization WHERE id = $1`, [
      buyer.organizationId,
    ]);
    expect(row.verified_at).toBeNull();

    // The pool replaces what it lost: the client's retry goes through.
    const retried = await eventually(async () => {
      const retry = await http(api).post(`/api/v1/orgs/${buyer.organizationId}/verify`).set(bearer(admin));
      expect([200, 503]).toContain(retry.status);
      return retry.status === 200 ? retry : undefined;
    });
    expect(retried.body).toMatchObject({ id: buyer.organizationId, verified: true });
  });

  it('answers requests arriving on connections terminated while idle with 2xx or 503, never a 500', async () => {
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    // Fill the pool with idle connections, then drop them all.
    await Promise.all(Array.from({ length: 10 }, () => http(api).get('/api/v1/me').set(bearer(buyer)).expect(200)));
    await terminateApiConnections();
    const statuses = (
      await Promise.all(Array.from({ length: 20 }, () => http(api).get('/api/v1/me').set(bearer(buyer))))
    ).map((r) => r.status);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    await http(api).get('/api/v1/me').set(bearer(buyer)).expect(200);
  });
});
