import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { brokerContractInput, createRegistryOffice, deliverTradeAgreed, signContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { announce, bearer, runLatestJob, verifyOrganization } from './support/listings';
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
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    auditor = await addMember(api, admin, office, [Role.Auditor]);
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
      await http(api)
        .get(`/api/v1/stats/contracts.csv?${new URLSearchParams(range)}`)
        .set(bearer(who))
        .expect(200);
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

  describe('demonstration counties (示范县)', () => {
    const binary = (request: ReturnType<ReturnType<typeof http>['get']>) =>
      request.buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const report = (code: string, year: number, as: Account, suffix = '') =>
      http(api).get(`/api/v1/stats/counties/${code}/report${suffix}?year=${year}`).set(bearer(as));
    const designation = (regionCode: string, name: string, constructionStartYear: number) => ({
      regionCode,
      name,
      constructionStartYear,
      featuredIndustries: [
        { name: '新能源材料', technicalField: 'new_energy' },
        { name: '花炮文化', technicalField: null },
      ],
    });
    let year: number;
    let listingId: string;
    let contractId: string;
    // Parties of their own, in two other counties: Ningxiang sells, Chaling buys.
    let countySeller: Account;
    let countyBuyer: Account;

    beforeAll(async () => {
      countySeller = await registerAccount(api, {
        roles: [Role.Seller],
        organizationName: '宁乡农业科学研究所',
        kind: 'institute',
        regionCode: '430182',
      });
      countyBuyer = await registerAccount(api, {
        roles: [Role.Buyer],
        organizationName: '茶陵食品科技有限公司',
        regionCode: '430224',
      });
      for (const account of [countySeller, countyBuyer]) await verifyOrganization(api, admin, account.organizationId);
    });

    /** A listing of the Ningxiang institute sold at its listed price to the Chaling buyer, drafted, completed, signed, registered. */
    async function listedTradeRegistered(): Promise<{ contractId: string; registeredOn: string }> {
      listingId = await announce(api, countySeller, admin, { title: '宁乡花猪肉品保鲜加工技术' });
      clock.advanceDays(16);
      await runLatestJob(worker, env, listingId, JobName.ListingAnnouncementEnded);
      await http(api).post(`/api/v1/listings/${listingId}/intents`).set(bearer(countyBuyer)).send({}).expect(201);
      clock.advanceDays(21);
      await runLatestJob(worker, env, listingId, JobName.ListingPeriodEnded);
      await deliverTradeAgreed(worker, env, listingId);
      const [{ id }] = await env.query<{ id: string }>(`SELECT id FROM contract WHERE listing_id = $1`, [listingId]);
      const start = new Date(clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const end = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`;
      await http(api)
        .patch(`/api/v1/contracts/${id}`)
        .set(bearer(countySeller))
        .send({
          validFrom: start,
          validUntil: end,
          expectedNewInvestmentFen: 20_000_000,
          expectedNewOutputFen: 80_000_000,
          milestones: [{ key: 'm1', kind: 'payment', title: '一次性付款', dueOn: start, amountFen: 50_000_000 }],
        })
        .expect(200);
      await signContract(api, id, countySeller, 1).expect(200);
      await signContract(api, id, countyBuyer, 1).expect(200);
      await http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(countySeller)).expect(200);
      await deliver(QueueName.Contracts, [JobName.ContractSubmitted], id);
      await http(api)
        .post(`/api/v1/registrations/${id}/decision`)
        .set(bearer(auditor))
        .send({ decision: 'register', reason: '材料齐全' })
        .expect(200);
      const [{ payload }] = await env.query<{ payload: { facts: { registeredOn: string } } }>(
        `SELECT payload FROM outbox_event WHERE job_name = $1 AND payload->'facts'->>'contractId' = $2`,
        [JobName.ContractRegistered, id],
      );
      return { contractId: id, registeredOn: payload.facts.registeredOn };
    }

    it('are designated by admins only, once per county, with a county-level code', async () => {
      year = Number(new Date(clock.now().getTime() + 37 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 4));
      const body = designation('430182', '宁乡市', year - 1);
      for (const who of [seller, buyer, broker, auditor, outsider]) {
        await http(api).post('/api/v1/stats/counties').set(bearer(who)).send(body).expect(403);
      }
      await http(api).post('/api/v1/stats/counties').send(body).expect(401);
      const created = await http(api).post('/api/v1/stats/counties').set(bearer(admin)).send(body).expect(201);
      expect(created.body).toMatchObject({
        regionCode: '430182',
        constructionStartYear: year - 1,
        constructionEndYear: year + 1,
        featuredIndustries: body.featuredIndustries,
      });
      const again = await http(api).post('/api/v1/stats/counties').set(bearer(admin)).send(body).expect(409);
      expect(again.body.code).toBe('STATS.COUNTY_DESIGNATED');
      const city = await http(api)
        .post('/api/v1/stats/counties')
        .set(bearer(admin))
        .send(designation('430100', '长沙市', year))
        .expect(400);
      expect(city.body.errors).toEqual([expect.objectContaining({ field: 'regionCode' })]);
      await http(api)
        .post('/api/v1/stats/counties')
        .set(bearer(admin))
        .send(designation('430224', '茶陵', year))
        .expect(201);

      for (const who of [seller, buyer, broker, auditor, outsider]) {
        await http(api).patch('/api/v1/stats/counties/430224').set(bearer(who)).send({ name: '茶陵县' }).expect(403);
        await http(api).delete('/api/v1/stats/counties/430224').set(bearer(who)).expect(403);
      }
      await http(api).patch('/api/v1/stats/counties/430224').send({ name: '茶陵县' }).expect(401);
      await http(api).delete('/api/v1/stats/counties/430224').expect(401);
      const renamed = await http(api)
        .patch('/api/v1/stats/counties/430224')
        .set(bearer(admin))
        .send({ name: '茶陵县' })
        .expect(200);
      expect(renamed.body.name).toBe('茶陵县');
      await http(api).patch('/api/v1/stats/counties/430999').set(bearer(admin)).send({ name: 'x' }).expect(404);
      const listed = await http(api).get('/api/v1/stats/counties').expect(200);
      expect(listed.body.map((c: { regionCode: string }) => c.regionCode)).toEqual(['430182', '430224']);
    });

    it('report a registered contract in the seller’s and the buyer’s county, as JSON, CSV and PDF, and the ranking moves; a cancellation takes it back', async () => {
      const empty = (await report('430182', year, admin).expect(200)).body;
      expect(empty).toMatchObject({ year, constructionYear: 2, output: { contracts: 0 }, achievementsTransferred: [] });

      const registeredContract = await listedTradeRegistered();
      contractId = registeredContract.contractId;
      expect(Number(registeredContract.registeredOn.slice(0, 4))).toBe(year);
      await deliver(QueueName.Stats, [JobName.ContractRegistered], contractId);

      const liuyang = (await report('430182', year, admin).expect(200)).body;
      const amounts = { contracts: 1, totalAmountFen: 50_000_000, technologyAmountFen: 50_000_000 };
      expect(liuyang.output).toMatchObject({
        ...amounts,
        byType: [{ contractType: 'transfer', label: '技术转让', ...amounts }],
        previousYear: { contracts: 0 },
        growth: { contractsPercent: null },
      });
      expect(liuyang.absorption).toMatchObject({ contracts: 0 });
      expect(liuyang.achievementsTransferred).toEqual([
        {
          listingId,
          projectName: '宁乡花猪肉品保鲜加工技术',
          sellerName: '宁乡农业科学研究所',
          contractType: 'transfer',
          technologyAmountFen: 50_000_000,
          registeredOn: registeredContract.registeredOn,
        },
      ]);
      expect(liuyang.featuredIndustries).toEqual([
        { name: '新能源材料', technicalField: 'new_energy', ...amounts },
        { name: '花炮文化', technicalField: null, contracts: 0, totalAmountFen: 0, technologyAmountFen: 0 },
      ]);
      expect(liuyang.institutions).toEqual([
        {
          organizationId: countySeller.organizationId,
          name: '宁乡农业科学研究所',
          kind: 'research_institute',
          asSeller: 1,
          asBuyer: 0,
        },
      ]);
      const tianyuan = (await report('430224', year, auditor).expect(200)).body;
      expect(tianyuan.absorption).toMatchObject(amounts);
      expect(tianyuan.output).toMatchObject({ contracts: 0 });
      expect(tianyuan.constructionYear).toBe(1);

      const csv = await binary(report('430182', year, auditor, '.csv'))
        .expect(200)
        .expect('content-type', /text\/csv/);
      const csvText = (csv.body as Buffer).toString('utf8');
      expect(
        csvText.startsWith('\uFEFFsection,key,label,contracts,totalAmountFen,technologyAmountFen,detail\r\n'),
      ).toBe(true);
      expect(csvText).toContain(`output,total,合计,1,50000000,50000000,${year}`);
      expect(csvText).toContain(`achievement,${listingId},宁乡花猪肉品保鲜加工技术,1,,50000000,`);

      const pdf = await binary(report('430182', year, admin, '.pdf'))
        .expect(200)
        .expect('content-type', 'application/pdf');
      const file = join(mkdtempSync(join(tmpdir(), 'county-report-')), 'report.pdf');
      writeFileSync(file, pdf.body as Buffer);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('宁乡市科技成果转移转化示范县');
      expect(text).toContain('宁乡花猪肉品保鲜加工技术');
      expect(text).toContain('宁乡农业科学研究所');
      expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/CJK|WenQuanYi/);

      const ranking = (await http(api).get(`/api/v1/stats/counties/ranking?year=${year}`).expect(200)).body;
      expect(ranking.rows).toEqual([
        expect.objectContaining({ rank: 1, regionCode: '430182', technologyAmountFen: 50_000_000, output: amounts }),
        expect.objectContaining({
          rank: 1,
          regionCode: '430224',
          technologyAmountFen: 50_000_000,
          absorption: amounts,
        }),
      ]);
      // The county breakdown names a designated county by the name the admin gave it where none is built in.
      const byBuyerCounty = (
        await stats({ from: `${year}-01-01`, to: `${year}-12-31`, groupBy: 'buyerCounty' }).expect(200)
      ).body;
      expect(byBuyerCounty.rows).toContainEqual(
        expect.objectContaining({ key: '430224', label: '茶陵县', contracts: 1 }),
      );

      // Cancelled (注销登记): the report, its CSV and the ranking go back.
      await http(api)
        .post(`/api/v1/contracts/${contractId}/cancellation`)
        .set(bearer(countySeller))
        .send({ reason: '买方放弃实施' })
        .expect(200);
      await http(api)
        .post(`/api/v1/registrations/${contractId}/decision`)
        .set(bearer(auditor))
        .send({ decision: 'register', reason: '注销' })
        .expect(200);
      await deliver(QueueName.Stats, [JobName.ContractRegistrationCancelled], contractId);
      const after = (await report('430182', year, admin).expect(200)).body;
      expect(after).toEqual(empty);
      const afterCsv = (await binary(report('430182', year, admin, '.csv')).expect(200)).body as Buffer;
      expect(afterCsv.toString('utf8')).toContain(`output,total,合计,0,0,0,${year}`);
      expect(afterCsv.toString('utf8')).not.toContain('achievement,');
      const afterRanking = (await http(api).get(`/api/v1/stats/counties/ranking?year=${year}`).expect(200)).body;
      expect(afterRanking.rows.map((r: { technologyAmountFen: number }) => r.technologyAmountFen)).toEqual([0, 0]);
    });

    it('show reports to admins and registry auditors only; the list and the ranking to everyone', async () => {
      for (const suffix of ['', '.csv', '.pdf']) {
        for (const who of [admin, auditor]) await report('430182', year, who, suffix).expect(200);
        for (const who of [countySeller, countyBuyer, seller, buyer, broker, outsider])
          await report('430182', year, who, suffix).expect(403);
        await http(api).get(`/api/v1/stats/counties/430182/report${suffix}?year=${year}`).expect(401);
        await report('430999', year, admin, suffix).expect(404);
      }
      await report('430182', 1999, admin).expect(400);
      for (const who of [admin, seller, buyer, broker, auditor, outsider]) {
        await http(api).get('/api/v1/stats/counties').set(bearer(who)).expect(200);
        await http(api).get(`/api/v1/stats/counties/ranking?year=${year}`).set(bearer(who)).expect(200);
      }
      await http(api).get('/api/v1/stats/counties/ranking').expect(200);
    });

    it('are withdrawn by an admin: the county leaves the list, the ranking and its report', async () => {
      await http(api).delete('/api/v1/stats/counties/430224').set(bearer(admin)).expect(200);
      await http(api).delete('/api/v1/stats/counties/430224').set(bearer(admin)).expect(404);
      const ranking = (await http(api).get(`/api/v1/stats/counties/ranking?year=${year}`).expect(200)).body;
      expect(ranking.rows.map((r: { regionCode: string }) => r.regionCode)).toEqual(['430182']);
      await report('430224', year, admin).expect(404);
    });
  });
});
