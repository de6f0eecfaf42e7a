import { Role } from '@market/identity';
import { JobName, QueueName } from '@market/queue';
import { Account, addMember, registerAccount } from './support/accounts';
import { ContractMarket, createRegistryOffice, signContract, startContractMarket } from './support/contracts';
import { FakeClock } from './support/fake-clock';
import { bearer } from './support/listings';
import { http } from './support/market';

/**
 * Who may do what on every contract, registration and broker-relationship route (issue 13, item 8):
 * one row per route and contract state, one expected status per role. A role that may not see the
 * contract gets a 404 whatever the verb; one that sees it but may not act gets a 403 naming why; a
 * route reserved to a role answers 403 to anyone without it, whatever the id (it says nothing about
 * the resource). Refusals run on one shared contract, which must come out of them unchanged (its
 * audit chain no longer than before); every success runs on a contract of its own.
 */

type Who = 'seller' | 'buyer' | 'broker' | 'auditor' | 'otherAuditor' | 'admin' | 'finance' | 'outsider' | 'anonymous';
const EVERYONE: Who[] = [
  'seller',
  'buyer',
  'broker',
  'auditor',
  'otherAuditor',
  'admin',
  'finance',
  'outsider',
  'anonymous',
];
type Expected = number | [number, string];

interface Fixture {
  contractId: string;
  /** Path parameters other than the contract id (`:evidenceId`, `:number`, `:relationshipId`). */
  params?: Record<string, string>;
}

interface Row {
  route: string;
  /** The state the contract is in, made fresh for each success and once for the refusals. */
  state: State;
  body?: (who: Who) => Record<string, unknown>;
  /** The body is a multipart/form-data upload of an evidence file. */
  upload?: boolean;
  expect: Record<Who, Expected>;
  /** Also checked for each role that got a 200 on a list: whether the fixture's contract is in it. */
  listed?: Partial<Record<Who, boolean>>;
}

type State =
  | 'none'
  | 'draft'
  | 'signed'
  | 'underReview'
  | 'documentsRequested'
  | 'refused'
  | 'objected'
  | 'performing'
  | 'changeSigned'
  | 'delivered'
  | 'terminationProposed'
  | 'relationship';

/** 404 for everyone who may not see a filed contract, 401 without a token. */
const HIDDEN_FILED = { otherAuditor: 404, finance: 404, outsider: 404, anonymous: 401 } as const;
/** The same before the contract is filed: its office's auditors do not see it yet either. */
const HIDDEN_UNFILED = { auditor: 404, ...HIDDEN_FILED } as const;
const MISSING_ROLE = [403, 'IDENTITY.MISSING_ROLE'] as [number, string];
const NOT_SELLER_SIDE = [403, 'CONTRACT.NOT_SELLER_SIDE'] as [number, string];
const NOT_A_PARTY = [403, 'CONTRACT.NOT_A_PARTY'] as [number, string];
const NOT_EDITOR = [403, 'CONTRACT.NOT_EDITOR'] as [number, string];
const OTHER_PARTY = [403, 'CONTRACT.OTHER_PARTY_RESOLVES'] as [number, string];
const READERS_FILED = { seller: 200, buyer: 200, broker: 200, auditor: 200, admin: 200, ...HIDDEN_FILED } as const;
/** Auditor-only routes: the office in charge acts, another office's auditor gets a 404, everyone else lacks the role. */
const AUDITORS = (status: number) =>
  ({
    auditor: status,
    otherAuditor: 404,
    seller: MISSING_ROLE,
    buyer: MISSING_ROLE,
    broker: MISSING_ROLE,
    admin: MISSING_ROLE,
    finance: MISSING_ROLE,
    outsider: MISSING_ROLE,
    anonymous: 401,
  }) as Record<Who, Expected>;
/** Seller-side applications on a filed contract: the seller acts; the other readers are not the seller side. */
const SELLER_APPLIES = {
  seller: 200,
  buyer: NOT_SELLER_SIDE,
  broker: NOT_SELLER_SIDE,
  auditor: NOT_SELLER_SIDE,
  admin: NOT_SELLER_SIDE,
  ...HIDDEN_FILED,
} as Record<Who, Expected>;
const REASON = () => ({ reason: '材料齐备，按规定办理' });

