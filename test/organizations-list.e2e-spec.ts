import { Role } from '@market/identity';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { bearer, verifyOrganization } from './support/listings';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * `GET /api/v1/orgs` (admins): the organizations awaiting verification, which the admins' page works
 * through with the existing `POST /orgs/:id/verify` (audit-logged).
 */
describe('organizations to verify (GET /api/v1/orgs)', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;
  let first: Account;
  let second: Account;
  let third: Account;
  const others: Record<string, Account> = {};

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    admin = await createAdmin(api, env);
    first = await registerAccount(api, {
      roles: [Role.Seller],
      organizationName: '湘江大学技术转移中心',
      kind: 'university',
    });
    second = await registerAccount(api, { roles: [Role.Buyer], organizationName: '长沙储能科技有限公司' });
    third = await registerAccount(api, {
      roles: [Role.Broker],
      organizationName: '潇湘技术经纪有限公司',
      kind: 'agency',
    });
    await addMember(api, admin, first.organizationId, [Role.Seller]);
    // Every other role, each of a verified organization of its own (unrelated to the three).
    for (const role of [Role.Seller, Role.Buyer, Role.Broker]) {
      others[role] = await registerAccount(api, { roles: [role] });
      await verifyOrganization(api, admin, others[role].organizationId);
    }
    others[Role.Auditor] = await addMember(api, admin, admin.organizationId, [Role.Auditor]);
    others[Role.Finance] = await addMember(api, admin, admin.organizationId, [Role.Finance]);
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const list = (query: string, as: Account = admin) =>
    http(api)
      .get(`/api/v1/orgs${query}`)
      .set(bearer(as))
      .expect(200)
      .then((r) => r.body);

  it('gives admins the organizations awaiting verification, the longest waiting first, with who to contact', async () => {
    const page = await list('?verified=false');
    expect(page).toMatchObject({ total: 3, limit: 20, offset: 0 });
    expect(page.items.map((o: { id: string }) => o.id)).toEqual([
      first.organizationId,
      second.organizationId,
      third.organizationId,
    ]);
    expect(page.items[0]).toMatchObject({
      name: '湘江大学技术转移中心',
      kind: 'university',
      regionCode: '430100',
      verified: false,
      verifiedAt: null,
      memberCount: 2,
      contact: { id: first.userId, email: first.email },
    });
    expect(page.items[0].uscc).toMatch(/^[0-9A-Z]{18}$/);
    expect(Date.parse(page.items[0].createdAt)).not.toBeNaN();

    // Pages of one.
    const paged = await list('?verified=false&limit=1&offset=1');
    expect(paged).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(paged.items.map((o: { id: string }) => o.id)).toEqual([second.organizationId]);
  });

  it('moves an organization to the verified once an admin verifies it, with the verification in its audit chain', async () => {
    await http(api).post(`/api/v1/orgs/${second.organizationId}/verify`).set(bearer(admin)).expect(200);

    const waiting = await list('?verified=false');
    expect(waiting.items.map((o: { id: string }) => o.id)).toEqual([first.organizationId, third.organizationId]);
    const verified = await list('?verified=true&limit=100');
    expect(verified.items[0]).toMatchObject({ id: second.organizationId, verified: true });
    expect(verified.items.map((o: { id: string }) => o.id)).not.toContain(first.organizationId);
    // Without the filter: every organization, the newest registered first.
    const all = await list('?limit=100');
    expect(all.total).toBe(verified.total + waiting.total);

    const chain = await env.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_entry WHERE chain = $1 ORDER BY seq`,
      [`organization:${second.organizationId}`],
    );
    expect(chain).toEqual([{ action: 'organization.verified', actor_id: admin.userId }]);
    // A second verification is refused: the page shows it by its code.
    const again = await http(api).post(`/api/v1/orgs/${second.organizationId}/verify`).set(bearer(admin)).expect(409);
    expect(again.body.code).toBe('IDENTITY.ALREADY_VERIFIED');
  });

  it('names the field of a filter or a page it cannot read', async () => {
    const response = await http(api).get('/api/v1/orgs?verified=maybe&limit=0').set(bearer(admin)).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'verified']);
  });

  it('is for admins only: every other role, a member of an organization awaiting verification and anonymous callers are refused', async () => {
    await http(api).get('/api/v1/orgs?verified=false').expect(401);
    for (const who of [...Object.values(others), first, third]) {
      const response = await http(api).get('/api/v1/orgs?verified=false').set(bearer(who)).expect(403);
      expect(response.body.items).toBeUndefined();
    }
    // Nor may they verify, their own organization included.
    for (const who of [others[Role.Seller], others[Role.Auditor], first]) {
      await http(api).post(`/api/v1/orgs/${first.organizationId}/verify`).set(bearer(who)).expect(403);
    }
    const waiting = await list('?verified=false');
    expect(waiting.items.map((o: { id: string }) => o.id)).toContain(first.organizationId);
  });
});
