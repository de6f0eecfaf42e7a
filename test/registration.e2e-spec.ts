import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount } from './support/accounts';
import { brokerContractInput, createRegistryOffice, signContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer, verifyOrganization } from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';
import { uniqueUscc } from './support/accounts';

describe('registration (认定登记): offices, applications, screening, decisions, deadlines, certificates, audit', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let outsider: Account;
  let office: string;
  let auditor: Account;
  let secondAuditor: Account;
  let otherOfficeAuditor: Account;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({ clock });
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学' });
    buyer = await registerAccount(api, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移中心' });
    outsider = await registerAccount(api, { roles: [Role.Seller, Role.Buyer] });
    for (const account of [seller, buyer]) await verifyOrganization(api, admin, account.organizationId);
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(seller))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
    office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    auditor = await addMember(api, admin, office, [Role.Auditor]);
    secondAuditor = await addMember(api, admin, office, [Role.Auditor]);
    const otherOffice = await createRegistryOffice(api, admin, '株洲市技术合同登记处', '01', ['430200']);
    otherOfficeAuditor = await addMember(api, admin, otherOffice, [Role.Auditor]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  async function signedContract(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId, overrides))
      .expect(201);
    const id = created.body.id as string;
    await signContract(api, id, seller, 1).expect(200);
    await signContract(api, id, buyer, 1).expect(200);
    return id;
  }

  const submit = (id: string, as: Account = seller) => http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(as));

  async function screen(contractId: string): Promise<void> {
    const rows = await env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2`,
      [JobName.ContractSubmitted, contractId],
    );
    for (const row of rows) {
      await worker
        .get(JobDispatcher)
        .run(QueueName.Contracts, { id: row.id, name: JobName.ContractSubmitted, data: row.payload });
    }
  }

  async function underReview(overrides: Record<string, unknown> = {}): Promise<string> {
    const id = await signedContract(overrides);
    await submit(id).expect(200);
    await screen(id);
    return id;
  }

  const decide = (id: string, as: Account, body: Record<string, unknown>) =>
    http(api).post(`/api/v1/registrations/${id}/decision`).set(bearer(as)).send(body);
  const certificate = (id: string, as: Account) =>
    http(api)
      .get(`/api/v1/contracts/${id}/registration-certificate`)
      .set(bearer(as))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          // Problems stay JSON (and are checked against the document as such).
          done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
        });
      });
  const contract = async (id: string) =>
    (await http(api).get(`/api/v1/contracts/${id}`).set(bearer(seller)).expect(200)).body;

  describe('registry offices', () => {
    it('are configured by admins only, for registry organizations, one office per region', async () => {
      const list = await http(api).get('/api/v1/registry-offices').expect(200);
      expect(list.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ organizationId: office, registrationPoint: '02', regionCodes: ['430100'] }),
        ]),
      );
      for (const who of [seller, auditor, broker]) {
        await http(api)
          .post('/api/v1/registry-offices')
          .set(bearer(who))
          .send({ organizationId: office, registrationPoint: '03', regionCodes: [] })
          .expect(403);
      }
      const notOffice = await http(api)
        .post('/api/v1/registry-offices')
        .set(bearer(admin))
        .send({ organizationId: seller.organizationId, registrationPoint: '03', regionCodes: ['430300'] });
      expect(notOffice.body.code).toBe('CONTRACT.NOT_AN_OFFICE');
      const third = await http(api)
        .post('/api/v1/orgs')
        .set(bearer(admin))
        .send({ name: '湘潭市技术合同登记处', uscc: uniqueUscc(), regionCode: '430300', kind: 'registry' })
        .expect(201);
      const taken = await http(api)
        .post('/api/v1/registry-offices')
        .set(bearer(admin))
        .send({ organizationId: third.body.id, registrationPoint: '01', regionCodes: ['430100'] });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'CONTRACT.REGION_TAKEN', regionCode: '430100' });
    });
  });

  describe('application and screening', () => {
    it('is made by the seller side of a signed contract, screened on its own job, then queued at the office', async () => {
      const id = await signedContract();
      for (const who of [buyer, broker]) {
        const refused = await submit(id, who);
        expect(refused.status).toBe(403);
        expect(refused.body.code).toBe('CONTRACT.NOT_SELLER_SIDE');
      }
      await submit(id, outsider).expect(404);
      await submit(id, auditor).expect(404);
      const applied = await submit(id).expect(200);
      expect(applied.body).toMatchObject({ status: 'screening', officeId: office, kind: 'initial', workingDays: 15 });
      expect((await contract(id)).status).toBe('submitted');
      expect((await submit(id)).body.code).toBe('CONTRACT.INVALID_STATE');

      await screen(id);
      await screen(id); // a second delivery changes nothing
      const body = await contract(id);
      expect(body).toMatchObject({
        status: 'under_review',
        registryOfficeId: office,
        registration: { status: 'under_review', screening: { findings: [] } },
      });
      expect(body.registration.screening.note).toContain('screened by the risk rules');

      const queue = await http(api).get('/api/v1/registrations/queue').set(bearer(auditor)).expect(200);
      expect(queue.body.items.map((i: { contractId: string }) => i.contractId)).toContain(id);
      const other = await http(api).get('/api/v1/registrations/queue').set(bearer(otherOfficeAuditor)).expect(200);
      expect(other.body).toEqual({ total: 0, items: [] });
      for (const who of [seller, buyer, broker, admin, outsider]) {
        await http(api).get('/api/v1/registrations/queue').set(bearer(who)).expect(403);
      }
      // The office in charge now sees the contract; another office's auditor does not.
      await http(api).get(`/api/v1/contracts/${id}`).set(bearer(auditor)).expect(200);
      await http(api).get(`/api/v1/contracts/${id}`).set(bearer(otherOfficeAuditor)).expect(404);
    });

    it('refuses an application from a region no office covers with a 409 naming the region', async () => {
      await env.query(`UPDATE organization SET region_code = '440300' WHERE id = $1`, [seller.organizationId]);
      try {
        const id = await signedContract();
        const refused = await submit(id).expect(409);
        expect(refused.body).toMatchObject({ code: 'CONTRACT.REGION_NOT_COVERED', regionCode: '440300' });
        expect(refused.body.detail).toContain('440300');
        expect((await contract(id)).status).toBe('signed');
      } finally {
        await env.query(`UPDATE organization SET region_code = '430100' WHERE id = $1`, [seller.organizationId]);
      }
    });
  });

  describe('decisions', () => {
    it('registers with a 14-digit number: year, province, city, point, serial — and only at the office in charge', async () => {
      const id = await underReview();
      for (const who of [seller, buyer, broker, admin, outsider]) {
        await decide(id, who, { decision: 'register' }).expect(403);
      }
      await decide(id, otherOfficeAuditor, { decision: 'register' }).expect(404);
      const registered = await decide(id, auditor, { decision: 'register' }).expect(200);
      const year = String(clock.now().getUTCFullYear()).slice(2);
      expect(registered.body.registrationNumber).toMatch(new RegExp(`^${year}430102\\d{6}$`));
      // Its validity began on 1 March 2026: performance is tracked from registration.
      expect((await contract(id)).status).toBe('performing');
      expect((await decide(id, auditor, { decision: 'register' })).status).toBe(404);

      const verified = await http(api)
        .get(`/api/v1/registrations/verify/${registered.body.registrationNumber}`)
        .expect(200);
      expect(verified.body).toEqual({
        registrationNumber: registered.body.registrationNumber,
        projectName: '一种高镍三元正极材料制备方法专利权转让',
        contractType: 'transfer',
        contractTypeLabel: '技术转让',
        sellerName: '中南大学',
        buyerName: '湘江新材料有限公司',
        totalAmountFen: 600_000,
        technologyAmountFen: 500_000,
        validFrom: '2026-03-01',
        validUntil: '2027-02-28',
        registeredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        officeName: '长沙市技术合同登记处',
        valid: true,
      });
      await http(api).get('/api/v1/registrations/verify/26430102999999').expect(404);

      // The certificate: a PDF whose text (pdftotext) carries the number and both parties.
      const pdf = await certificate(id, buyer).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const file = join(mkdtempSync(join(tmpdir(), 'certificate-')), 'certificate.pdf');
      writeFileSync(file, pdf.body as Buffer);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(registered.body.registrationNumber);
      expect(text).toContain('中南大学');
      expect(text).toContain('湘江新材料有限公司');
      expect(text).toContain('技术合同登记证明');
      expect(text).toContain(`/api/v1/registrations/verify/${registered.body.registrationNumber}`);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      expect(fonts).toMatch(/CJK|WenQuanYi/);
      expect(
        fonts
          .split('\n')
          .slice(2)
          .filter(Boolean)
          .every((line) => /\byes\s+yes\b/.test(line)),
      ).toBe(true);
      for (const who of [seller, broker, auditor, admin]) await certificate(id, who).expect(200);
      for (const who of [outsider, otherOfficeAuditor]) await certificate(id, who).expect(404);
      await http(api).get('/api/v1/registrations/verify/not-a-number').expect(404);
    });

    it('refuses with grounds and a reason; the applicant objects once; another auditor upholds and it is reviewed again', async () => {
      const id = await underReview();
      expect((await decide(id, auditor, { decision: 'refuse', reason: '标的不清' })).body.code).toBe(
        'CONTRACT.DECISION_INCOMPLETE',
      );
      await decide(id, auditor, { decision: 'refuse', grounds: ['made_up'], reason: 'x' }).expect(400);
      const refused = await decide(id, auditor, {
        decision: 'refuse',
        grounds: ['subject_unclear', 'proofs_missing'],
        reason: '技术标的描述不清，未提交专利证书',
      }).expect(200);
      expect(refused.body).toMatchObject({ status: 'refused', grounds: ['subject_unclear', 'proofs_missing'] });
      expect((await contract(id)).status).toBe('refused');

      const objection = (as: Account) =>
        http(api)
          .post(`/api/v1/contracts/${id}/registration/objection`)
          .set(bearer(as))
          .send({ reason: '已补充专利证书' });
      expect((await objection(buyer)).body.code).toBe('CONTRACT.NOT_SELLER_SIDE');
      await objection(outsider).expect(404);
      await objection(seller).expect(200);
      expect((await objection(seller)).body.code).toBe('CONTRACT.OBJECTION_TAKEN');

      const queue = await http(api).get('/api/v1/registrations/queue').set(bearer(auditor)).expect(200);
      expect(queue.body.items.find((i: { contractId: string }) => i.contractId === id)).toMatchObject({
        flag: 'objection',
      });

      const rule = (as: Account) =>
        http(api)
          .post(`/api/v1/registrations/${id}/objection-ruling`)
          .set(bearer(as))
          .send({ outcome: 'upheld', reason: '证书已补正' });
      expect((await rule(auditor)).body.code).toBe('CONTRACT.SAME_AUDITOR');
      await rule(otherOfficeAuditor).expect(404);
      await rule(seller).expect(403);
      const upheld = await rule(secondAuditor).expect(200);
      expect(upheld.body).toMatchObject({ status: 'under_review', objectionOutcome: 'upheld' });
      expect((await contract(id)).status).toBe('under_review');
      await decide(id, secondAuditor, { decision: 'register' }).expect(200);
    });

    it('confirms a false contract (虚假技术合同) with a reason', async () => {
      const id = await underReview();
      await certificate(id, seller).expect(404); // not registered
      expect((await decide(id, auditor, { decision: 'confirm_false' })).body.code).toBe('CONTRACT.DECISION_INCOMPLETE');
      await decide(id, auditor, { decision: 'confirm_false', reason: '双方为关联方，无实际技术交付' }).expect(200);
      expect((await contract(id)).status).toBe('confirmed_false');
    });

    it('gives 50 concurrent registrations in one office and year 50 distinct, gapless numbers', async () => {
      const point = await createRegistryOffice(api, admin, '长沙高新区技术合同登记点', '07', ['430104']);
      const pointAuditor = await addMember(api, admin, point, [Role.Auditor]);
      await env.query(`UPDATE organization SET region_code = '430104' WHERE id = $1`, [seller.organizationId]);
      const ids: string[] = [];
      try {
        for (let i = 0; i < 50; i++) ids.push(await underReview());
      } finally {
        await env.query(`UPDATE organization SET region_code = '430100' WHERE id = $1`, [seller.organizationId]);
      }
      const responses = await Promise.all(ids.map((id) => decide(id, pointAuditor, { decision: 'register' })));
      expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
      const numbers = responses.map((r) => r.body.registrationNumber as string);
      expect(new Set(numbers).size).toBe(50);
      const year = String(clock.now().getUTCFullYear()).slice(2);
      expect(numbers.every((n) => n.startsWith(`${year}430107`))).toBe(true);
      expect(numbers.map((n) => Number(n.slice(8))).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    });
  });

  describe('the working-day deadline', () => {
    const shanghaiMorning = (date: string) => new Date(`${date}T02:00:00Z`).getTime();
    const moveClockTo = (date: string) => clock.advance(shanghaiMorning(date) - clock.now().getTime());
    let saved: number;
    beforeAll(() => {
      saved = clock.now().getTime();
    });
    afterAll(() => {
      clock.advance(saved - clock.now().getTime());
    });

    it('counts 15 working days across National Day and its 调休 Saturday; a documents request restarts the full period', async () => {
      moveClockTo('2026-09-21');
      const id = await underReview();
      // 22–24 Sept (3), 25–27 中秋 off, 28–30 (6), 1–7 Oct 国庆 off, 8–9 (8), Sat 10 worked (9), 12–16 (14), 19 (15).
      expect((await contract(id)).registration).toMatchObject({ acceptedOn: '2026-09-21', deadlineOn: '2026-10-19' });

      await decide(id, auditor, { decision: 'request_documents', reason: '请补充专利权属证明' }).expect(200);
      expect((await contract(id)).registration).toMatchObject({ status: 'documents_requested', deadlineOn: null });
      moveClockTo('2026-09-30');
      const supply = (as: Account) =>
        http(api).post(`/api/v1/contracts/${id}/registration/documents`).set(bearer(as)).send({ reason: '已补充' });
      expect((await supply(buyer)).body.code).toBe('CONTRACT.NOT_SELLER_SIDE');
      await supply(outsider).expect(404);
      const supplied = await supply(seller).expect(200);
      // From 30 Sept again: 8–9 Oct (2), Sat 10 (3), 12–16 (8), 19–23 (13), 26–27 (15).
      expect(supplied.body).toMatchObject({
        status: 'under_review',
        acceptedOn: '2026-09-30',
        deadlineOn: '2026-10-27',
      });
      expect((await contract(id)).status).toBe('under_review');

      // Past the deadline the review is flagged and leads the queue.
      moveClockTo('2026-10-28');
      const queue = await http(api).get('/api/v1/registrations/queue?limit=5').set(bearer(auditor)).expect(200);
      expect(queue.body.items[0]).toMatchObject({ contractId: id, flag: 'overdue', workingDaysLeft: -1 });

      // Disputed: 30 working days from the same acceptance day.
      await http(api).post(`/api/v1/registrations/${id}/dispute`).set(bearer(seller)).send({ reason: 'x' }).expect(403);
      const disputed = await http(api)
        .post(`/api/v1/registrations/${id}/dispute`)
        .set(bearer(auditor))
        .send({ reason: '权属有争议，需专家评审' })
        .expect(200);
      expect(disputed.body).toMatchObject({ workingDays: 30, acceptedOn: '2026-09-30', deadlineOn: '2026-11-17' });
    });

    it('takes 30 working days for a technology transaction amount of 5,000,000 yuan or more', async () => {
      moveClockTo('2026-09-21');
      const id = await signedContract({
        totalAmountFen: 500_000_000,
        technologyAmountFen: 500_000_000,
        nonTechnicalItems: [],
        milestones: [{ key: 'm1', kind: 'payment', title: '全款', dueOn: '2026-06-01', amountFen: 500_000_000 }],
      });
      const applied = await submit(id).expect(200);
      // 15 working days reach 19 October (as above), 15 more reach 9 November.
      expect(applied.body).toMatchObject({ workingDays: 30, deadlineOn: '2026-11-09' });
    });
  });

  describe('the working-day calendar', () => {
    it('ships 2026 from the State Council notice; admins enter the years to come', async () => {
      const y2026 = await http(api).get('/api/v1/working-calendar/2026').set(bearer(seller)).expect(200);
      expect(y2026.body).toMatchObject({ year: 2026, official: true, source: expect.stringContaining('国务院办公厅') });
      expect(y2026.body.days).toEqual(
        expect.arrayContaining([{ date: '2026-10-10', kind: 'workday', name: '国庆节调休上班' }]),
      );
      const y2027 = await http(api).get('/api/v1/working-calendar/2027').set(bearer(seller)).expect(200);
      expect(y2027.body).toMatchObject({ official: false, source: null });
      const input = {
        source: '国务院办公厅关于2027年部分节假日安排的通知',
        days: [{ date: '2027-10-04', kind: 'holiday', name: '国庆节' }],
      };
      for (const who of [seller, auditor]) {
        await http(api).post('/api/v1/working-calendar/2027').set(bearer(who)).send(input).expect(403);
      }
      const entered = await http(api).post('/api/v1/working-calendar/2027').set(bearer(admin)).send(input).expect(200);
      expect(entered.body).toMatchObject({ official: true, days: [{ date: '2027-10-04', kind: 'holiday' }] });
      const wrongYear = await http(api)
        .post('/api/v1/working-calendar/2027')
        .set(bearer(admin))
        .send({ ...input, days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] });
      expect(wrongYear.status).toBe(400);
    });
  });

  describe('change registration (变更登记)', () => {
    it('puts a signed change of a registered contract in force once the office registers it, keeping the number', async () => {
      const id = await underReview();
      const { body } = await decide(id, auditor, { decision: 'register' }).expect(200);
      const amended = await http(api)
        .post(`/api/v1/contracts/${id}/amendments`)
        .set(bearer(buyer))
        .send({ reason: '项目名称更正', projectName: '高镍三元正极材料制备方法专利权转让（更正）' })
        .expect(201);
      // The registered version stays in force; the change waits beside it.
      expect(amended.body).toMatchObject({ status: 'performing', version: 1 });
      expect(amended.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const apply = (as: Account) => http(api).post(`/api/v1/contracts/${id}/change-registration`).set(bearer(as));
      expect((await apply(seller)).status).toBe(409); // nobody signed the change yet
      await signContract(api, id, seller, 2).expect(200);
      await signContract(api, id, buyer, 2).expect(200);
      expect((await apply(buyer)).body.code).toBe('CONTRACT.NOT_SELLER_SIDE');
      await apply(outsider).expect(404);
      const applied = await apply(seller).expect(200);
      expect(applied.body).toMatchObject({ kind: 'change', contractVersion: 2, status: 'under_review' });
      await decide(id, auditor, { decision: 'register' }).expect(200);
      expect(await contract(id)).toMatchObject({
        status: 'performing',
        version: 2,
        content: { projectName: '高镍三元正极材料制备方法专利权转让（更正）' },
      });
      const verified = await http(api).get(`/api/v1/registrations/verify/${body.registrationNumber}`).expect(200);
      expect(verified.body).toMatchObject({ projectName: '高镍三元正极材料制备方法专利权转让（更正）', valid: true });
    });
  });

  describe('cancellation registration (注销登记)', () => {
    it('ends a registered contract once the office registers the cancellation; the number then verifies as no longer valid', async () => {
      const id = await underReview();
      const { body } = await decide(id, auditor, { decision: 'register' }).expect(200);
      const cancel = (as: Account) =>
        http(api).post(`/api/v1/contracts/${id}/cancellation`).set(bearer(as)).send({ reason: '双方协商提前终止' });
      expect((await cancel(buyer)).body.code).toBe('CONTRACT.NOT_SELLER_SIDE');
      await cancel(outsider).expect(404);
      await cancel(seller).expect(200);
      expect((await cancel(seller)).status).toBe(409);
      await decide(id, auditor, { decision: 'register' }).expect(200);
      expect(await contract(id)).toMatchObject({
        status: 'terminated',
        closedReason: expect.stringContaining('注销登记'),
      });
      const verified = await http(api).get(`/api/v1/registrations/verify/${body.registrationNumber}`).expect(200);
      expect(verified.body.valid).toBe(false);
    });
  });

  describe('audit log', () => {
    it('keeps every step of a contract in its chain, and finds a row changed in PostgreSQL (api and npm run audit:verify)', async () => {
      const id = await underReview();
      await decide(id, auditor, { decision: 'register' }).expect(200);
      const trail = await http(api).get(`/api/v1/contracts/${id}/audit`).set(bearer(buyer)).expect(200);
      expect(trail.body.map((e: { action: string }) => e.action)).toEqual([
        'contract.drafted',
        'contract.signature',
        'contract.signed',
        'registration.applied',
        'registration.screened',
        'registration.register',
        'contract.performing',
      ]);
      await http(api).get(`/api/v1/contracts/${id}/audit`).set(bearer(outsider)).expect(404);

      const clean = await http(api).get('/api/v1/admin/audit/verify').set(bearer(admin)).expect(200);
      expect(clean.body.firstBroken).toBeNull();
      for (const who of [auditor, seller])
        await http(api).get('/api/v1/admin/audit/verify').set(bearer(who)).expect(403);

      const script = join(__dirname, '../dist/tools/audit-verify.js');
      const ok = spawnSync(process.execPath, [script], {
        env: { ...process.env, DATABASE_URL: env.databaseUrl },
        encoding: 'utf8',
      });
      expect(ok.stdout).toContain('OK:');
      expect(ok.status).toBe(0);

      await env.query(`UPDATE audit_entry SET reason = '登记员改写' WHERE chain = $1 AND seq = 6`, [`contract:${id}`]);
      const broken = await http(api).get('/api/v1/admin/audit/verify').set(bearer(admin)).expect(200);
      expect(broken.body.firstBroken).toEqual({ chain: `contract:${id}`, seq: 6, problem: 'hash_mismatch' });
      const failed = spawnSync(process.execPath, [script], {
        env: { ...process.env, DATABASE_URL: env.databaseUrl },
        encoding: 'utf8',
      });
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(`chain contract:${id}, entry 6: hash_mismatch`);
    });

    it('logs organization verification and listing decisions the same way', async () => {
      const org = await registerAccount(api, { roles: [Role.Seller] });
      await verifyOrganization(api, admin, org.organizationId);
      const [entry] = await env.query<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_entry WHERE chain = $1`,
        [`organization:${org.organizationId}`],
      );
      expect(entry).toEqual({ action: 'organization.verified', actor_id: admin.userId });
    });
  });
});
