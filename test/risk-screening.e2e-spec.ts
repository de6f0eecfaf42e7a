import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount, uniqueUscc } from './support/accounts';
import { brokerContractInput, createRegistryOffice, signContract } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer, inventionPatentNumber, verifyOrganization } from './support/listings';
import { Api, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

/** The evidence a finding may show of another contract: parties, amounts, dates, numbers. */
const CONTRACT_EVIDENCE_KEYS = [
  'kind',
  'contractId',
  'number',
  'sellerName',
  'buyerName',
  'amountFen',
  'techAmountFen',
  'signedOn',
  'validFrom',
  'validTo',
  'transferMode',
];

describe('risk: every registration application screened, queued by score, findings for the office in charge, decisions per rule', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let twin: Account;
  let zhuzhou: Account;
  let broker: Account;
  let unrelated: Account;
  let auditor: Account;
  let otherAuditor: Account;
  let patentSerial = 9000;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi({ clock });
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller, Role.Buyer], organizationName: '中南大学' });
    buyer = await registerAccount(api, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    twin = await registerAccount(api, { roles: [Role.Buyer], organizationName: '麓谷智造有限公司' });
    broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移中心' });
    unrelated = await registerAccount(api, { roles: [Role.Buyer, Role.Seller] });
    const zhuzhouOrg = await http(api)
      .post('/api/v1/orgs')
      .set(bearer(admin))
      .send({ name: '株洲动力科技有限公司', uscc: uniqueUscc('430200'), regionCode: '430200', kind: 'enterprise' })
      .expect(201);
    zhuzhou = await addMember(api, admin, zhuzhouOrg.body.id, [Role.Seller, Role.Buyer]);
    for (const account of [seller, buyer, twin, zhuzhou]) await verifyOrganization(api, admin, account.organizationId);
    for (const account of [seller, zhuzhou]) {
      await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(account))
        .send({ brokerOrganizationId: broker.organizationId })
        .expect(201);
    }
    // The twin shares the seller's legal representative: a related party.
    for (const [account, legalRepresentative] of [
      [seller, '王建国'],
      [buyer, '刘芳'],
      [twin, '王 建国'],
    ] as const) {
      await http(api)
        .patch(`/api/v1/orgs/${account.organizationId}/registry`)
        .set(bearer(admin))
        .send({ legalRepresentative })
        .expect(200);
    }
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    const otherOffice = await createRegistryOffice(api, admin, '株洲市技术合同登记处', '01', ['430200']);
    auditor = await addMember(api, admin, office, [Role.Auditor]);
    otherAuditor = await addMember(api, admin, otherOffice, [Role.Auditor]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  /** A signed patent transfer of a patent of its own, submitted and screened by the contract queue's job. */
  async function applied(from: Account, to: Account, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(
        brokerContractInput(from.organizationId, to.organizationId, {
          ipItems: [
            { kind: 'invention_patent', number: inventionPatentNumber(++patentSerial), legalStatus: 'granted' },
          ],
          ...overrides,
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    await signContract(api, id, from, 1).expect(200);
    await signContract(api, id, to, 1).expect(200);
    await http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(from)).expect(200);
    await runJobs(JobName.ContractSubmitted, QueueName.Contracts, id);
    return id;
  }

  async function runJobs(job: JobName, queue: QueueName, contractId: string): Promise<void> {
    const rows = await env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2`,
      [job, contractId],
    );
    for (const row of rows) await worker.get(JobDispatcher).run(queue, { id: row.id, name: job, data: row.payload });
  }

  async function decide(contractId: string, as: Account, body: Record<string, unknown>): Promise<void> {
    await http(api).post(`/api/v1/registrations/${contractId}/decision`).set(bearer(as)).send(body).expect(200);
    await runJobs(JobName.RegistrationDecided, QueueName.Risk, contractId);
    await runJobs(JobName.RegistrationDecided, QueueName.Credit, contractId);
  }

  const riskOf = (id: string, as: Account) => http(api).get(`/api/v1/contracts/${id}/risk`).set(bearer(as));
  const queue = async () =>
    (await http(api).get('/api/v1/registrations/queue?limit=100').set(bearer(auditor)).expect(200)).body.items as {
      contractId: string;
      riskScore: number | null;
      riskFlagged: boolean | null;
      screeningFindings: number;
      workingDaysLeft: number | null;
    }[];

  let honestId: string;
  let relatedId: string;

  it('screens every application: an honest one scores 0, a sale to a related party is flagged, with its evidence and a sentence in both languages', async () => {
    honestId = await applied(seller, buyer);
    clock.advanceDays(1);
    relatedId = await applied(seller, twin);

    expect((await riskOf(honestId, auditor).expect(200)).body).toMatchObject({
      score: 0,
      flagged: false,
      flagScore: 50,
      findings: [],
    });
    const related = (await riskOf(relatedId, auditor).expect(200)).body;
    expect(related).toMatchObject({ contractId: relatedId, score: 50, flagged: true });
    expect(related.findings).toEqual([
      expect.objectContaining({
        rule: 'related_parties',
        weight: 50,
        evidence: [
          expect.objectContaining({ kind: 'relation', relation: 'same_legal_representative', value: '王建国' }),
        ],
        sentence: {
          zh: expect.stringContaining('法定代表人相同'),
          en: expect.stringContaining('legal representative'),
        },
        decision: null,
      }),
    ]);
    // The parties see that it was screened, not what was found.
    const seen = (await http(api).get(`/api/v1/contracts/${relatedId}`).set(bearer(seller)).expect(200)).body;
    expect(seen.registration).toMatchObject({ status: 'under_review', screening: { findings: [] } });
  });

  it('finds a patent whose term ends before the contract, from the filing date given or from the number’s year', async () => {
    // Filed 10 March 2006: an invention patent is in force until 9 March 2026, before the contract ends.
    const expired = await applied(seller, buyer, {
      ipItems: [
        { kind: 'invention_patent', number: 'ZL200610012345.6', legalStatus: 'granted', filingDate: '2006-03-10' },
      ],
    });
    const found = (await riskOf(expired, auditor).expect(200)).body.findings;
    expect(found).toEqual([
      expect.objectContaining({
        rule: 'ip_not_in_force',
        evidence: [
          expect.objectContaining({
            kind: 'ip',
            filingDate: '2006-03-10',
            filingDateFromNumber: false,
            expiresOn: '2026-03-09',
          }),
        ],
      }),
    ]);
    const contract = (await http(api).get(`/api/v1/contracts/${expired}`).set(bearer(seller)).expect(200)).body;
    expect(JSON.stringify(contract)).toContain('"filingDate":"2006-03-10"');
    // No filing date: the number's year (2006) stands in, counted from its last day — still expired before 2027.
    const fallback = await applied(seller, buyer, {
      ipItems: [{ kind: 'invention_patent', number: 'ZL200610012346.7', legalStatus: 'granted' }],
    });
    expect((await riskOf(fallback, auditor).expect(200)).body.findings[0].evidence[0]).toMatchObject({
      filingDateFromNumber: true,
      expiresOn: '2026-12-30',
    });
    // A patent filed in 2023 outlives the contract: nothing found.
    const young = await applied(seller, buyer, {
      ipItems: [
        { kind: 'invention_patent', number: 'ZL202310012347.1', legalStatus: 'granted', filingDate: '2023-02-01' },
      ],
    });
    expect((await riskOf(young, auditor).expect(200)).body.findings).toEqual([]);
  });

  it('queues by score, after the overdue and nearly due', async () => {
    const mine = (items: Awaited<ReturnType<typeof queue>>) =>
      items.filter((i) => [honestId, relatedId].includes(i.contractId));
    const before = mine(await queue());
    expect(before.map((i) => [i.contractId, i.riskScore, i.riskFlagged, i.screeningFindings])).toEqual([
      [relatedId, 50, true, 1],
      [honestId, 0, false, 0],
    ]);
    // Days pass until the honest application, filed a day earlier, is nearly due and the other not yet.
    for (let day = 0; day < 30; day++) {
      const items = mine(await queue());
      const honest = items.find((i) => i.contractId === honestId)!;
      const related = items.find((i) => i.contractId === relatedId)!;
      if (honest.workingDaysLeft! <= 3 && related.workingDaysLeft! > 3) {
        expect(items.map((i) => i.contractId)).toEqual([honestId, relatedId]);
        return;
      }
      clock.advanceDays(1);
    }
    throw new Error('the honest application never became nearly due alone');
  });

  it('shows what a rule found in a contract filed with another office, limited to parties, amounts, dates and numbers', async () => {
    const there = await applied(zhuzhou, seller);
    await decide(there, otherAuditor, { decision: 'register' });
    const back = await applied(seller, zhuzhou);
    const finding = (await riskOf(back, auditor).expect(200)).body.findings.find(
      (f: { rule: string }) => f.rule === 'round_trip',
    );
    expect(finding.evidence.map((e: { contractId: string }) => e.contractId)).toEqual([back, there]);
    expect(finding.evidence[1]).toMatchObject({
      number: expect.stringMatching(/^\d{14}$/),
      sellerName: '株洲动力科技有限公司',
      buyerName: '中南大学',
      amountFen: 600_000,
    });
    for (const row of finding.evidence)
      expect(CONTRACT_EVIDENCE_KEYS).toEqual(expect.arrayContaining(Object.keys(row)));
    await riskOf(back, otherAuditor).expect(404);
    await riskOf(there, otherAuditor).expect(200);
    await riskOf(there, auditor).expect(404);
  });

  it('answers 404 to another office, for a contract never screened and a malformed id; 403 to the parties, brokers and others', async () => {
    await riskOf(relatedId, admin).expect(200);
    await riskOf(relatedId, otherAuditor).expect(404);
    await riskOf(randomUUID(), auditor).expect(404);
    await riskOf('not-a-uuid', auditor).expect(404);
    for (const account of [seller, twin, buyer, broker, unrelated]) await riskOf(relatedId, account).expect(403);
    await http(api).get(`/api/v1/contracts/${relatedId}/risk`).expect(401);
  });

  it('keeps the auditors’ decision with every finding, and gives admins each rule’s confirmation rate', async () => {
    const rules = async () => (await http(api).get('/api/v1/risk/rules').set(bearer(admin)).expect(200)).body;
    const relatedStats = (body: { rules: { rule: string }[] }) =>
      body.rules.find((r) => r.rule === 'related_parties') as unknown as Record<string, number | null>;
    const before = relatedStats(await rules());
    expect(before).toMatchObject({ findings: 1, undecided: 1, confirmationRate: null });

    await decide(relatedId, auditor, { decision: 'confirm_false', reason: '关联方之间无实际技术交付' });
    const again = await applied(seller, twin, {
      projectName: '高镍三元正极材料烧结工艺技术秘密转让',
      subKind: 'technical_secret',
    });
    await decide(again, auditor, { decision: 'register' });

    const finding = (await riskOf(relatedId, auditor).expect(200)).body.findings[0];
    expect(finding).toMatchObject({ rule: 'related_parties', decision: 'confirmed', decidedAt: expect.any(String) });
    expect((await riskOf(again, auditor).expect(200)).body.findings[0].decision).toBe('dismissed');
    const after = await rules();
    expect(relatedStats(after)).toMatchObject({
      findings: 2,
      confirmed: 1,
      dismissed: 1,
      undecided: 0,
      confirmationRate: 0.5,
    });
    expect(after.rules).toHaveLength(9);
    expect(after.rules.find((r: { rule: string }) => r.rule === 'double_sale')).toMatchObject({
      weight: 80,
      findings: 0,
      confirmationRate: null,
    });
    for (const account of [auditor, seller, twin, broker, unrelated]) {
      await http(api).get('/api/v1/risk/rules').set(bearer(account)).expect(403);
    }
  });

  it('keeps credit records: a confirmed false contract makes its parties and broker D, disclosed publicly; the next application flags poor credit', async () => {
    // By now: the related-party contract was confirmed false, another registered (previous test).
    const sellerRecord = (
      await http(api).get(`/api/v1/credit/orgs/${seller.organizationId}`).set(bearer(seller)).expect(200)
    ).body;
    expect(sellerRecord).toMatchObject({
      subject: 'organization',
      id: seller.organizationId,
      name: '中南大学',
      rating: 'D',
    });
    expect(sellerRecord.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['contract_confirmed_false', 'contract_registered']),
    );
    const twinRecord = (
      await http(api).get(`/api/v1/credit/orgs/${twin.organizationId}`).set(bearer(auditor)).expect(200)
    ).body;
    expect(twinRecord).toMatchObject({ rating: 'D', points: 55 });
    const brokerRecord = (
      await http(api).get(`/api/v1/credit/brokers/${broker.organizationId}`).set(bearer(broker)).expect(200)
    ).body;
    expect(brokerRecord.rating).toBe('D');
    const buyerRecord = (
      await http(api).get(`/api/v1/credit/orgs/${buyer.organizationId}`).set(bearer(admin)).expect(200)
    ).body;
    expect(buyerRecord).toMatchObject({ rating: 'A', points: 100, events: [] });

    // Only the organization's own members, auditors and admins read a record.
    for (const account of [unrelated, buyer, zhuzhou]) {
      await http(api).get(`/api/v1/credit/orgs/${seller.organizationId}`).set(bearer(account)).expect(404);
    }
    await http(api).get(`/api/v1/credit/brokers/${broker.organizationId}`).set(bearer(seller)).expect(404);
    await http(api).get(`/api/v1/credit/orgs/not-a-uuid`).set(bearer(admin)).expect(404);
    await http(api).get(`/api/v1/credit/orgs/${seller.organizationId}`).expect(401);

    // The public list: organizations rated D with the confirmed facts, nothing private.
    const disclosed = (await http(api).get('/api/v1/credit/disclosures').expect(200)).body as {
      organizationId: string;
      facts: string[];
    }[];
    expect(disclosed.map((d) => d.organizationId).sort()).toEqual([seller.organizationId, twin.organizationId].sort());
    for (const d of disclosed) {
      expect(d.facts).toHaveLength(1);
      expect(d.facts[0]).toContain('虚假技术合同');
      expect(d.facts[0]).not.toContain('麓谷智造');
      expect(d.facts[0]).not.toContain('中南大学');
    }

    // Screening reads the ratings: the seller's next application carries a poor-credit finding.
    const next = await applied(seller, buyer);
    const findings = (await riskOf(next, auditor).expect(200)).body.findings;
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'poor_credit',
        weight: 50,
        evidence: expect.arrayContaining([expect.objectContaining({ kind: 'rating', rating: 'D', name: '中南大学' })]),
      }),
    ]);
  });

  it('screens applications gathered into one batch in the order applied: each sees the ones before it, never a later one', async () => {
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(buyer))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
    const submitted = async (from: Account, to: Account) => {
      const created = await http(api)
        .post('/api/v1/contracts')
        .set(bearer(broker))
        .send(
          brokerContractInput(from.organizationId, to.organizationId, {
            ipItems: [
              { kind: 'invention_patent', number: inventionPatentNumber(++patentSerial), legalStatus: 'granted' },
            ],
          }),
        )
        .expect(201);
      const id = created.body.id as string;
      await signContract(api, id, from, 1).expect(200);
      await signContract(api, id, to, 1).expect(200);
      await http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(from)).expect(200);
      return id;
    };
    // A sale and, applied for after it, the way back of the same amount: a round trip.
    const out = await submitted(seller, buyer);
    const back = await submitted(buyer, seller);
    const rows = await env.query<{ id: string; payload: unknown }>(
      `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = ANY($2)`,
      [JobName.ContractSubmitted, [out, back]],
    );
    expect(rows).toHaveLength(2);
    // Delivered at once, as a worker holding both jobs runs them: one batch.
    const dispatcher = worker.get(JobDispatcher);
    await Promise.all(
      rows.map((row) =>
        dispatcher.run(QueueName.Contracts, { id: row.id, name: JobName.ContractSubmitted, data: row.payload }),
      ),
    );
    const rules = async (id: string) =>
      ((await riskOf(id, auditor).expect(200)).body.findings as { rule: string }[]).map((f) => f.rule);
    expect(await rules(back)).toContain('round_trip');
    // The first leg was applied for before the way back existed: nothing to close a cycle with.
    expect(await rules(out)).not.toContain('round_trip');
    const listed = await queue();
    for (const id of [out, back]) expect(listed.map((i) => i.contractId)).toContain(id);
  });
});
