import { appRoutes } from '@bull-board/api/dist/routes.js';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Role } from '@market/identity';
import { QueueName } from '@market/queue';
import { Account, addMember, createAdmin, PASSWORD, registerAccount } from './support/accounts';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const DASHBOARD = '/admin/queues';
const SESSION = '/api/v1/admin/queue-dashboard/session';

/** Every route the dashboard serves, as a concrete method and path (its own list, whatever the version). */
function dashboardRoutes(): { method: string; path: string }[] {
  const concrete = (route: string) =>
    `${DASHBOARD}${route}`
      .replace(':queueName', QueueName.Notifications)
      .replace(':queueStatus', 'failed')
      .replace(/:\w+/g, 'x');
  const routes: { method: string; path: string }[] = [];
  for (const route of [appRoutes.entryPoint.route].flat()) {
    routes.push({ method: appRoutes.entryPoint.method, path: concrete(route) });
  }
  for (const api of appRoutes.api) {
    for (const route of [api.route].flat()) {
      for (const method of [api.method].flat()) routes.push({ method: method.toLowerCase(), path: concrete(route) });
    }
  }
  routes.push({ method: 'get', path: DASHBOARD }, { method: 'get', path: `${DASHBOARD}/static/favicon.ico` });
  // Spellings that reach the same routes.
  routes.push(
    { method: 'get', path: `${DASHBOARD}/api/queues?activeQueue=${QueueName.Notifications}` },
    { method: 'get', path: '/admin/%71ueues/api/queues' },
    { method: 'put', path: `/admin/queues/api/queues/${QueueName.Notifications}/%70ause` },
  );
  return routes;
}

describe('queue dashboard', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;
  let notifications: Queue;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    admin = await createAdmin(api, env);
    notifications = api.get<Queue>(getQueueToken(QueueName.Notifications));
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const send = (method: string, path: string) => {
    const agent = http(api) as unknown as Record<string, (path: string) => ReturnType<ReturnType<typeof http>['get']>>;
    return agent[method](path);
  };

  it('answers 401 problem+json to an anonymous caller on every path under the dashboard, and pauses nothing', async () => {
    expect(dashboardRoutes().length).toBeGreaterThan(30);
    for (const { method, path } of dashboardRoutes()) {
      const answer = await send(method, path);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body.code).toBe('AUTH.UNAUTHENTICATED');
      expect(answer.text).not.toContain('"jobs"');
    }
    expect(await notifications.isPaused()).toBe(false);
  });

  it('answers 403 problem+json on every path under the dashboard to every role but admin', async () => {
    const agency = await registerAccount(api, { roles: [Role.Seller, Role.Buyer, Role.Broker] });
    const callers: Account[] = [
      await registerAccount(api, { roles: [Role.Seller] }),
      await registerAccount(api, { roles: [Role.Buyer] }),
      await registerAccount(api, { roles: [Role.Broker] }),
      agency,
      await addMember(api, admin, agency.organizationId, [Role.Auditor]),
      await addMember(api, admin, admin.organizationId, [Role.Finance]),
    ];
    for (const caller of callers) {
      for (const { method, path } of dashboardRoutes()) {
        const answer = await send(method, path).set('authorization', `Bearer ${caller.token}`);
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
        expect(answer.body.code).toBe('AUTH.ADMIN_ONLY');
      }
    }
    expect(await notifications.isPaused()).toBe(false);
  });

  it('takes no password: HTTP Basic credentials, even an admin’s, are a 401 like any guess', async () => {
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    for (const [email, password] of [
      [admin.email, PASSWORD],
      [buyer.email, PASSWORD],
      [admin.email, 'wrong password'],
    ]) {
      const answer = await http(api).get(`${DASHBOARD}/api/queues`).auth(email, password);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('serves the dashboard and its API to an admin bearer token', async () => {
    await http(api).get(`${DASHBOARD}/`).set('authorization', `Bearer ${admin.token}`).expect(200);
    const queues = await http(api).get(`${DASHBOARD}/api/queues`).set('authorization', `Bearer ${admin.token}`);
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toContain(QueueName.Notifications);
  });

  it('opens the dashboard in a browser through a short-lived cookie that only an admin can get', async () => {
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    const refused = await http(api).post(SESSION).set('authorization', `Bearer ${buyer.token}`);
    expect(refused.status).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await http(api).post(SESSION)).status).toBe(401);

    const session = await http(api).post(SESSION).set('authorization', `Bearer ${admin.token}`).expect(200);
    expect(session.body).toEqual({ url: `${DASHBOARD}/`, expiresIn: 900 });
    const [setCookie] = session.headers['set-cookie'] as unknown as string[];
    expect(setCookie).toMatch(
      /^market_queue_dashboard=[^;]+; Path=\/admin\/queues; Max-Age=900; HttpOnly; SameSite=Strict/,
    );
    const cookie = setCookie.split(';')[0];
    const page = await http(api).get(`${DASHBOARD}/`).set('cookie', cookie);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    await http(api).get(`${DASHBOARD}/api/queues`).set('cookie', `theme=dark; ${cookie}`).expect(200);

    // The cookie's token opens the dashboard only; an API token is no dashboard cookie either.
    const dashboardToken = cookie.split('=')[1];
    await http(api).get('/api/v1/me').set('authorization', `Bearer ${dashboardToken}`).expect(401);
    await http(api).get(`${DASHBOARD}/api/queues`).set('cookie', `market_queue_dashboard=${admin.token}`).expect(401);
    await http(api)
      .get(`${DASHBOARD}/api/queues`)
      .set('cookie', `market_queue_dashboard=${dashboardToken}x`)
      .expect(401);
  });

  it('lets an admin pause and resume a queue', async () => {
    await http(api)
      .put(`${DASHBOARD}/api/queues/${QueueName.Notifications}/pause`)
      .set('authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(await notifications.isPaused()).toBe(true);
    await http(api)
      .put(`${DASHBOARD}/api/queues/${QueueName.Notifications}/resume`)
      .set('authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(await notifications.isPaused()).toBe(false);
  });
});
