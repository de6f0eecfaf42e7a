import type { INestApplicationContext } from '@nestjs/common';
import { contentHash } from '@market/contract';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { bid, createAuction, financeOf, holdDeposit, runAuctionJob, verifiedBuyer } from './support/auctions';
import {
  brokerContractInput,
  completion,
  contractOfTrade,
  deliverTradeAgreed,
  getContract,
  signContract,
} from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { announce, bearer, runLatestJob, verifyOrganization } from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const MINUTE = 60_000;

describe('contracts: drafting from trades, broker entry, validation, signing, amendments, access', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let otherBroker: Account;
  let outsider: Account;
  let finance: Account;

  beforeAll(async () => {
    env = await createTestEnvironment({ ANNOUNCEMENT_DAYS: '15', LISTING_PERIOD_DAYS: '20' });
    api = await startApi({ clock });
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学技术转移中心' });
    await verifyOrganization(api, admin, seller.organizationId);
    buyer = await registerAccount(api, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    await verifyOrganization(api, admin, buyer.organizationId);
    broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移服务中心' });
    otherBroker = await registerAccount(api, { roles: [Role.Broker], organizationName: '岳麓技术经纪事务所' });
    outsider = await registerAccount(api, { roles: [Role.Buyer, Role.Seller] });
    finance = await financeOf(api, admin);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  const contract = (id: string, as: Account) =>
    getContract(api, id, as)
      .expect(200)
      .then((r) => r.body);

  async function brokerContract(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId, overrides))
      .expect(201);
    return response.body.id as string;
  }

  describe('drafts from trades', () => {
    it('drafts one contract from a listed trade delivered twice, pre-filled from the trade and its listing', async () => {
      const listingId = await announce(api, seller, admin);
      clock.advanceDays(16);
      await runLatestJob(worker, env, listingId, JobName.ListingAnnouncementEnded);
      await http(api).post(`/api/v1/listings/${listingId}/intents`).set(bearer(buyer)).send({}).expect(201);
      clock.advanceDays(21);
      await runLatestJob(worker, env, listingId, JobName.ListingPeriodEnded);

      const [event] = await deliverTradeAgreed(worker, env, listingId);
      await deliverTradeAgreed(worker, env, listingId, '-again');
      const ids = await contractOfTrade(env, event.payload.tradeId as string);
      expect(ids).toHaveLength(1);

      const body = await contract(ids[0], seller);
      expect(body).toMatchObject({
        status: 'draft',
        source: 'listed',
        listingId,
        version: 1,
        content: {
          contractType: 'transfer',
          subKind: 'patent_right',
          projectName: '高能量密度锂电池正极材料制备技术',
          technicalField: 'new_energy',
          transferMode: 'assignment',
          seller: {
            organizationId: seller.organizationId,
            name: '中南大学技术转移中心',
            kind: 'enterprise',
            regionCode: '430100',
          },
          buyer: { organizationId: buyer.organizationId, name: '湘江新材料有限公司' },
          totalAmountFen: 50_000_000,
          technologyAmountFen: 50_000_000,
          pricing: 'fixed',
          milestones: [{ key: 'm1', kind: 'payment', amountFen: 50_000_000, prepaid: false }],
        },
      });
      expect(body.content.ipItems).toEqual([
        expect.objectContaining({ kind: 'invention_patent', legalStatus: 'granted' }),
      ]);
      // What the trade did not settle, the draft still lacks, each named by its rule.
      expect(body.violations.map((v: { rule: string }) => v.rule)).toEqual(
        expect.arrayContaining(['VALIDITY', 'TRANSFER_INVESTMENT_OUTPUT']),
      );
    });

    it('drafts one contract from an auction delivered twice: the deposit is the first payment, the balance a milestone', async () => {
      const auctionSeller = await registerAccount(api, { roles: [Role.Seller] });
      await verifyOrganization(api, admin, auctionSeller.organizationId);
      const auctionId = await createAuction({ api, worker, env, clock, seller: auctionSeller, admin });
      const winner = await verifiedBuyer(api, admin);
      await holdDeposit(api, finance, winner, auctionId);
      clock.advance(2 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
      await bid(api, winner, auctionId, 1_200_000).expect(201);
      clock.advance(61 * MINUTE);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionCloseDue);
      await runAuctionJob(worker, env, auctionId, JobName.AuctionSettle);
      const [{ listing_id: listingId }] = await env.query<{ listing_id: string }>(
        `SELECT listing_id FROM auction WHERE id = $1`,
        [auctionId],
      );

      await deliverTradeAgreed(worker, env, listingId);
      await deliverTradeAgreed(worker, env, listingId, '-again');
      const ids = await contractOfTrade(env, auctionId);
      expect(ids).toHaveLength(1);
      const body = await contract(ids[0], winner);
      expect(body).toMatchObject({ source: 'auction', content: { totalAmountFen: 1_200_000 } });
      expect(body.content.milestones).toEqual([
        expect.objectContaining({ key: 'm1', amountFen: 100_000, prepaid: true }),
        expect.objectContaining({ key: 'm2', amountFen: 1_100_000, prepaid: false }),
      ]);
    });
  });

  describe('broker-entered contracts and client relationships', () => {
    let relationshipId: string;

    it('lets an organization name an agency its broker, seen by both, and refuses an organization without brokers', async () => {
      const granted = await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(seller))
        .send({ brokerOrganizationId: broker.organizationId })
        .expect(201);
      relationshipId = granted.body.id;
      expect(granted.body).toMatchObject({ clientOrganizationId: seller.organizationId, revokedAt: null });
      const again = await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(seller))
        .send({ brokerOrganizationId: broker.organizationId });
      expect(again.status).toBe(409);
      const notBroker = await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(seller))
        .send({ brokerOrganizationId: buyer.organizationId });
      expect(notBroker.body.code).toBe('CONTRACT.NOT_A_BROKERAGE');
      await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(broker))
        .send({ brokerOrganizationId: otherBroker.organizationId })
        .expect(403);
      for (const who of [seller, broker]) {
        const mine = await http(api).get('/api/v1/broker-relationships').set(bearer(who)).expect(200);
        expect(mine.body.map((r: { id: string }) => r.id)).toContain(relationshipId);
      }
      const none = await http(api).get('/api/v1/broker-relationships').set(bearer(outsider)).expect(200);
      expect(none.body).toEqual([]);
    });

    it('lets a broker enter a contract for its client, and refuses one for organizations that did not name it', async () => {
      const id = await brokerContract();
      const body = await contract(id, broker);
      expect(body).toMatchObject({
        source: 'broker',
        status: 'draft',
        content: { broker: { organizationId: broker.organizationId, commissionRateBasisPoints: 300 } },
        violations: [],
      });
      const refused = await http(api)
        .post('/api/v1/contracts')
        .set(bearer(otherBroker))
        .send(brokerContractInput(seller.organizationId, buyer.organizationId));
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('CONTRACT.NOT_CLIENT');
      for (const who of [seller, buyer, admin]) {
        await http(api)
          .post('/api/v1/contracts')
          .set(bearer(who))
          .send(brokerContractInput(seller.organizationId, buyer.organizationId))
          .expect(403);
      }
      const same = await http(api)
        .post('/api/v1/contracts')
        .set(bearer(broker))
        .send(brokerContractInput(seller.organizationId, seller.organizationId));
      expect(same.body.code).toBe('CONTRACT.SAME_PARTY');
    });

    it('ends the broker’s right to enter contracts when the client revokes, and only the client may revoke', async () => {
      await http(api).post(`/api/v1/broker-relationships/${relationshipId}/revoke`).set(bearer(outsider)).expect(404);
      await http(api).post(`/api/v1/broker-relationships/${relationshipId}/revoke`).set(bearer(seller)).expect(200);
      const again = await http(api).post(`/api/v1/broker-relationships/${relationshipId}/revoke`).set(bearer(seller));
      expect(again.body.code).toBe('CONTRACT.RELATIONSHIP_REVOKED');
      const refused = await http(api)
        .post('/api/v1/contracts')
        .set(bearer(broker))
        .send(brokerContractInput(seller.organizationId, buyer.organizationId));
      expect(refused.body.code).toBe('CONTRACT.NOT_CLIENT');
      await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(buyer))
        .send({ brokerOrganizationId: broker.organizationId })
        .expect(201);
    });
  });

  describe('access', () => {
    it('shows a contract to its parties, their broker and admins, and is a 404 to everyone else', async () => {
      const id = await brokerContract();
      for (const who of [seller, buyer, broker, admin]) await getContract(api, id, who).expect(200);
      for (const who of [outsider, otherBroker]) {
        const response = await getContract(api, id, who).expect(404);
        expect(response.body.code).toBe('CONTRACT.NOT_FOUND');
      }
      await http(api).get(`/api/v1/contracts/${id}`).expect(401);
      for (const who of [seller, buyer, broker, admin]) {
        const list = await http(api).get('/api/v1/contracts').set(bearer(who)).expect(200);
        expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
      }
      for (const who of [outsider, otherBroker]) {
        const list = await http(api).get('/api/v1/contracts').set(bearer(who)).expect(200);
        expect(list.body).toEqual({ total: 0, items: [] });
      }
      const drafts = await http(api).get('/api/v1/contracts?status=signed').set(bearer(broker)).expect(200);
      expect(drafts.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    });

    it('lets the parties and the broker edit a draft; admins read only; others get a 404', async () => {
      const id = await brokerContract();
      const edited = await http(api)
        .patch(`/api/v1/contracts/${id}`)
        .set(bearer(buyer))
        .send({ projectName: '高镍三元正极材料专利权转让（修订）' })
        .expect(200);
      expect(edited.body).toMatchObject({ version: 1, content: { projectName: '高镍三元正极材料专利权转让（修订）' } });
      await http(api)
        .patch(`/api/v1/contracts/${id}`)
        .set(bearer(broker))
        .send({ governmentPlan: '省重点研发计划' })
        .expect(200);
      const admins = await http(api).patch(`/api/v1/contracts/${id}`).set(bearer(admin)).send({ governmentPlan: null });
      expect(admins.status).toBe(403);
      expect(admins.body.code).toBe('CONTRACT.NOT_EDITOR');
      await http(api).patch(`/api/v1/contracts/${id}`).set(bearer(outsider)).send({ governmentPlan: null }).expect(404);
      const bad = await http(api).patch(`/api/v1/contracts/${id}`).set(bearer(seller)).send({ projectName: null });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('projectName');
    });
  });

  describe('validation names the rule a draft breaks', () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['type', { contractType: 'consulting', subKind: 'patent_right' }, 'SUB_KIND_OF_TYPE', 'subKind'],
      ['project name', { projectName: '专利' }, 'PROJECT_NAME', 'projectName'],
      ['validity', { validFrom: '2027-03-01', validUntil: '2026-03-01' }, 'VALIDITY', 'validUntil'],
      ['amounts', { technologyAmountFen: 700_000 }, 'TECH_AMOUNT_WITHIN_TOTAL', 'technologyAmountFen'],
      ['itemised', { nonTechnicalItems: [] }, 'NON_TECHNICAL_ITEMISED', 'nonTechnicalItems'],
      ['transfer figures', { expectedNewOutputFen: null }, 'TRANSFER_INVESTMENT_OUTPUT', 'expectedNewOutputFen'],
      [
        'lapsed patent',
        { ipItems: [{ kind: 'invention_patent', number: 'ZL202310000001.5', legalStatus: 'lapsed' }] },
        'IP_PROOF',
        'ipItems[0].legalStatus',
      ],
      [
        'license scope',
        { contractType: 'license', subKind: 'patent_license', license: null },
        'LICENSE_SCOPE',
        'license',
      ],
      [
        'payments sum',
        { milestones: [{ key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 100 }] },
        'PAYMENTS_SUM_TO_PRICE',
        'milestones',
      ],
      ['royalty', { pricing: 'royalty', royalty: null }, 'ROYALTY_TERMS', 'royalty'],
      [
        'milestone date',
        {
          milestones: [{ key: 'm1', kind: 'payment', title: '全款', dueOn: '2028-01-01', amountFen: 600_000 }],
        },
        'MILESTONE_WITHIN_VALIDITY',
        'milestones[0].dueOn',
      ],
    ];

    it.each(cases)('%s', async (_name, change, rule, field) => {
      const id = await brokerContract(change);
      const body = await contract(id, seller);
      expect(body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ rule, field })]));
      expect(body.violations.find((v: { rule: string }) => v.rule === rule).source).toBeTruthy();
      const refused = await signContract(api, id, seller, 1);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('CONTRACT.RULES_BROKEN');
      expect(refused.body.violations).toEqual(expect.arrayContaining([expect.objectContaining({ rule, field })]));
    });
  });

  describe('signing and amendments', () => {
    let id: string;

    it('freezes the content at the first signature with its SHA-256, and is signed once both parties signed', async () => {
      id = await brokerContract();
      for (const who of [broker, admin]) {
        const response = await signContract(api, id, who, 1);
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('CONTRACT.NOT_A_PARTY');
      }
      await signContract(api, id, outsider, 1).expect(404);
      const first = await signContract(api, id, seller, 1).expect(200);
      expect(first.body.status).toBe('draft');
      expect(first.body.current.contentHash).toBe(contentHash(id, 1, first.body.content));
      expect(first.body.current.sellerSignedBy).toBe(seller.userId);

      const edit = await http(api).patch(`/api/v1/contracts/${id}`).set(bearer(buyer)).send({ governmentPlan: 'x' });
      expect(edit.status).toBe(409);
      expect(edit.body.code).toBe('CONTRACT.VERSION_FROZEN');
      expect((await signContract(api, id, seller, 1)).body.code).toBe('CONTRACT.ALREADY_SIGNED');
      expect((await signContract(api, id, buyer, 2)).body.code).toBe('CONTRACT.STALE_VERSION');

      const second = await signContract(api, id, buyer, 1).expect(200);
      expect(second.body).toMatchObject({ status: 'signed', current: { buyerSignedBy: buyer.userId } });
      expect(second.body.current.contentHash).toBe(first.body.current.contentHash);
      // The stored content is the one hashed: a change in the database would no longer match.
      const [row] = await env.query<{ content: unknown; content_hash: string }>(
        `SELECT content, content_hash FROM contract_version WHERE contract_id = $1 AND version = 1`,
        [id],
      );
      expect(contentHash(id, 1, row.content)).toBe(row.content_hash);
      expect((await signContract(api, id, buyer, 1)).body.code).toBe('CONTRACT.INVALID_STATE');
    });

    it('amends a signed contract as a new version both sign again, keeping the old one as signed', async () => {
      await http(api)
        .post(`/api/v1/contracts/${id}/amendments`)
        .set(bearer(outsider))
        .send({ reason: '延后交付', ...completion() })
        .expect(404);
      const amended = await http(api)
        .post(`/api/v1/contracts/${id}/amendments`)
        .set(bearer(buyer))
        .send({
          reason: '交付延后一个月',
          milestones: [
            { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 300_000 },
            { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: '2026-07-01', amountFen: null },
            { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2026-09-01', amountFen: 300_000 },
          ],
        })
        .expect(201);
      expect(amended.body).toMatchObject({
        status: 'draft',
        version: 2,
        current: { contentHash: null, sellerSignedAt: null, buyerSignedAt: null, amendmentReason: '交付延后一个月' },
      });
      const [v1] = amended.body.versions;
      expect(v1).toMatchObject({ version: 1, sellerSignedBy: seller.userId, buyerSignedBy: buyer.userId });
      expect(v1.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(amended.body.content.milestones[1].dueOn).toBe('2026-07-01');

      await signContract(api, id, seller, 2).expect(200);
      const signed = await signContract(api, id, buyer, 2).expect(200);
      expect(signed.body.status).toBe('signed');
      expect(signed.body.current.contentHash).not.toBe(v1.contentHash);
      expect(signed.body.versions).toHaveLength(2);
      // Version 1 is unchanged.
      const [old] = await env.query<{ content: { milestones: { dueOn: string }[] } }>(
        `SELECT content FROM contract_version WHERE contract_id = $1 AND version = 1`,
        [id],
      );
      expect(old.content.milestones[1].dueOn).toBe('2026-06-01');
    });
  });
});
