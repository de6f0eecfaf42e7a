import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, registerAccount } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { announce, bearer } from './support/listings';
import { http } from './support/market';
import {
  assignmentOffer,
  NegotiationMarket,
  openNegotiatedListing,
  openNegotiation,
  startNegotiationMarket,
  verified,
} from './support/negotiations';

interface CreditEventBody {
  kind: string;
  points: number;
  contractId: string | null;
  listingId: string | null;
  priceAnnouncementId: string | null;
  fact: string;
}

/**
 * Credit records fed by the market's public procedures: an objection upheld against a listing
 * during its announcement, and a deal annulled after an objection to its price announcement was
 * upheld. Each reaches the record once, however often its job is delivered.
 */
describe('credit records: upheld objections and annulled deals', () => {
  const clock = new FakeClock();
  let market: NegotiationMarket;

  beforeAll(async () => {
    market = await startNegotiationMarket(clock);
  });

  afterAll(() => market?.close());

  const outboxRows = (job: JobName, key: string, value: string) =>
    market.env.query<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>$2 = $3 ORDER BY created_at, id`,
      [job, key, value],
    );

  /** Delivers each row to the credit queue, as the relay and BullMQ would. */
  const deliver = async (
    job: JobName,
    rows: { id: string; payload: unknown }[],
    id?: (row: { id: string }) => string,
  ) => {
    const outcomes: string[] = [];
    for (const row of rows) {
      outcomes.push(
        await market.worker
          .get(JobDispatcher)
          .run(QueueName.Credit, { id: id ? id(row) : row.id, name: job, data: row.payload }),
      );
    }
    return outcomes;
  };

  const record = async (kind: 'orgs' | 'brokers', organizationId: string, as: Account = market.admin) =>
    (await http(market.api).get(`/api/v1/credit/${kind}/${organizationId}`).set(bearer(as)).expect(200)).body as {
      rating: string;
      points: number;
      events: CreditEventBody[];
    };

  const rule = (listingId: string, objectionId: string, decision: 'upheld' | 'dismissed') =>
    http(market.api)
      .post(`/api/v1/listings/${listingId}/objections/${objectionId}/ruling`)
      .set(bearer(market.admin))
      .send({ decision, reason: decision === 'upheld' ? '该专利已独占许可他人，属实' : '权属清楚' })
      .expect(200);

  const object = async (listingId: string, objector: Account) =>
    (
      await http(market.api)
        .post(`/api/v1/listings/${listingId}/objections`)
        .set(bearer(objector))
        .send({ reason: '该专利已于去年独占许可给我公司' })
        .expect(201)
    ).body.id as string;

  it('records an objection upheld against a listing on its seller’s record, once however often delivered, and the rating falls', async () => {
    const { api, admin } = market;
    const seller = await verified(api, admin, { roles: [Role.Seller], organizationName: '湘潭智能装备有限公司' });
    const objector = await verified(api, admin);
    expect(await record('orgs', seller.organizationId)).toMatchObject({ rating: 'A', points: 100, events: [] });

    // A dismissed objection is nothing against the seller.
    const cleared = await announce(api, seller, admin, { title: '数控机床热误差补偿技术' });
    await rule(cleared, await object(cleared, objector), 'dismissed');
    expect(await outboxRows(JobName.ListingObjectionUpheld, 'listingId', cleared)).toHaveLength(0);

    const listingId = await announce(api, seller, admin, { title: '工业机器人视觉定位技术' });
    const objectionId = await object(listingId, objector);
    await rule(listingId, objectionId, 'upheld');
    const rows = await outboxRows(JobName.ListingObjectionUpheld, 'listingId', listingId);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ listingId, objectionId, sellerOrganizationId: seller.organizationId });
    expect(await deliver(JobName.ListingObjectionUpheld, rows)).toEqual(['done']);

    const after = await record('orgs', seller.organizationId, seller);
    expect(after).toMatchObject({ rating: 'B', points: 85 });
    expect(after.events).toEqual([
      expect.objectContaining({
        kind: 'objection_upheld',
        points: -15,
        listingId,
        contractId: null,
        priceAnnouncementId: null,
      }),
    ]);
    expect(after.events[0].fact).toContain('工业机器人视觉定位技术');
    // The objector's record is untouched.
    expect((await record('orgs', objector.organizationId)).events).toEqual([]);

    // Redelivered: the same job is skipped, and the same event under another job id adds nothing.
    expect(await deliver(JobName.ListingObjectionUpheld, rows)).toEqual(['already-done']);
    expect(await deliver(JobName.ListingObjectionUpheld, rows, (row) => `${row.id}-again`)).toEqual(['done']);
    expect(await record('orgs', seller.organizationId)).toMatchObject({ rating: 'B', points: 85 });
    expect((await record('orgs', seller.organizationId)).events).toHaveLength(1);

    // The record is its members', auditors' and admins': a stranger gets 404.
    const stranger = await registerAccount(api, { roles: [Role.Buyer] });
    await http(api).get(`/api/v1/credit/orgs/${seller.organizationId}`).set(bearer(stranger)).expect(404);
  });

  it('records a deal annulled after its price announcement on the seller’s, the buyer’s and the broker’s records, once', async () => {
    const { api, admin, university, broker } = market;
    const buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '长沙低价收购有限公司' });
    const objector = await verified(api, admin);
    const before = {
      university: (await record('orgs', university.organizationId)).points,
      buyer: (await record('orgs', buyer.organizationId)).points,
      broker: (await record('brokers', broker.organizationId)).points,
    };
    expect(before).toEqual({ university: 100, buyer: 100, broker: 100 });

    const listingId = await openNegotiatedListing(market, university);
    const { id, offerId } = await openNegotiation(api, buyer, listingId, assignmentOffer(50_000_00));
    await http(api)
      .post(`/api/v1/negotiations/${id}/broker`)
      .set(bearer(buyer))
      .send({ brokerUserId: broker.userId, commission: { rateBasisPoints: 300, paidBy: 'buyer' } })
      .expect(200);
    await http(api).post(`/api/v1/negotiations/${id}/offers/${offerId}/accept`).set(bearer(university)).expect(200);
    const objection = await http(api)
      .post(`/api/v1/price-announcements/${id}/objections`)
      .set(bearer(objector))
      .send({ reason: '关联交易，价格畸低' })
      .expect(201);
    expect(await outboxRows(JobName.NegotiationDealAnnulled, 'negotiationId', id)).toHaveLength(0);
    await http(api)
      .post(`/api/v1/price-announcements/${id}/objections/${objection.body.id}/ruling`)
      .set(bearer(admin))
      .send({ decision: 'upheld', reason: '存在关联关系' })
      .expect(200);

    const rows = await outboxRows(JobName.NegotiationDealAnnulled, 'negotiationId', id);
    expect(rows).toHaveLength(1);
    expect(await deliver(JobName.NegotiationDealAnnulled, rows)).toEqual(['done']);

    const annulled = expect.objectContaining({
      kind: 'deal_annulled',
      points: -15,
      listingId,
      priceAnnouncementId: id,
      contractId: null,
    });
    for (const [kind, account] of [
      ['orgs', university],
      ['orgs', buyer],
      ['brokers', broker],
    ] as const) {
      const shown = await record(kind, account.organizationId, account);
      expect(shown).toMatchObject({ rating: 'B', points: 85, events: [annulled] });
      // The fact names no party: it may be shown to anyone who may read the record.
      expect(shown.events[0].fact).not.toContain('长沙低价收购');
    }
    expect((await record('orgs', objector.organizationId)).events).toEqual([]);

    expect(await deliver(JobName.NegotiationDealAnnulled, rows)).toEqual(['already-done']);
    expect(await deliver(JobName.NegotiationDealAnnulled, rows, (row) => `${row.id}-again`)).toEqual(['done']);
    for (const [kind, account] of [
      ['orgs', university],
      ['orgs', buyer],
      ['brokers', broker],
    ] as const) {
      expect(await record(kind, account.organizationId)).toMatchObject({ rating: 'B', points: 85 });
      expect((await record(kind, account.organizationId)).events).toHaveLength(1);
    }
  });
});
