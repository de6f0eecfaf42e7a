import { Role } from '@market/identity';
import { AppConfig } from '@market/config';
import { DataSource } from 'typeorm';
import {
  addWorkingDays,
  addWorkingDaysSql,
  RegistrationQueue,
  shanghaiDate,
  WorkingCalendarService,
} from '@market/contract';
import { JobName, QueueName } from '@market/queue';
import { Account, addMember } from './support/accounts';
import { brokerContractInput, ContractMarket, signContract, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';

interface QueueItem {
  contractId: string;
  registrationId: string;
  deadlineOn: string | null;
  flag: string | null;
  riskScore: number | null;
}

/**
 * The auditors' queue is read from a ranking table (registration_queue_entry) kept in step with the
 * applications: these tests hold the table to the applications after every step, and the pages to
 * the queue's order at every offset.
 */
describe('registration queue: the ranking rows kept in step, and pages in the order of the rule', () => {
  const clock = new FakeClock();
  let m: ContractMarket;
  let secondAuditor: Account;

  beforeAll(async () => {
    m = await startContractMarket(clock);
    secondAuditor = await addMember(m.api, m.admin, m.office, [Role.Auditor]);
  });

  afterAll(async () => {
    await m?.close();
  });

  /** A signed broker-entered contract, applied for (not yet screened). */
  async function applied(): Promise<string> {
    const response = await http(m.api)
      .post('/api/v1/contracts')
      .set(bearer(m.broker))
      .send(brokerContractInput(m.seller.organizationId, m.buyer.organizationId))
      .expect(201);
    const id = response.body.id as string;
    await signContract(m.api, id, m.seller, 1).expect(200);
    await signContract(m.api, id, m.buyer, 1).expect(200);
    await http(m.api).post(`/api/v1/contracts/${id}/submit`).set(bearer(m.seller)).expect(200);
    return id;
  }

  const screen = (id: string) => m.runJobs(QueueName.Contracts, JobName.ContractSubmitted, id);

  const decide = (id: string, as: Account, body: Record<string, unknown>) =>
    http(m.api).post(`/api/v1/registrations/${id}/decision`).set(bearer(as)).send(body);

  const page = async (limit: number, offset: number) =>
    (
      await http(m.api)
        .get(`/api/v1/registrations/queue?limit=${limit}&offset=${offset}`)
        .set(bearer(m.auditor))
        .expect(200)
    ).body as { total: number; items: QueueItem[] };

  const rowOf = async (contractId: string) =>
    (
      await m.env.query<{ deadline_on: string | null; score: number }>(
        `SELECT q.deadline_on::text AS deadline_on, q.score FROM registration_queue_entry q
           JOIN contract_registration r ON r.id = q.registration_id WHERE r.contract_id = $1`,
        [contractId],
      )
    )[0];

  /** The ranking rows hold exactly the applications in a queue, with their deadline and score as they stand. */
  async function expectInStep(): Promise<void> {
    const shape = `registration_id::text || ' ' || office_id || ' ' || coalesce(deadline_on::text, '-') || ' ' || score`;
    const expected = await m.env.query<{ row: string }>(
      `SELECT ${shape.replace('registration_id', 'id')} AS row FROM (
         SELECT r.id, r.office_id, r.deadline_on,
                CASE WHEN r.kind <> 'cancellation' THEN coalesce(s.score, 0) ELSE 0 END AS score
           FROM contract_registration r LEFT JOIN risk_score s ON s.contract_id = r.contract_id
          WHERE r.status IN ('screening', 'under_review', 'documents_requested')
             OR (r.objected_at IS NOT NULL AND r.objection_outcome IS NULL)) x ORDER BY 1`,
    );
    const actual = await m.env.query<{ row: string }>(
      `SELECT ${shape} AS row FROM registration_queue_entry ORDER BY 1`,
    );
    expect(actual.map((r) => r.row)).toEqual(expected.map((r) => r.row));
    // Each office's count (the queue's total) is the number of its rows.
    const counts = await m.env.query<{ office_id: string; counted: number; held: number }>(
      `SELECT office_id, sum(entries)::int AS counted,
              (SELECT count(*)::int FROM registration_queue_entry q WHERE q.office_id = c.office_id) AS held
         FROM registration_queue_count c GROUP BY office_id`,
    );
    for (const c of counts) expect(c.counted).toBe(c.held);
  }

  it('follows an application through submission, screening, documents, dispute, refusal, objection and decision', async () => {
    const id = await applied();
    expect(await rowOf(id)).toMatchObject({ score: 0 });
    await expectInStep();
    await screen(id);
    await expectInStep();

    await decide(id, m.auditor, { decision: 'request_documents', reason: '缺少专利证书' }).expect(200);
    expect(await rowOf(id)).toMatchObject({ deadline_on: null });
    await expectInStep();
    clock.advanceDays(2);
    await http(m.api)
      .post(`/api/v1/contracts/${id}/registration/documents`)
      .set(bearer(m.seller))
      .send({ reason: '已补充专利证书' })
      .expect(200);
    const restarted = await rowOf(id);
    expect(restarted.deadline_on).not.toBeNull();
    await expectInStep();

    await http(m.api)
      .post(`/api/v1/registrations/${id}/dispute`)
      .set(bearer(m.auditor))
      .send({ reason: '双方对技术交易额有争议' })
      .expect(200);
    expect((await rowOf(id)).deadline_on! > restarted.deadline_on!).toBe(true);
    await expectInStep();

    // A refused decision that fails changes nothing; a refusal takes the application out of the queue.
    await decide(id, m.auditor, { decision: 'refuse', reason: '标的不清' }).expect(422);
    expect(await rowOf(id)).toBeDefined();
    await decide(id, m.auditor, { decision: 'refuse', grounds: ['subject_unclear'], reason: '标的不清' }).expect(200);
    expect(await rowOf(id)).toBeUndefined();
    await expectInStep();

    // An objection puts it back, flagged, until another auditor rules on it.
    await http(m.api)
      .post(`/api/v1/contracts/${id}/registration/objection`)
      .set(bearer(m.seller))
      .send({ reason: '已补充说明' })
      .expect(200);
    expect((await page(100, 0)).items.find((i) => i.contractId === id)).toMatchObject({ flag: 'objection' });
    await expectInStep();
    await http(m.api)
      .post(`/api/v1/registrations/${id}/objection-ruling`)
      .set(bearer(secondAuditor))
      .send({ outcome: 'upheld', reason: '说明成立' })
      .expect(200);
    await expectInStep();
    await decide(id, secondAuditor, { decision: 'register' }).expect(200);
    expect(await rowOf(id)).toBeUndefined();
    expect((await page(100, 0)).items.map((i) => i.contractId)).not.toContain(id);
    await expectInStep();
  });

  it('pages the office queue in the order of the rule at every offset: the due by deadline, then the rest by score', async () => {
    // Applications on successive days, screened, with scores the risk context might give them.
    const ids: string[] = [];
    for (let n = 0; n < 9; n++) {
      ids.push(await applied());
      await screen(ids[n]);
      clock.advanceDays(1);
    }
    const scores = [0, 40, 10, 40, 0, 70, 10, 0, 25];
    for (const [n, id] of ids.entries()) {
      await m.env.query(`UPDATE risk_contract SET score = $2 WHERE contract_id = $1`, [id, scores[n]]);
    }
    await decide(ids[7], m.auditor, { decision: 'request_documents', reason: '缺少合同附件' }).expect(200);
    // The risk context rescoring outside a registration write: the rows are brought in step by hand.
    const registrationIds = (
      await m.env.query<{ id: string }>(`SELECT id FROM contract_registration WHERE contract_id = ANY($1::uuid[])`, [
        ids,
      ])
    ).map((r) => r.id);
    await m.api.get(RegistrationQueue).sync(registrationIds);
    await expectInStep();
    // Time passes until some are due (nearly or overdue) and some are not.
    clock.advanceDays(12);

    const today = shanghaiDate(clock.now());
    const year = Number(today.slice(0, 4));
    const calendar = await m.api.get(WorkingCalendarService).years(year - 1, year + 1);
    const dueBy = addWorkingDays(today, m.api.get(AppConfig).registration.dueSoonWorkingDays, calendar);
    // The order of the rule, computed over the applications themselves.
    const expected = (
      await m.env.query<{ contract_id: string }>(
        `SELECT r.contract_id FROM contract_registration r
           LEFT JOIN risk_score s ON s.contract_id = r.contract_id AND r.kind <> 'cancellation'
          WHERE r.office_id = $1 AND (r.status IN ('screening', 'under_review', 'documents_requested')
                OR (r.objected_at IS NOT NULL AND r.objection_outcome IS NULL))
          ORDER BY (r.deadline_on IS NOT NULL AND r.deadline_on <= $2::date) DESC,
                   CASE WHEN r.deadline_on <= $2::date THEN r.deadline_on END ASC,
                   coalesce(s.score, 0) DESC, r.deadline_on ASC NULLS LAST, r.created_at ASC, r.id`,
        [m.office, dueBy],
      )
    ).map((r) => r.contract_id);
    expect(expected.length).toBeGreaterThanOrEqual(9);

    const whole = await page(100, 0);
    expect(whole.total).toBe(expected.length);
    expect(whole.items.map((i) => i.contractId)).toEqual(expected);
    const due = whole.items.filter((i) => i.flag === 'overdue' || i.flag === 'due_soon');
    expect(due.length).toBeGreaterThan(0);
    expect(due.length).toBeLessThan(whole.items.length - 1);
    // Awaited documents come after the others of their score.
    expect(whole.items.find((i) => i.contractId === ids[7])).toMatchObject({ deadlineOn: null, riskScore: 0 });
    for (const limit of [1, 2, 4]) {
      const walked: string[] = [];
      for (let offset = 0; offset < expected.length + limit; offset += limit) {
        const p = await page(limit, offset);
        expect(p.total).toBe(expected.length);
        walked.push(...p.items.map((i) => i.contractId));
      }
      expect(walked).toEqual(expected);
    }
  });

  it('counts the nearly-due cut-off in SQL exactly as the working-day rule does, across holidays, 调休 days and provisional years', async () => {
    const db = m.api.get(DataSource);
    // 2025 and 2027 have no notice entered here (provisional: weekends and the fixed-date holidays);
    // 2026's notice is shipped (Spring Festival, National Day with their weekend days worked).
    const rows: { start: string; n: number; day: string }[] = await db.query(
      `SELECT s::date::text AS start, n, (${addWorkingDaysSql('s::date', 'n')})::text AS day
         FROM generate_series('2025-12-01'::date, '2027-01-31'::date, interval '1 day') AS s,
              unnest(ARRAY[0, 1, 3, 5, 15]) AS n`,
    );
    const calendarOf = await m.api.get(WorkingCalendarService).years(2025, 2027);
    const disagreements = rows.filter((r) => r.day !== addWorkingDays(r.start, r.n, calendarOf));
    expect(rows).toHaveLength(427 * 5);
    expect(disagreements).toEqual([]);
    // The ones that matter most: over the Spring Festival and its 调休 Saturday.
    expect(rows.find((r) => r.start === '2026-02-13' && r.n === 1)!.day).toBe('2026-02-14');
    expect(rows.find((r) => r.start === '2026-02-14' && r.n === 1)!.day).toBe('2026-02-24');
    expect(rows.find((r) => r.start === '2026-12-31' && r.n === 1)!.day).toBe('2027-01-04');
  });
});
