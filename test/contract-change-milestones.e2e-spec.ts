import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type { Account } from './support/accounts';
import { ContractMarket, signContract, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';

interface MilestoneRow {
  id: string;
  key: string;
  kind: string;
  status: string;
  dueOn: string | null;
  amountFen: number | null;
  depositId: string | null;
}

describe('milestones after a change registration (变更登记): re-derived from the version in force', () => {
  const clock = new FakeClock();
  let m: ContractMarket;

  beforeAll(async () => {
    m = await startContractMarket(clock);
  });

  afterAll(async () => {
    await m?.close();
  });

  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1${path}`).set(bearer(as)).send(body);
  const milestones = async (id: string) =>
    (await http(m.api).get(`/api/v1/contracts/${id}/milestones`).set(bearer(m.buyer)).expect(200))
      .body as MilestoneRow[];
  const byKey = async (id: string) => {
    const rows = await milestones(id);
    return Object.fromEntries(rows.filter((r) => r.status !== 'superseded').map((r) => [r.key, r] as const)) as Record<
      string,
      MilestoneRow
    >;
  };
  const runHeld = async (depositId: string) => {
    const [row] = await m.env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'depositId' = $2`,
      [JobName.DepositHeld, depositId],
    );
    await m.worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: row.id, name: JobName.DepositHeld, data: row.payload });
  };
  const depositStatus = async (id: string) =>
    (await m.env.query<{ status: string }>(`SELECT status FROM deposit WHERE id = $1`, [id]))[0].status;

  it('keeps what was performed, moves what is open to the new terms with re-keyed due jobs, adds and supersedes', async () => {
    // Valid until the end of 2027; m1 and m2 fall due in the past (they go overdue), m3 and m6 later.
    const id = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: '2026-06-01', amountFen: null },
        { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 300_000 },
        { key: 'm6', kind: 'deliverable', title: '技术培训', dueOn: '2027-01-15', amountFen: null },
      ],
    });
    await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id);
    expect(Object.values(await byKey(id)).map((r) => [r.key, r.status])).toEqual([
      ['m1', 'overdue'],
      ['m2', 'overdue'],
      ['m6', 'pending'],
      ['m3', 'pending'],
    ]);
    // m1 paid by bank transfer; a payment of m3 asked for but not arrived.
    const paid = await post(`/contracts/${id}/milestones/m1/payment`, m.buyer, { method: 'offline' }).expect(201);
    await post(`/payments/deposits/${paid.body.deposit.id}/offline-receipt`, m.finance).expect(200);
    await runHeld(paid.body.deposit.id as string);
    const waiting = await post(`/contracts/${id}/milestones/m3/payment`, m.buyer, { method: 'offline' }).expect(201);
    const before = await byKey(id);
    expect(before.m1.status).toBe('paid');

    // The change: m2 later, m3 split into m3 (less) and a new m4, m6 dropped; m1 restated (already paid).
    await post(`/contracts/${id}/amendments`, m.seller, {
      reason: '调整交付与付款计划',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款（已付）', dueOn: '2026-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'deliverable', title: '交付工艺包（修订版）', dueOn: '2027-03-01', amountFen: null },
        { key: 'm3', kind: 'payment', title: '第二期款', dueOn: '2027-06-01', amountFen: 200_000 },
        { key: 'm4', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 100_000 },
      ],
    }).expect(201);
    await signContract(m.api, id, m.seller, 2).expect(200);
    await signContract(m.api, id, m.buyer, 2).expect(200);
    // Until the office registers the change, the registered version's milestones are tracked.
    await post(`/contracts/${id}/change-registration`, m.seller).expect(200);
    expect((await byKey(id)).m2).toMatchObject({ status: 'overdue', dueOn: '2026-06-01' });
    await post(`/registrations/${id}/decision`, m.auditor, { decision: 'register' }).expect(200);

    const after = await byKey(id);
    expect(Object.keys(after).sort()).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(after.m1).toMatchObject({ id: before.m1.id, status: 'paid', depositId: paid.body.deposit.id });
    expect(after.m2).toMatchObject({ id: before.m2.id, status: 'pending', dueOn: '2027-03-01' });
    expect(after.m3).toMatchObject({ id: before.m3.id, status: 'pending', amountFen: 200_000, depositId: null });
    expect(after.m4).toMatchObject({ status: 'pending', amountFen: 100_000, dueOn: '2027-09-01' });
    const all = await milestones(id);
    expect(all.filter((r) => r.status === 'superseded').map((r) => r.key)).toEqual(['m6']);
    // The payment asked for the old amount of m3 is called off.
    expect(await depositStatus(waiting.body.deposit.id as string)).toBe('releasing');

    // The due jobs: the old ones find their deadline moved, the new ones are not due yet.
    await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id);
    expect(Object.values(await byKey(id)).map((r) => r.status)).toEqual(['paid', 'pending', 'pending', 'pending']);
    // After m2's new due day it is overdue again, through its new job; m3 and m4 are not due yet.
    const saved = clock.now().getTime();
    clock.advance(new Date('2027-03-02T00:00:00+08:00').getTime() - saved);
    try {
      await m.runJobs(QueueName.Contracts, JobName.ContractMilestoneDue, id);
      const later = await byKey(id);
      expect([later.m2.status, later.m3.status, later.m4.status]).toEqual(['overdue', 'pending', 'pending']);
    } finally {
      clock.advance(saved - clock.now().getTime());
    }

    // The new m3 is paid at its new amount; a superseded milestone cannot be acted on.
    const second = await post(`/contracts/${id}/milestones/m3/payment`, m.buyer, { method: 'offline' }).expect(201);
    expect(second.body.bankTransfer.amountFen).toBe(200_000);
    await http(m.api)
      .post(`/api/v1/contracts/${id}/milestones/m6/complete`)
      .set(bearer(m.seller))
      .attach('file', Buffer.from('%PDF-1.7\n'), { filename: 'a.pdf', contentType: 'application/pdf' })
      .expect(404);

    const trail = await http(m.api).get(`/api/v1/contracts/${id}/audit`).set(bearer(m.seller)).expect(200);
    const retracked = trail.body.find((e: { action: string }) => e.action === 'milestones.retracked');
    expect(retracked.detail).toEqual({
      version: 2,
      kept: ['m1'],
      updated: ['m2', 'm3'],
      rescheduled: ['m2', 'm3'],
      added: ['m4'],
      superseded: ['m6'],
    });
  });

  it('gives back a payment that arrives for a milestone the change dropped', async () => {
    const id = await m.registered({
      validUntil: '2027-12-31',
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2027-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'payment', title: '尾款', dueOn: '2027-09-01', amountFen: 300_000 },
      ],
    });
    const asked = await post(`/contracts/${id}/milestones/m2/payment`, m.buyer, { method: 'offline' }).expect(201);
    await post(`/contracts/${id}/amendments`, m.seller, {
      reason: '一次付清',
      milestones: [{ key: 'm1', kind: 'payment', title: '全款', dueOn: '2027-04-01', amountFen: 600_000 }],
    }).expect(201);
    await signContract(m.api, id, m.seller, 2).expect(200);
    await signContract(m.api, id, m.buyer, 2).expect(200);
    await post(`/contracts/${id}/change-registration`, m.seller).expect(200);
    // The transfer arrives (recorded) in the moment before the change is registered.
    await post(`/payments/deposits/${asked.body.deposit.id}/offline-receipt`, m.finance).expect(200);
    await post(`/registrations/${id}/decision`, m.auditor, { decision: 'register' }).expect(200);
    await runHeld(asked.body.deposit.id as string);
    expect(await depositStatus(asked.body.deposit.id as string)).toBe('releasing');
    const rows = await milestones(id);
    expect(rows.map((r) => [r.key, r.status])).toEqual(
      expect.arrayContaining([
        ['m1', 'pending'],
        ['m2', 'superseded'],
      ]),
    );
  });
});
