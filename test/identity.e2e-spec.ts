import { Clock } from '@market/clock';
import { Role } from '@market/identity';
import { addMember, createAdmin, login, PASSWORD, registerAccount, uniqueUscc } from './support/accounts';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

describe('identity and access', () => {
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

  it('registers an organization with its first account, logs in and tells who is logged in', async () => {
    const uscc = uniqueUscc('430104');
    const registered = await http(api)
      .post('/api/v1/auth/register')
      .send({
        email: 'Wang.Lei@Example.cn',
        password: PASSWORD,
        displayName: '王磊',
        roles: ['seller', 'buyer'],
        organization: { name: '湘江新材料研究院', uscc, regionCode: '430104', kind: 'institute' },
      })
      .expect(201);
    expect(registered.body).toMatchObject({
      email: 'wang.lei@example.cn',
      roles: ['seller', 'buyer'],
      organization: { uscc, regionCode: '430104', kind: 'institute', verified: false },
    });
    expect(registered.body).not.toHaveProperty('passwordHash');

    const token = await login(api, 'wang.lei@example.cn');
    const me = await http(api).get('/api/v1/me').set('authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ id: registered.body.id, organization: { id: registered.body.organization.id } });

    const [row] = await env.query<{ password_hash: string }>(`SELECT password_hash FROM app_user WHERE id = $1`, [
      registered.body.id,
    ]);
    expect(row.password_hash).toMatch(/^\$2[aby]\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a wrong password with a 401 problem', async () => {
    const account = await registerAccount(api);
    const response = await http(api)
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 401, code: 'IDENTITY.BAD_CREDENTIALS' });
  });

  it('refuses a request without a valid bearer token', async () => {
    await http(api).get('/api/v1/me').expect(401);
    const forged = await http(api).get('/api/v1/me').set('authorization', 'Bearer not.a.token');
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('still refuses a tampered token after the genuine one was accepted (verified tokens are remembered)', async () => {
    const account = await registerAccount(api);
    await http(api).get('/api/v1/me').set('authorization', `Bearer ${account.token}`).expect(200);
    const [header, claims, signature] = account.token.split('.');
    const otherSignature = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const forgedClaims = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), roles: ['admin'] }),
    ).toString('base64url');
    for (const tampered of [`${header}.${claims}.${otherSignature}`, `${header}.${forgedClaims}.${signature}`]) {
      const answer = await http(api).get('/api/v1/me').set('authorization', `Bearer ${tampered}`);
      expect(answer.status).toBe(401);
    }
    await http(api).get('/api/v1/me').set('authorization', `Bearer ${account.token}`).expect(200);
  });

  it('answers 409 to a second account with the same e-mail, and creates nothing', async () => {
    const account = await registerAccount(api);
    const before = await env.query(`SELECT id FROM organization`);
    const response = await http(api)
      .post('/api/v1/auth/register')
      .send({
        email: account.email.toUpperCase(),
        password: PASSWORD,
        displayName: '重复',
        roles: ['buyer'],
        organization: { name: '另一家公司', uscc: uniqueUscc(), regionCode: '430100', kind: 'enterprise' },
      });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('IDENTITY.EMAIL_TAKEN');
    expect(await env.query(`SELECT id FROM organization`)).toHaveLength(before.length);
  });

  it('answers 409 when two registrations race for the same credit code', async () => {
    const uscc = uniqueUscc();
    const attempt = (n: number) =>
      http(api)
        .post('/api/v1/auth/register')
        .send({
          email: `race${n}.${uscc}@example.cn`.toLowerCase(),
          password: PASSWORD,
          displayName: `竞争者${n}`,
          roles: ['buyer'],
          organization: { name: `竞争公司${n}`, uscc, regionCode: '430100', kind: 'enterprise' },
        });
    const statuses = (await Promise.all([attempt(1), attempt(2), attempt(3)])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    expect(await env.query(`SELECT id FROM organization WHERE uscc = $1`, [uscc])).toHaveLength(1);
  });

  it('names every bad field, nested ones by their path, in a 400 problem', async () => {
    const response = await http(api)
      .post('/api/v1/auth/register')
      .send({
        email: 'not-an-email',
        password: PASSWORD,
        displayName: '坏数据',
        roles: ['buyer'],
        organization: { name: '坏数据公司', uscc: '91350100M000100Y44', regionCode: '990100', kind: 'enterprise' },
      });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ type: '/problems/validation-failed', title: 'Bad Request', status: 400 });
    expect(typeof response.body.detail).toBe('string');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'organization.uscc', 'organization.regionCode']));
    expect(JSON.stringify(response.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('refuses unknown fields', async () => {
    const response = await http(api)
      .post('/api/v1/auth/register')
      .send({
        email: 'extra@example.cn',
        password: PASSWORD,
        displayName: '多余字段',
        roles: ['buyer'],
        isAdmin: true,
        organization: { name: '多余字段公司', uscc: uniqueUscc(), regionCode: '430100', kind: 'enterprise' },
      });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'isAdmin', message: 'property isAdmin should not exist' }]);
  });

  it('does not let a registrant take the admin or auditor role', async () => {
    const response = await http(api)
      .post('/api/v1/auth/register')
      .send({
        email: 'climber@example.cn',
        password: PASSWORD,
        displayName: '越权者',
        roles: ['admin'],
        organization: { name: '越权公司', uscc: uniqueUscc(), regionCode: '430100', kind: 'enterprise' },
      });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('roles');
  });

  it('forbids a non-admin from verifying an organization (403 from the role guard)', async () => {
    const buyer = await registerAccount(api, { roles: [Role.Buyer, Role.Seller] });
    const response = await http(api)
      .post(`/api/v1/orgs/${buyer.organizationId}/verify`)
      .set('authorization', `Bearer ${buyer.token}`);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 403, code: 'IDENTITY.MISSING_ROLE' });
    const [organization] = await env.query<{ verified_at: Date | null }>(
      `SELECT verified_at FROM organization WHERE id = $1`,
      [buyer.organizationId],
    );
    expect(organization.verified_at).toBeNull();
  });

  it("hides an organization's private resources from other organizations (404), not from its members or admins", async () => {
    const a = await registerAccount(api);
    const b = await registerAccount(api);
    const admin = await createAdmin(api, env);
    const path = `/api/v1/orgs/${a.organizationId}/members`;

    const fromB = await http(api).get(path).set('authorization', `Bearer ${b.token}`);
    expect(fromB.status).toBe(404);
    expect(fromB.body.code).toBe('ORGANIZATION.NOT_FOUND');
    // The same answer as for an organization that does not exist: existence is not leaked.
    const missing = await http(api)
      .get('/api/v1/orgs/00000000-0000-4000-8000-000000000000/members')
      .set('authorization', `Bearer ${b.token}`);
    expect(missing.status).toBe(404);
    expect(missing.body.detail.replace(/[0-9a-f-]{36}/, 'ID')).toBe(fromB.body.detail.replace(/[0-9a-f-]{36}/, 'ID'));

    const fromA = await http(api).get(path).set('authorization', `Bearer ${a.token}`).expect(200);
    expect(fromA.body.map((m: { email: string }) => m.email)).toEqual([a.email]);
    await http(api).get(path).set('authorization', `Bearer ${admin.token}`).expect(200);
  });

  it('lets an admin appoint an auditor in a registry office', async () => {
    const admin = await createAdmin(api, env);
    const office = await http(api)
      .post('/api/v1/orgs')
      .set('authorization', `Bearer ${admin.token}`)
      .send({ name: '长沙市技术合同登记处', uscc: uniqueUscc(), regionCode: '430100', kind: 'registry' })
      .expect(201);
    const auditor = await addMember(api, admin, office.body.id, [Role.Auditor]);
    const me = await http(api).get('/api/v1/me').set('authorization', `Bearer ${auditor.token}`).expect(200);
    expect(me.body).toMatchObject({ roles: ['auditor'], organization: { kind: 'registry' } });
  });

  it('answers an unknown route with a 404 problem and a malformed id with a 400', async () => {
    const account = await registerAccount(api);
    const unknown = await http(api).get('/api/v1/no-such-thing').set('authorization', `Bearer ${account.token}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const badId = await http(api).get('/api/v1/orgs/not-a-uuid').set('authorization', `Bearer ${account.token}`);
    expect(badId.status).toBe(400);
    expect(badId.headers['content-type']).toContain('application/problem+json');
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await http(api)
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('reports database and Redis up on the health endpoint, and serves metrics and the API docs', async () => {
    const health = await http(api).get('/api/v1/health').expect(200);
    expect(health.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' } });
    const metrics = await http(api).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    const docs = await http(api).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/register', '/api/v1/me']));
  });

  it('opens the queue dashboard to admins only', async () => {
    const admin = await createAdmin(api, env);
    const buyer = await registerAccount(api);
    await http(api).get('/admin/queues').expect(401);
    await http(api).get('/admin/queues').set('authorization', `Bearer ${buyer.token}`).expect(403);
    await http(api).get('/admin/queues').set('authorization', `Bearer ${admin.token}`).expect(200);
  });
});

describe('organization verification time', () => {
  /** A market whose clock reads a moment far from the machine's, so only the clock can explain it. */
  const moment = new Date('2031-05-04T03:02:01.000Z');
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({
      clock: new (class extends Clock {
        override now = () => new Date(moment);
      })(),
    });
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it("stamps a verification with the market clock's time, in the answer, the row and the members' notice", async () => {
    const admin = await createAdmin(api, env);
    const seller = await registerAccount(api, { roles: [Role.Seller] });
    const verified = await http(api)
      .post(`/api/v1/orgs/${seller.organizationId}/verify`)
      .set('authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(verified.body.verifiedAt).toBe(moment.toISOString());
    const [row] = await env.query<{ verified_at: Date }>(`SELECT verified_at FROM organization WHERE id = $1`, [
      seller.organizationId,
    ]);
    expect(row.verified_at.toISOString()).toBe(moment.toISOString());
    const [event] = await env.query<{ verified_at: string }>(
      `SELECT payload->>'verifiedAt' AS verified_at FROM outbox_event
        WHERE job_name = 'organization.verified' AND payload->>'organizationId' = $1`,
      [seller.organizationId],
    );
    expect(event.verified_at).toBe(moment.toISOString());
  });
});
