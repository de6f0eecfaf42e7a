import { Role } from '@market/identity';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { brokerContractInput } from './support/contracts';
import { announce, bearer, createDraft, verifyOrganization } from './support/listings';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/**
 * The home page's figures (`GET /api/v1/market/figures`, public) and the admins' review queue
 * (`GET /api/v1/listings/review-queue`), which the web pages read.
 */
describe('market figures and the review queue', () => {
  let env: TestEnvironment;
  let api: Api;
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let outsider: Account;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller] });
    buyer = await registerAccount(api, { roles: [Role.Buyer] });
    broker = await registerAccount(api, { roles: [Role.Broker] });
    outsider = await registerAccount(api, { roles: [Role.Buyer, Role.Seller] });
    await verifyOrganization(api, admin, seller.organizationId);
    await verifyOrganization(api, admin, buyer.organizationId);
    // The seller names the agency its broker: the agency may then enter contracts for it.
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(seller))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
  });

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const figures = (as?: Account) => {
    const request = http(api).get('/api/v1/market/figures');
    return (as ? request.set(bearer(as)) : request).expect(200).then((r) => r.body);
  };

  async function brokerContract(overrides: Record<string, unknown>): Promise<string> {
    const response = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId, overrides))
      .expect(201);
    return response.body.id as string;
  }

  describe('GET /api/v1/market/figures', () => {
    it('starts at zero', async () => {
      const body = await figures();
      expect(body).toEqual({ listingsOpen: 0, auctionsRunning: 0, asOf: expect.any(String) });
    });

    it('counts public listings only, and leaves contract value to the statistics', async () => {
      await announce(api, seller, admin);
      await announce(api, seller, admin, { title: '水稻育种方法', technicalField: 'modern_agriculture' });
      await createDraft(api, seller); // a draft is not public
      // A contract is the statistics' to count (GET /stats/contracts, once registered), not this answer's.
      await brokerContract({ technicalField: 'new_energy', totalAmountFen: 600_000 });

      const body = await figures();
      expect(body).toEqual({ listingsOpen: 2, auctionsRunning: 0, asOf: expect.any(String) });
    });

    it('is the same for every caller: anonymous, any role, any organization', async () => {
      const anonymous = await figures();
      for (const who of [admin, seller, buyer, broker, outsider]) {
        const body = await figures(who);
        expect({ ...body, asOf: undefined }).toEqual({ ...anonymous, asOf: undefined });
      }
    });
  });

  describe('GET /api/v1/listings/review-queue', () => {
    it('gives admins the submitted listings, the longest waiting first, with their seller-only fields', async () => {
      const first = await createDraft(api, seller, { title: '先提交的成果' });
      const second = await createDraft(api, seller, { title: '后提交的成果' });
      const draft = await createDraft(api, seller, { title: '仍是草稿' });
      await http(api).post(`/api/v1/listings/${first}/submit`).set(bearer(seller)).expect(200);
      await http(api).post(`/api/v1/listings/${second}/submit`).set(bearer(seller)).expect(200);

      const queue = await http(api).get('/api/v1/listings/review-queue').set(bearer(admin)).expect(200);
      const ids = queue.body.map((l: { id: string }) => l.id);
      expect(ids).toEqual([first, second]);
      expect(ids).not.toContain(draft);
      expect(queue.body[0]).toMatchObject({ status: 'submitted', internalNote: '底价可谈，联系王老师' });

      // Approved or sent back, a listing leaves the queue.
      await http(api).post(`/api/v1/listings/${first}/approve`).set(bearer(admin)).expect(200);
      await http(api)
        .post(`/api/v1/listings/${second}/reject`)
        .set(bearer(admin))
        .send({ reason: '请补充专利证书' })
        .expect(200);
      const after = await http(api).get('/api/v1/listings/review-queue').set(bearer(admin)).expect(200);
      expect(after.body).toEqual([]);
    });

    it('is for admins only: sellers, buyers, brokers and outsiders are refused, anonymous callers are 401', async () => {
      await http(api).get('/api/v1/listings/review-queue').expect(401);
      for (const who of [seller, buyer, broker, outsider]) {
        await http(api).get('/api/v1/listings/review-queue').set(bearer(who)).expect(403);
      }
    });
  });
});