const ROWS: Row[] = [
  {
    route: 'GET /contracts?limit=100',
    state: 'underReview',
    expect: { ...READERS_FILED, otherAuditor: 200, finance: 200, outsider: 200 },
    listed: {
      seller: true,
      buyer: true,
      broker: true,
      auditor: true,
      admin: true,
      otherAuditor: false,
      finance: false,
      outsider: false,
    },
  },
  {
    route: 'GET /contracts?limit=100',
    state: 'draft',
    expect: { ...READERS_FILED, auditor: 200, otherAuditor: 200, finance: 200, outsider: 200 },
    listed: { seller: true, buyer: true, broker: true, admin: true, auditor: false, outsider: false },
  },
  {
    route: 'POST /contracts',
    state: 'none',
    body: () => ({}),
    expect: {
      broker: 201,
      seller: MISSING_ROLE,
      buyer: MISSING_ROLE,
      auditor: MISSING_ROLE,
      otherAuditor: MISSING_ROLE,
      admin: MISSING_ROLE,
      finance: MISSING_ROLE,
      outsider: MISSING_ROLE,
      anonymous: 401,
    },
  },
  {
    route: 'GET /contracts/:id',
    state: 'draft',
    expect: { seller: 200, buyer: 200, broker: 200, admin: 200, ...HIDDEN_UNFILED },
  },
  { route: 'GET /contracts/:id', state: 'underReview', expect: READERS_FILED },
  {
    route: 'PATCH /contracts/:id',
    state: 'draft',
    body: () => ({ governmentPlan: null }),
    expect: { seller: 200, buyer: 200, broker: 200, admin: NOT_EDITOR, ...HIDDEN_UNFILED },
  },
  {
    route: 'POST /contracts/:id/amendments',
    state: 'signed',
    body: () => ({ reason: '付款日期调整', governmentPlan: null }),
    expect: { seller: 201, buyer: 201, broker: 201, admin: NOT_EDITOR, ...HIDDEN_UNFILED },
  },
  {
    route: 'POST /contracts/:id/sign',
    state: 'draft',
    body: () => ({ version: 1 }),
    expect: { seller: 200, buyer: 200, broker: NOT_A_PARTY, admin: NOT_A_PARTY, ...HIDDEN_UNFILED },
  },
  {
    route: 'POST /contracts/:id/submit',
    state: 'signed',
    expect: { seller: 200, buyer: NOT_SELLER_SIDE, broker: NOT_SELLER_SIDE, admin: NOT_SELLER_SIDE, ...HIDDEN_UNFILED },
  },
  {
    route: 'POST /contracts/:id/registration/documents',
    state: 'documentsRequested',
    body: REASON,
    expect: SELLER_APPLIES,
  },
  { route: 'POST /contracts/:id/registration/objection', state: 'refused', body: REASON, expect: SELLER_APPLIES },
  { route: 'POST /contracts/:id/change-registration', state: 'changeSigned', expect: SELLER_APPLIES },
  { route: 'POST /contracts/:id/cancellation', state: 'performing', body: REASON, expect: SELLER_APPLIES },
  { route: 'GET /contracts/:id/audit', state: 'underReview', expect: READERS_FILED },
  { route: 'GET /contracts/:id/registration-certificate', state: 'performing', expect: READERS_FILED },
  { route: 'GET /contracts/:id/milestones', state: 'performing', expect: READERS_FILED },
  {
    route: 'POST /contracts/:id/milestones/m2/complete',
    state: 'performing',
    upload: true,
    expect: { seller: 200, buyer: 200, broker: NOT_A_PARTY, auditor: NOT_A_PARTY, admin: NOT_A_PARTY, ...HIDDEN_FILED },
  },
  {
    route: 'POST /contracts/:id/milestones/m2/accept',
    state: 'delivered',
    expect: {
      buyer: 200,
      seller: OTHER_PARTY,
      broker: NOT_A_PARTY,
      auditor: NOT_A_PARTY,
      admin: NOT_A_PARTY,
      ...HIDDEN_FILED,
    },
  },
  {
    route: 'POST /contracts/:id/milestones/m2/dispute',
    state: 'delivered',
    body: () => ({ reason: '缺少质检报告' }),
    expect: {
      buyer: 200,
      seller: OTHER_PARTY,
      broker: NOT_A_PARTY,
      auditor: NOT_A_PARTY,
      admin: NOT_A_PARTY,
      ...HIDDEN_FILED,
    },
  },
  {
    route: 'POST /contracts/:id/milestones/m1/payment',
    state: 'performing',
    body: () => ({ method: 'offline' }),
    expect: {
      buyer: 201,
      seller: OTHER_PARTY,
      broker: OTHER_PARTY,
      auditor: OTHER_PARTY,
      admin: OTHER_PARTY,
      ...HIDDEN_FILED,
    },
  },
  { route: 'GET /contracts/:id/evidence/:evidenceId', state: 'delivered', expect: READERS_FILED },
  { route: 'GET /contracts/:id/terminations', state: 'terminationProposed', expect: READERS_FILED },
  {
    route: 'POST /contracts/:id/terminations',
    state: 'performing',
    body: REASON,
    expect: { seller: 201, buyer: 201, broker: NOT_A_PARTY, auditor: NOT_A_PARTY, admin: NOT_A_PARTY, ...HIDDEN_FILED },
  },
  {
    route: 'POST /contracts/:id/terminations/:terminationId/confirm',
    state: 'terminationProposed',
    expect: {
      buyer: 200,
      seller: OTHER_PARTY,
      broker: NOT_A_PARTY,
      auditor: NOT_A_PARTY,
      admin: NOT_A_PARTY,
      ...HIDDEN_FILED,
    },
  },
  {
    route: 'POST /contracts/:id/terminations/:terminationId/decline',
    state: 'terminationProposed',
    body: REASON,
    expect: {
      buyer: 200,
      seller: OTHER_PARTY,
      broker: NOT_A_PARTY,
      auditor: NOT_A_PARTY,
      admin: NOT_A_PARTY,
      ...HIDDEN_FILED,
    },
  },
  {
    route: 'POST /contracts/:id/terminations/:terminationId/withdraw',
    state: 'terminationProposed',
    body: REASON,
    expect: {
      seller: 200,
      buyer: [403, 'CONTRACT.PROPOSER_WITHDRAWS'],
      broker: NOT_A_PARTY,
      auditor: NOT_A_PARTY,
      admin: NOT_A_PARTY,
      ...HIDDEN_FILED,
    },
  },
  {
    route: 'POST /registrations/:id/decision',
    state: 'underReview',
    body: () => ({ decision: 'register' }),
    expect: AUDITORS(200),
  },
  { route: 'POST /registrations/:id/dispute', state: 'underReview', body: REASON, expect: AUDITORS(200) },
  {
    route: 'POST /registrations/:id/objection-ruling',
    state: 'objected',
    body: () => ({ outcome: 'dismissed', reason: '拒绝理由成立' }),
    // The auditor who refused may not rule on the objection to it: a colleague does (`auditor` here).
    expect: AUDITORS(200),
  },
  {
    route: 'GET /registrations/queue?limit=100',
    state: 'underReview',
    expect: { ...AUDITORS(200), otherAuditor: 200 },
    listed: { auditor: true, otherAuditor: false },
  },
  {
    route: 'GET /registrations/verify/:number',
    state: 'performing',
    expect: Object.fromEntries(EVERYONE.map((w) => [w, 200])) as Record<Who, Expected>,
  },
  {
    route: 'GET /broker-relationships',
    state: 'relationship',
    expect: { ...Object.fromEntries(EVERYONE.map((w) => [w, 200])), anonymous: 401 } as Record<Who, Expected>,
  },
  {
    route: 'POST /broker-relationships',
    state: 'none',
    body: () => ({}),
    expect: {
      seller: 201,
      buyer: 201,
      outsider: 201,
      broker: MISSING_ROLE,
      auditor: MISSING_ROLE,
      otherAuditor: MISSING_ROLE,
      admin: MISSING_ROLE,
      finance: MISSING_ROLE,
      anonymous: 401,
    },
  },
  {
    route: 'POST /broker-relationships/:relationshipId/revoke',
    state: 'relationship',
    // The client's members revoke; the other party's and an unrelated organization's cannot see it.
    expect: {
      seller: 200,
      buyer: 404,
      outsider: 404,
      broker: MISSING_ROLE,
      auditor: MISSING_ROLE,
      otherAuditor: MISSING_ROLE,
      admin: MISSING_ROLE,
      finance: MISSING_ROLE,
      anonymous: 401,
    },
  },
  {
    route: 'GET /registry-offices',
    state: 'none',
    expect: Object.fromEntries(EVERYONE.map((w) => [w, 200])) as Record<Who, Expected>,
  },
  {
    route: 'POST /registry-offices',
    state: 'none',
    body: () => ({}),
    expect: { ...AUDITORS(0), auditor: MISSING_ROLE, otherAuditor: MISSING_ROLE, admin: 200 },
  },
  {
    route: 'GET /working-calendar/2026',
    state: 'none',
    expect: { ...Object.fromEntries(EVERYONE.map((w) => [w, 200])), anonymous: 401 } as Record<Who, Expected>,
  },
  {
    route: 'POST /working-calendar/2031',
    state: 'none',
    body: () => ({
      source: '国务院办公厅关于2031年部分节假日安排的通知',
      days: [{ date: '2031-10-06', kind: 'holiday', name: '国庆节' }],
    }),
    expect: { ...AUDITORS(0), auditor: MISSING_ROLE, otherAuditor: MISSING_ROLE, admin: 200 },
  },
];

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(256, 7)]);

