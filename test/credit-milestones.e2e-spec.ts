import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { ContractMarket, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';
import type { Account } from './support/accounts';

interface CreditRecord {
  rating: string;
  points: number;
  events: { kind: string; points: number; contractId: string; fact: string }[];
}

describe('credit records from performance: milestones kept or missed (履行跟踪 → 信用档案)', () => {
  const clock = new FakeClock();
  let m: ContractMarket;

  beforeAll(async () => {
    m = await startContractMarket(clock);
  });

  afterAll(async () => {
    await m?.close();
  });

  const record = async (of: Account) =>
    (await http(m.api).get(`/api/v1/credit/orgs/${of.organizationId}`).set(bearer(of)).expect(200))
      .body as CreditRecord;
  /** Hands the credit queue every milestone credit event of a contract, twice (a redelivery under another job id). */
  const deliverCredit = async (contractId: string) => {
    const rows = await m.env.query<{ id: string; job_name: JobName; payload: unknown }>(
      `SELECT id, job_name, payload FROM outbox_event WHERE job_name = ANY($1) AND payload->>'contractId' = $2
        ORDER BY created_at, id`,
      [[JobName.ContractMilestoneKept, JobName.ContractMilestoneMissed], contractId],
    );
    for (const suffix of ['', '-redelivered']) {
      for (const row of rows) {
        await m.worker
          .get(JobDispatcher)
          .run(QueueName.Credit, { id: `${row.id}${suffix}`, name: row.job_name, data: row.payload });
      }
    }
    return rows.map((row) => row.job_name);
  };
  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1${path}`).set(bearer(as)).send(body);
  const payOffline = async (contractId: string, key: string) => {
    const opened = await post(`/contracts/${contractId}/milestones/${key}/payment`, m.buyer, { method: 'offline' });
    await post(`/payments/deposits/${opened.body.deposit.id}/offline-receipt`, m.finance).expect(200);
    const [held] = await m.env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2`,
      [JobName.DepositHeld, opened.body.deposit.id],
    );
    await m.worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: held.id, name: JobName.DepositHeld, data: held.payload });
  };

  it('counts each missed milestone against the party that owed it, once, and each kept one for it', async () => {
    // Three payments due in the past (the buyer's), a delivery due next year (the seller's).
    const late = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 200_000 },
        { key: 'm2', kind: 'payment', title: '第二期款', dueOn: '2026-05-01', amountFen: 200_000 },
        { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2026-06-01', amountFen: 200_000 },
        { key: 'm4', kind: 'deliverable', title: '交付工艺包', dueOn: '2027-06-01', amountFen: null },
      ],
    });
    expect(await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, late)).toBe(4);
    // Due jobs run again (a redelivery): no second overdue, no second event.
    await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, late);
    expect(await deliverCredit(late)).toEqual([
      JobName.ContractMilestoneMissed,
      JobName.ContractMilestoneMissed,
      JobName.ContractMilestoneMissed,
    ]);
    const buyer = await record(m.buyer);
    expect(buyer).toMatchObject({ rating: 'B', points: 85 });
    expect(buyer.events.map((e) => [e.kind, e.points, e.contractId])).toEqual([
      ['milestone_missed', -5, late],
      ['milestone_missed', -5, late],
      ['milestone_missed', -5, late],
    ]);
    expect(buyer.events[0].fact).toContain('逾期未付款');
    // The seller and the broker owed none of these payments.
    expect((await record(m.seller)).events).toEqual([]);
    expect((await record(m.broker)).events).toEqual([]);

    // Paying an overdue milestone late earns nothing back.
    await payOffline(late, 'm1');
    expect(await deliverCredit(late)).toHaveLength(3);
    expect((await record(m.buyer)).points).toBe(85);

    // The seller delivers ahead of its due day and the buyer accepts: kept, on the seller's record.
    await http(m.api)
      .post(`/api/v1/contracts/${late}/milestones/m4/complete`)
      .set(bearer(m.seller))
      .attach('file', Buffer.from('%PDF-1.7\n交付'), { filename: '交付确认单.pdf', contentType: 'application/pdf' })
      .expect(200);
    await post(`/contracts/${late}/milestones/m4/accept`, m.buyer).expect(200);
    expect(await deliverCredit(late)).toContain(JobName.ContractMilestoneKept);
    const seller = await record(m.seller);
    expect(seller.events.map((e) => [e.kind, e.points])).toEqual([['milestone_kept', 1]]);
    expect(seller).toMatchObject({ rating: 'A', points: 100 });
  });

  it('counts a payment made by its due day for the buyer, which lifts the rating back', async () => {
    const onTime = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2027-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 300_000 },
      ],
    });
    await payOffline(onTime, 'm1');
    await payOffline(onTime, 'm2');
    expect(await deliverCredit(onTime)).toEqual([JobName.ContractMilestoneKept, JobName.ContractMilestoneKept]);
    const buyer = await record(m.buyer);
    expect(buyer.points).toBe(87);
    expect(buyer.events.filter((e) => e.kind === 'milestone_kept')).toHaveLength(2);
    // An auditor and an admin read the record; an unrelated organization's member does not.
    await http(m.api).get(`/api/v1/credit/orgs/${m.buyer.organizationId}`).set(bearer(m.auditor)).expect(200);
    await http(m.api).get(`/api/v1/credit/orgs/${m.buyer.organizationId}`).set(bearer(m.admin)).expect(200);
    await http(m.api).get(`/api/v1/credit/orgs/${m.buyer.organizationId}`).set(bearer(m.outsider)).expect(404);
  });
});
