import type { INestApplicationContext } from '@nestjs/common';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Role } from '@market/identity';
import { Account, addMember, createAdmin, registerAccount, uniqueUscc } from './accounts';
import type { FakeClock } from './fake-clock';
import { bearer } from './listings';
import { Api, http, startApi, startWorker } from './market';
import { createTestEnvironment, TestEnvironment } from './test-env';

/** A registry organization (in Changsha) made a registry office by an admin: its registration point and the regions it covers. */
export async function createRegistryOffice(
  api: Api,
  admin: Account,
  name: string,
  registrationPoint: string,
  regionCodes: string[],
): Promise<string> {
  const created = await http(api)
    .post('/api/v1/orgs')
    .set(bearer(admin))
    .send({ name, uscc: uniqueUscc(), regionCode: '430100', kind: 'registry' })
    .expect(201);
  await http(api)
    .post('/api/v1/registry-offices')
    .set(bearer(admin))
    .send({ organizationId: created.body.id, registrationPoint, regionCodes })
    .expect(200);
  return created.body.id as string;
}

/** What a complete transfer contract needs beyond what a trade fills in (total 500,000 fen). */
export function completion(overrides: Record<string, unknown> = {}) {
  return {
    validFrom: '2026-03-01',
    validUntil: '2027-02-28',
    expectedNewInvestmentFen: 20_000_000,
    expectedNewOutputFen: 80_000_000,
    ...overrides,
  };
}

/** A complete broker-entered patent transfer between two organizations. */
export function brokerContractInput(
  sellerOrganizationId: string,
  buyerOrganizationId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    sellerOrganizationId,
    buyerOrganizationId,
    commissionRateBasisPoints: 300,
    contractType: 'transfer',
    subKind: 'patent_right',
    projectName: '一种高镍三元正极材料制备方法专利权转让',
    technicalField: 'new_energy',
    totalAmountFen: 600_000,
    technologyAmountFen: 500_000,
    nonTechnicalItems: [{ kind: 'hardware', description: '中试反应釜一台', amountFen: 100_000 }],
    ipItems: [{ kind: 'invention_patent', number: 'ZL202310000001.5', legalStatus: 'granted' }],
    milestones: [
      { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 300_000 },
      { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: '2026-06-01', amountFen: null },
      { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2026-09-01', amountFen: 300_000 },
    ],
    ...completion(),
    ...overrides,
  };
}

/** Hands every `trade.agreed` the outbox holds for a listing to the contract queue's handler; returns the rows. */
export async function deliverTradeAgreed(
  worker: INestApplicationContext,
  env: TestEnvironment,
  listingId: string,
  redelivery = '',
): Promise<{ id: string; payload: Record<string, unknown> }[]> {
  const rows = await env.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
    [JobName.TradeAgreed, listingId],
  );
  for (const row of rows) {
    await worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: `${row.id}${redelivery}`, name: JobName.TradeAgreed, data: row.payload });
  }
  return rows;
}

export async function contractOfTrade(env: TestEnvironment, tradeId: string): Promise<string[]> {
  const rows = await env.query<{ id: string }>(`SELECT id FROM contract WHERE trade_id = $1`, [tradeId]);
  return rows.map((row) => row.id);
}

/** Runs every `job` the outbox holds for a contract on `queue`, oldest first, as the worker would; returns how many. */
export async function runJobsOfContract(
  worker: INestApplicationContext,
  env: TestEnvironment,
  queue: QueueName,
  job: JobName,
  contractId: string,
): Promise<number> {
  const rows = await env.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'contractId' = $2 ORDER BY created_at, id`,
    [job, contractId],
  );
  for (const row of rows) await worker.get(JobDispatcher).run(queue, { id: row.id, name: job, data: row.payload });
  return rows.length;
}

export function getContract(api: Api, id: string, as: Account) {
  return http(api).get(`/api/v1/contracts/${id}`).set(bearer(as));
}

export function signContract(api: Api, id: string, as: Account, version: number) {
  return http(api).post(`/api/v1/contracts/${id}/sign`).set(bearer(as)).send({ version });
}

/**
 * A market for contract tests past signing: the api and a worker that runs only the jobs the test
 * hands it; an admin, a seller and a buyer (verified), a broker both named, a registry office for
 * Changsha (point 02) with an auditor, the operator's finance clerk and an unrelated organization.
 */
export interface ContractMarket {
  env: TestEnvironment;
  api: Api;
  worker: INestApplicationContext;
  admin: Account;
  seller: Account;
  buyer: Account;
  broker: Account;
  outsider: Account;
  auditor: Account;
  finance: Account;
  office: string;
  /** A broker-entered contract, signed, applied for, screened and registered. */
  registered(overrides?: Record<string, unknown>): Promise<string>;
  runJobs(queue: QueueName, job: JobName, contractId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startContractMarket(
  clock: FakeClock,
  envOverrides: Record<string, string> = {},
): Promise<ContractMarket> {
  const env = await createTestEnvironment(envOverrides);
  const api = await startApi({ clock });
  const worker = await startWorker({ clock, consume: false });
  const admin = await createAdmin(api, env);
  const seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学' });
  const buyer = await registerAccount(api, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
  const broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移中心' });
  const outsider = await registerAccount(api, { roles: [Role.Seller, Role.Buyer] });
  for (const account of [seller, buyer]) {
    await http(api).post(`/api/v1/orgs/${account.organizationId}/verify`).set(bearer(admin)).expect(200);
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(account))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
  }
  const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
  const auditor = await addMember(api, admin, office, [Role.Auditor]);
  const finance = await addMember(api, admin, admin.organizationId, [Role.Finance]);

  const runJobs = (queue: QueueName, job: JobName, contractId: string) =>
    runJobsOfContract(worker, env, queue, job, contractId);
  const registered = async (overrides: Record<string, unknown> = {}) => {
    const response = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId, overrides))
      .expect(201);
    const id = response.body.id as string;
    await signContract(api, id, seller, 1).expect(200);
    await signContract(api, id, buyer, 1).expect(200);
    await http(api).post(`/api/v1/contracts/${id}/submit`).set(bearer(seller)).expect(200);
    await runJobs(QueueName.Contracts, JobName.ContractSubmitted, id);
    await http(api)
      .post(`/api/v1/registrations/${id}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register' })
      .expect(200);
    return id;
  };
  const close = async () => {
    await worker.close();
    await api.close();
    await env.close();
  };
  return {
    env,
    api,
    worker,
    admin,
    seller,
    buyer,
    broker,
    outsider,
    auditor,
    finance,
    office,
    registered,
    runJobs,
    close,
  };
}