describe('contract access: every route, every role (a contract you may not see is a 404 whatever the verb)', () => {
  const clock = new FakeClock();
  let m: ContractMarket;
  let who: Record<Exclude<Who, 'anonymous'>, Account>;
  /** A second auditor of the office in charge: refuses, so that `auditor` may rule on the objection. */
  let colleague: Account;

  beforeAll(async () => {
    m = await startContractMarket(clock);
    const otherOffice = await createRegistryOffice(m.api, m.admin, '株洲市技术合同登记处', '01', ['430200']);
    const otherAuditor = await addMember(m.api, m.admin, otherOffice, [Role.Auditor]);
    colleague = await addMember(m.api, m.admin, m.office, [Role.Auditor]);
    const { seller, buyer, broker, auditor, admin, finance, outsider } = m;
    who = { seller, buyer, broker, auditor, otherAuditor, admin, finance, outsider };
  }, 60_000);

  afterAll(async () => {
    await m?.close();
  });

  const post = (path: string, as: Account, body: Record<string, unknown> = {}) =>
    http(m.api).post(`/api/v1${path}`).set(bearer(as)).send(body);

  const upload = (path: string, as: Account) =>
    http(m.api)
      .post(`/api/v1${path}`)
      .set(bearer(as))
      .attach('file', PDF, { filename: '交付确认单.pdf', contentType: 'application/pdf' });

  async function draft(): Promise<string> {
    const { body } = await post('/contracts', m.broker, contractInput()).expect(201);
    return body.id as string;
  }
  function contractInput() {
    return {
      sellerOrganizationId: m.seller.organizationId,
      buyerOrganizationId: m.buyer.organizationId,
      contractType: 'transfer',
      subKind: 'patent_right',
      projectName: '一种高镍三元正极材料制备方法专利权转让',
      technicalField: 'new_energy',
      totalAmountFen: 600_000,
      technologyAmountFen: 600_000,
      ipItems: [{ kind: 'invention_patent', number: 'ZL202310000001.5', legalStatus: 'granted' }],
      milestones: [
        { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 300_000 },
        { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: '2026-06-01', amountFen: null },
        { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2026-09-01', amountFen: 300_000 },
      ],
      validFrom: '2026-03-01',
      validUntil: '2027-02-28',
      expectedNewInvestmentFen: 20_000_000,
      expectedNewOutputFen: 80_000_000,
    };
  }
  async function signed(): Promise<string> {
    const id = await draft();
    await signContract(m.api, id, m.seller, 1).expect(200);
    await signContract(m.api, id, m.buyer, 1).expect(200);
    return id;
  }
  async function underReview(): Promise<string> {
    const id = await signed();
    await post(`/contracts/${id}/submit`, m.seller).expect(200);
    await m.runJobs(QueueName.Contracts, JobName.ContractSubmitted, id);
    return id;
  }
  const decide = (id: string, body: Record<string, unknown>, as = colleague) =>
    post(`/registrations/${id}/decision`, as, body).expect(200);

  async function make(state: State): Promise<Fixture> {
    switch (state) {
      case 'none':
        return { contractId: '' };
      case 'draft':
        return { contractId: await draft() };
      case 'signed':
        return { contractId: await signed() };
      case 'underReview':
        return { contractId: await underReview() };
      case 'documentsRequested': {
        const id = await underReview();
        await decide(id, { decision: 'request_documents', reason: '请补充专利权属证明' });
        return { contractId: id };
      }
      case 'refused':
      case 'objected': {
        const id = await underReview();
        await decide(id, { decision: 'refuse', grounds: ['unclear_terms'], reason: '价款支付方式不明确' });
        if (state === 'objected') await post(`/contracts/${id}/registration/objection`, m.seller, REASON()).expect(200);
        return { contractId: id };
      }
      case 'performing':
      case 'changeSigned':
      case 'delivered':
      case 'terminationProposed': {
        const id = await underReview();
        const { body } = await decide(id, { decision: 'register' });
        if (state === 'changeSigned') {
          await post(`/contracts/${id}/amendments`, m.seller, {
            reason: '名称更正',
            projectName: '高镍三元正极材料制备方法专利权转让（更正）',
          }).expect(201);
          await signContract(m.api, id, m.seller, 2).expect(200);
          await signContract(m.api, id, m.buyer, 2).expect(200);
        }
        const params: Record<string, string> = { number: body.registrationNumber as string };
        if (state === 'delivered') {
          const delivered = await upload(`/contracts/${id}/milestones/m2/complete`, m.seller).expect(200);
          params.evidenceId = delivered.body.evidence.id as string;
        }
        if (state === 'terminationProposed') {
          const proposed = await post(`/contracts/${id}/terminations`, m.seller, { reason: '双方协商提前终止' }).expect(
            201,
          );
          params.terminationId = proposed.body.id as string;
        }
        return { contractId: id, params };
      }
      case 'relationship': {
        const { body } = await http(m.api).get('/api/v1/broker-relationships').set(bearer(m.seller)).expect(200);
        const mine = (body as { id: string; clientOrganizationId: string; revokedAt: string | null }[]).find(
          (r) => r.clientOrganizationId === m.seller.organizationId && !r.revokedAt,
        )!;
        return { contractId: '', params: { relationshipId: mine.id } };
      }
    }
  }

  /** A body that makes a success of its own where the route creates something that must be new. */
  async function freshBody(row: Row, role: Who): Promise<Record<string, unknown> | undefined> {
    if (row.route === 'POST /contracts') return contractInput();
    if (row.route === 'POST /broker-relationships') {
      // An agency the caller's organization has not named yet.
      const agency = await registerAccount(m.api, { roles: [Role.Broker] });
      return { brokerOrganizationId: agency.organizationId };
    }
    if (row.route === 'POST /registry-offices') {
      const offices = (await http(m.api).get('/api/v1/registry-offices').expect(200)).body as {
        organizationId: string;
        registrationPoint: string;
        regionCodes: string[];
      }[];
      const office = offices.find((o) => o.organizationId === m.office)!;
      return {
        organizationId: office.organizationId,
        registrationPoint: office.registrationPoint,
        regionCodes: office.regionCodes,
      };
    }
    return row.body?.(role);
  }

  /** A fresh relationship of a new client, for the one success of a revocation. */
  async function freshRelationship(): Promise<{ client: Account; id: string }> {
    const client = await registerAccount(m.api, { roles: [Role.Seller] });
    const { body } = await post('/broker-relationships', client, {
      brokerOrganizationId: m.broker.organizationId,
    }).expect(201);
    return { client, id: body.id as string };
  }

  function request(row: Row, fixture: Fixture, role: Who, as: Account | null, body?: Record<string, unknown>) {
    const [method, template] = row.route.split(' ');
    const path = template
      .replace(':id', fixture.contractId)
      .replace(/:(\w+)/g, (_, name: string) => fixture.params?.[name] ?? `:${name}`);
    let req = http(m.api)[method.toLowerCase() as 'get' | 'post' | 'patch'](`/api/v1${path}`);
    if (as) req = req.set(bearer(as));
    if (row.upload) req = req.attach('file', PDF, { filename: '交付确认单.pdf', contentType: 'application/pdf' });
    else if (method !== 'GET') req = req.send(body ?? row.body?.(role) ?? {});
    return req;
  }

  async function auditLength(contractId: string): Promise<number> {
    if (!contractId) return 0;
    const rows = await m.env.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entry WHERE chain = $1`, [
      `contract:${contractId}`,
    ]);
    return rows[0].n;
  }

  it('serves evidence only through its own contract, and a milestone key that does not exist is a 404', async () => {
    const first = await make('delivered');
    const second = await make('performing');
    // Both contracts are the admin's and the buyer's to read; the file belongs to the first only.
    for (const as of [m.admin, m.buyer]) {
      await http(m.api)
        .get(`/api/v1/contracts/${second.contractId}/evidence/${first.params!.evidenceId}`)
        .set(bearer(as))
        .expect(404);
    }
    await upload(`/contracts/${second.contractId}/milestones/m9/complete`, m.seller).expect(404);
    await upload(`/contracts/${second.contractId}/milestones/m9/complete`, m.outsider).expect(404);
  });

  it.each(ROWS.map((row) => [`${row.route} (${row.state})`, row] as const))('%s', async (_, row) => {
    expect(Object.keys(row.expect).sort()).toEqual([...EVERYONE].sort());
    const refusals = EVERYONE.filter((w) => {
      const e = row.expect[w];
      return (Array.isArray(e) ? e[0] : e) >= 400;
    });
    const successes = EVERYONE.filter((w) => !refusals.includes(w));
    const seen: string[] = [];

    // Refusals, all on one contract that must come out of them unchanged.
    const shared = await make(row.state);
    const before = await auditLength(shared.contractId);
    for (const role of refusals) {
      const account = role === 'anonymous' ? null : who[role];
      const body = row.route === 'POST /contracts' ? contractInput() : undefined;
      const res = await request(row, shared, role, account, body);
      const e = row.expect[role];
      const [status, code] = Array.isArray(e) ? e : [e, undefined];
      seen.push(`${role}: ${res.status}${res.body?.code ? ` ${res.body.code}` : ''}`);
      expect(`${role} ${res.status}${code ? ` ${res.body.code}` : ''}`).toBe(
        `${role} ${status}${code ? ` ${code}` : ''}`,
      );
    }
    expect(await auditLength(shared.contractId)).toBe(before);

    // Each success on its own contract (or its own relationship).
    for (const role of successes) {
      const account = role === 'anonymous' ? null : who[role];
      let fixture = row.state === 'none' ? shared : await make(row.state);
      let as = account;
      if (row.route.includes(':relationshipId')) {
        const fresh = await freshRelationship();
        fixture = { contractId: '', params: { relationshipId: fresh.id } };
        as = fresh.client;
      }
      const res = await request(row, fixture, role, as, await freshBody(row, role));
      expect(`${role} ${res.status}`).toBe(`${role} ${row.expect[role] as number}`);
      if (row.listed?.[role] !== undefined) {
        const ids = (res.body.items as { id?: string; contractId?: string }[]).map((i) => i.contractId ?? i.id);
        expect(`${role} ${ids.includes(fixture.contractId) ? 'lists' : 'does not list'} it`).toBe(
          `${role} ${row.listed[role] ? 'lists' : 'does not list'} it`,
        );
      }
    }
  });
});
