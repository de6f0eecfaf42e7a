import { connect } from 'node:net';
import request from 'supertest';
import { Role } from '@market/identity';
import { Account, createAdmin, PASSWORD, registerAccount, uniqueUscc } from './support/accounts';
import { bearer, listingInput } from './support/listings';
import { Api, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** `depth` nested arrays around a string: `[[[…"x"…]]]`. */
const nested = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

/** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
function rawExchange(port: number, bytes: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = received.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes);
  });
}

describe('hostile input', () => {
  let env: TestEnvironment;
  let api: Api;
  let url: string;
  let port: number;
  let admin: Account;
  let seller: Account;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    await api.listen(0, '127.0.0.1');
    url = await api.getUrl();
    port = Number(new URL(url).port);
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller] });
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const http = () => request(url);

  /** Rows of the tables a hostile request could have written to. */
  const counts = async () =>
    (
      await env.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM organization) AS organizations, (SELECT count(*) FROM app_user) AS users,
                (SELECT count(*) FROM listing) AS listings, (SELECT count(*) FROM idempotency_key) AS keys,
                (SELECT count(*) FROM outbox_event) AS events`,
      )
    )[0];

  const registration = (overrides: Record<string, unknown> = {}) => ({
    email: `hostile.${uniqueUscc().toLowerCase()}@example.cn`,
    password: PASSWORD,
    displayName: '恶意输入测试',
    roles: ['buyer'],
    organization: { name: '恶意输入测试企业', uscc: uniqueUscc(), regionCode: '430100', kind: 'enterprise' },
    ...overrides,
  });

  const expectProblem = (answer: { status: number; headers: Record<string, string> }, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  };

  describe('deeply nested JSON', () => {
    it('refuses 10,000 levels of nesting with a 400 on every JSON route, login included, and changes nothing', async () => {
      const before = await counts();
      const bodies = [
        { path: '/api/v1/auth/login', body: `{"email":${nested(10_000)},"password":"x"}` },
        { path: '/api/v1/auth/register', body: `{"email":"a@example.cn","organization":${nested(10_000)}}` },
        { path: '/api/v1/listings', body: `{"title":"x","ipItems":${nested(10_000)}}`, token: seller.token },
        { path: '/api/v1/orgs', body: nested(10_000), token: admin.token },
      ];
      for (const { path, body, token } of bodies) {
        const call = http().post(path).set('content-type', 'application/json').set('idempotency-key', 'deep-1');
        if (token) void call.set('authorization', `Bearer ${token}`);
        const answer = await call.send(body);
        expectProblem(answer, 400);
        expect(answer.body.code).toBe('REQUEST.TOO_DEEP');
      }
      expect(await counts()).toEqual(before);
    });

    it('still takes the nesting real requests use', async () => {
      const answer = await http().post('/api/v1/auth/register').send(registration());
      expect(answer.status).toBe(201);
    });

    it('refuses a body over 1 MB with a 413 problem', async () => {
      const answer = await http()
        .post('/api/v1/auth/register')
        .send(registration({ displayName: 'x'.repeat(1024 * 1024) }));
      expectProblem(answer, 413);
    });
  });

  describe('text PostgreSQL cannot hold', () => {
    it('refuses a NUL character in any field with a 400 naming the field, and writes nothing', async () => {
      const before = await counts();
      const register = await http()
        .post('/api/v1/auth/register')
        .send(registration({ displayName: '李\u0000明' }));
      expectProblem(register, 400);
      expect(register.body.errors).toEqual([{ field: 'displayName', message: expect.stringContaining('NUL') }]);

      const nestedName = await http()
        .post('/api/v1/auth/register')
        .send(
          registration({
            organization: { name: '中南\u0000大学', uscc: uniqueUscc(), regionCode: '430100', kind: 'university' },
          }),
        );
      expectProblem(nestedName, 400);
      expect(nestedName.body.errors.map((e: { field: string }) => e.field)).toEqual(['organization.name']);

      for (const overrides of [
        { title: '锂电池\u0000正极' },
        { internalNote: '\u0000' },
        { ipItems: [{ kind: 'invention_patent', number: 'ZL2023\u00001', legalStatus: 'granted' }] },
      ]) {
        const listing = await http().post('/api/v1/listings').set(bearer(seller)).send(listingInput(overrides));
        expectProblem(listing, 400);
        expect(listing.body.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(listing.body.errors)).toContain('NUL');
      }

      const packageText = await http()
        .post('/api/v1/packages')
        .set(bearer(admin))
        .send({ title: '新材料成果包', technicalField: 'new_materials', description: '说明\u0000', listingIds: [] });
      expectProblem(packageText, 400);
      expect(packageText.body.errors).toEqual([{ field: 'description', message: expect.stringContaining('NUL') }]);

      const search = await http().get('/api/v1/listings?q=%00');
      expectProblem(search, 400);
      expect(search.body.errors).toEqual([{ field: 'q', message: expect.stringContaining('NUL') }]);
      expect(await counts()).toEqual(before);
    });

    it('refuses a lone surrogate in an e-mail with a 400, at registration and at login', async () => {
      const before = await counts();
      const register = await http()
        .post('/api/v1/auth/register')
        .send(registration({ email: 'li\ud800@example.cn' }));
      expectProblem(register, 400);
      expect(register.body.errors[0].field).toBe('email');
      const login = await http().post('/api/v1/auth/login').send({ email: '\ud800', password: 'whatever' });
      expectProblem(login, 400);
      expect(login.body.errors[0].field).toBe('email');
      // A surrogate pair is a character like any other.
      const emoji = await http()
        .post('/api/v1/auth/register')
        .send(registration({ email: 'li@example.cn', displayName: '李明😀' }));
      expect(emoji.status).toBe(201);
      expect(Number((await counts()).users)).toBe(Number(before.users) + 1);
    });
  });

  it('refuses a registration without an organization, or with an array for one, with a 400 naming it', async () => {
    const before = await counts();
    for (const organization of [undefined, [], null, 'acme']) {
      const answer = await http().post('/api/v1/auth/register').send(registration({ organization }));
      expectProblem(answer, 400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain('organization');
    }
    expect(await counts()).toEqual(before);
  });

  it('bounds offset on every paged list with a 400 naming the field', async () => {
    for (const path of ['/api/v1/listings', '/api/v1/packages', '/api/v1/me/notifications']) {
      for (const offset of ['1e20', '9223372036854775807', '10001', '-1']) {
        const answer = await http().get(`${path}?offset=${offset}`).set(bearer(seller));
        expectProblem(answer, 400);
        expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(['offset']);
      }
      await http().get(`${path}?offset=10000`).set(bearer(seller)).expect(200);
    }
  });

  describe('what Fastify and Node refuse before the application sees it', () => {
    it('answers a path parameter over 100 characters with a 414 problem', async () => {
      const answer = await http()
        .get(`/api/v1/orgs/${'a'.repeat(101)}`)
        .set(bearer(seller));
      expectProblem(answer, 414);
      expect(answer.body).toMatchObject({ status: 414, code: 'REQUEST.URI_TOO_LONG' });
    });

    it('answers a malformed percent escape in the path with a 400 problem', async () => {
      const answer = await rawExchange(port, 'GET /api/v1/listings/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(answer.status).toBe(400);
      expect(answer.headers).toContain('content-type: application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'REQUEST.BAD_URL' });
    });

    it('answers headers over the size limit with a 431 problem', async () => {
      const answer = await rawExchange(
        port,
        `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(answer.status).toBe(431);
      expect(answer.headers).toContain('content-type: application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'REQUEST.HEADERS_TOO_LARGE' });
    });

    it('answers a malformed Content-Length or Transfer-Encoding with a 400 problem, and writes nothing', async () => {
      const before = await counts();
      const login = '{"email":"a@example.cn","password":"x"}';
      for (const framing of [
        `Content-Length: abc\r\n\r\n${login}`,
        `Content-Length: 5\r\nContent-Length: 6\r\n\r\n${login}`,
        `Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n${login}`,
        `Transfer-Encoding: chunked\r\n\r\nzz\r\n${login}\r\n0\r\n\r\n`,
      ]) {
        const answer = await rawExchange(
          port,
          `POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}`,
        );
        expect({ framing, status: answer.status }).toEqual({ framing, status: 400 });
        expect(answer.headers).toContain('content-type: application/problem+json');
        expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'REQUEST.MALFORMED' });
      }
      expect(await counts()).toEqual(before);
    });
  });
});
