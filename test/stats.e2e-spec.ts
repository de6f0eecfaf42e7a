import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount, uniqueUscc } from './support/accounts';
import { brokerContractInput, signContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer, verifyOrganization } from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

describe('market statistics of registered contracts (GET /stats/contracts)', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let auditor: Account;
  let outsider: Account;
  const day = today();
  const range = { from: `${day.slice(0, 4)}-01-01`, to: `${day.slice(0, 4)}-12-31` };

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({ clock });
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    // Output from Liuyang (a county-level city of Changsha), absorbed in Tianyuan district of Zhuzhou.
    seller = await registerAccount(api, {
      roles: [Role.Seller],
      organizationName: '浏阳生物技术研究所',
      kind: 'institute',
      regionCode: '430181',
    });
    buyer = await registerAccount(api, {
      roles: [Role.Buyer],
      organizationName: '株洲新材科技有限公司',
      regionCode: '430211',
    });
    broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移中心', kind: 'agency' });
    outsider = await registerAccount(api, { roles: [Role.Seller, Role.Buyer] });
    for (const account of [seller, buyer]) await verifyOrganization(api, admin, account.organizationId);
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(seller))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
    const office = await http(api)
      .post('/api/v1/orgs')
      .set(bearer(admin))
      .send({ name: '长沙市技术合同登记处', uscc: uniqueUscc(), regionCode: '430100', kind: 'registry' })
      .expect(201);
    await http(api)
      .post('/api/v1/registry-offices')
      .set(bearer(admin))
      .send({ organizationId: office.body.id, registrationPoint: '02', regionCodes: ['430100'] })
      .expect(200);
    auditor = await addMember(api, admin, office.body.id as string, [Role.Auditor]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  /** Runs every outbox row of these jobs for the contract on its queue, as the relay would hand them over. */
  async function deliver(queue: QueueName, jobs: JobName[], contractId: string, redelivery = ''): Promise<number> {
    const rows = await env.query<{ id: string; job_name: JobName; payload: unknown }>(
      `SELECT id, job_name, payload FROM outbox_event
        WHERE job_name = ANY($1) AND (payload->>'contractId' = $2 OR payload->'facts'->>'contractId' = $2)
        ORDER BY created_at`,
      [jobs, contractId],
    );
    for (const row of rows) {
      await worker
        .get(JobDispatcher)
        .run(queue, { id: `${row.id}${redelivery}`, name: row.job_name, data: row.payload });
    }
    return rows.length;
  }

  async function registered(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId, overrides))
      .expect(201);
    const id = created.body.id as string;
    await signContract(api, id, seller, 1).expect(200);
    await signContract(api, id, buyer, 1).expect(200);
    await http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(seller)).expect(200);
    await deliver(QueueName.Contracts, [JobName.ContractSubmitted], id);
    await http(api)
      .post(`/api/v1/registrations/${id}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register', reason: '材料齐全' })
      .expect(200);
    return id;
  }

  const stats = (query: Record<string, string>, as?: Account) => {
    const request = http(api).get(`/api/v1/stats/contracts?${new URLSearchParams(query)}`);
    return as ? request.set(bearer(as)) : request;
  };
  const rowsOf = async (query: Record<string, string>) => (await stats({ ...range, ...query }).expect(200)).body.rows;

  it('counts a registered contract in every breakdown once its event is processed, and takes it back when cancelled', async () => {
    const before = (await stats({ ...range, groupBy: 'contractType' }).expect(200)).body;
    expect(before.totals).toEqual({ contracts: 0, totalAmountFen: 0, technologyAmountFen: 0 });

    const id = await registered();
    // Not yet: the figures move when the statistics queue has the event, not with the decision.
    expect((await stats({ ...range }).expect(200)).body.totals.contracts).toBe(0);
    expect(await deliver(QueueName.Stats, [JobName.ContractRegistered], id)).toBe(1);

    const amounts = { contracts: 1, totalAmountFen: 600_000, technologyAmountFen: 500_000 };
    expect(await rowsOf({ groupBy: 'contractType' })).toEqual([
      { month: null, key: 'transfer', label: '技术转让', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'technicalField' })).toEqual([
      { month: null, key: 'new_energy', label: '新能源', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'sellerKind' })).toEqual([
      { month: null, key: 'research_institute', label: '科研机构', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'buyerKind' })).toEqual([
      { month: null, key: 'enterprise', label: '企业', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'ipKind' })).toEqual([
      { month: null, key: 'invention_patent', label: '发明专利', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'sellerCounty' })).toEqual([
      { month: null, key: '430181', label: '浏阳市', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'sellerCity' })).toEqual([
      { month: null, key: '430100', label: '长沙市', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'buyerCity' })).toEqual([
      { month: null, key: '430200', label: '株洲市', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'buyerCounty' })).toEqual([
      { month: null, key: '430211', label: '天元区', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'buyerProvince' })).toEqual([
      { month: null, key: '430000', label: '湖南省', ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'month' })).toEqual([
      { month: day.slice(0, 7), key: null, label: null, ...amounts },
    ]);
    expect(await rowsOf({ groupBy: 'contractType,month' })).toEqual([
      { month: day.slice(0, 7), key: 'transfer', label: '技术转让', ...amounts },
    ]);

    // A range that starts and ends inside the month counts the day exactly; the day after does not.
    expect((await stats({ from: day, to: day }).expect(200)).body.totals).toEqual(amounts);
    const next = new Date(`${day}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const tomorrow = next.toISOString().slice(0, 10);
    expect((await stats({ from: tomorrow, to: tomorrow }).expect(200)).body.totals.contracts).toBe(0);

    // The CSV: the same rows, UTF-8 with a BOM.
    const csv = await http(api)
      .get(`/api/v1/stats/contracts.csv?${new URLSearchParams({ ...range, groupBy: 'contractType' })}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
      .expect('content-type', /text\/csv/);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')).toEqual([
      'month,key,label,contracts,totalAmountFen,technologyAmountFen',
      ',transfer,技术转让,1,600000,500000',
      '',
    ]);

    // Cancellation registered (注销登记): every figure goes back.
    await http(api)
      .post(`/api/v1/contracts/${id}/cancellation`)
      .set(bearer(seller))
      .send({ reason: '双方协商提前终止' })
      .expect(200);
    await http(api)
      .post(`/api/v1/registrations/${id}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register', reason: '注销' })
      .expect(200);
    expect(await deliver(QueueName.Stats, [JobName.ContractRegistrationCancelled], id)).toBe(1);
    const after = (await stats({ ...range, groupBy: 'contractType' }).expect(200)).body;
    expect(after.rows).toEqual([]);
    expect(after.totals).toEqual(before.totals);
    expect(await rowsOf({ groupBy: 'sellerCounty,month' })).toEqual([]);
  });

  it('applies an event once: a redelivery, under the same job id or another, changes nothing', async () => {
    const id = await registered({ contractType: 'development', subKind: 'commissioned', ipItems: [] });
    await deliver(QueueName.Stats, [JobName.ContractRegistered], id);
    await deliver(QueueName.Stats, [JobName.ContractRegistered], id);
    await deliver(QueueName.Stats, [JobName.ContractRegistered], id, ':redelivered');
    expect(await rowsOf({ groupBy: 'contractType' })).toEqual([
      {
        month: null,
        key: 'development',
        label: '技术开发',
        contracts: 1,
        totalAmountFen: 600_000,
        technologyAmountFen: 500_000,
      },
    ]);
    expect(await rowsOf({ groupBy: 'ipKind' })).toEqual([expect.objectContaining({ key: 'none', contracts: 1 })]);
  });

  it('moves a contract from its old facts to its new ones on a change registration, and a late or repeated change does nothing', async () => {
    const [{ id: outboxId, payload }] = await env.query<{
      id: string;
      payload: { registrationId: string; at: string; facts: Record<string, unknown> };
    }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->'facts'->>'contractType' = 'development'`,
      [JobName.ContractRegistered],
    );
    const changed = {
      registrationId: '0b6c3c55-8d1e-4f39-9a55-6d0c2f1e7a11',
      at: payload.at,
      facts: {
        ...payload.facts,
        version: 2,
        contractType: 'service',
        subKind: 'technical_service',
        technologyAmountFen: 450_000,
      },
    };
    const run = (id: string, data: unknown) =>
      worker.get(JobDispatcher).run(QueueName.Stats, { id, name: JobName.ContractRegistrationChanged, data });
    await run(`${outboxId}:change`, changed);
    await run(`${outboxId}:change-again`, changed);
    // An older version than the one counted is no news.
    await run(`${outboxId}:stale`, {
      ...changed,
      registrationId: '5a0e1c9b-2f7d-4c4e-8b1a-3e9f0d6c2b44',
      facts: { ...payload.facts, version: 1 },
    });
    expect(await rowsOf({ groupBy: 'contractType' })).toEqual([
      {
        month: null,
        key: 'service',
        label: '技术服务',
        contracts: 1,
        totalAmountFen: 600_000,
        technologyAmountFen: 450_000,
      },
    ]);
    expect((await stats(range).expect(200)).body.totals).toEqual({
      contracts: 1,
      totalAmountFen: 600_000,
      technologyAmountFen: 450_000,
    });
  });

  it('answers everyone alike, signed in or not, and names no party', async () => {
    const anonymous = (await stats({ ...range, groupBy: 'sellerCounty' }).expect(200)).body;
    for (const who of [admin, seller, buyer, broker, auditor, outsider]) {
      expect((await stats({ ...range, groupBy: 'sellerCounty' }, who).expect(200)).body).toEqual(anonymous);
    }
    const text = JSON.stringify((await stats({ ...range, groupBy: 'buyerCounty' }).expect(200)).body);
    for (const name of ['浏阳生物技术研究所', '株洲新材科技有限公司', '潇湘技术转移中心', seller.organizationId]) {
      expect(text).not.toContain(name);
    }
  });

  it('refuses a breakdown it does not know, a day that does not exist and a range that ends before it starts', async () => {
    const problems = [
      [{ groupBy: 'sellerName' }, 'groupBy'],
      [{ groupBy: 'contractType,ipKind' }, 'groupBy'],
      [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
      [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
      [{ from: '20260301' }, 'from'],
      [{ format: 'csv' }, 'format'],
    ] as const;
    for (const [query, field] of problems) {
      const answer = await stats(query as Record<string, string>).expect(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });
});
