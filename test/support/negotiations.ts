import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount } from './accounts';
import type { FakeClock } from './fake-clock';
import { announce, bearer, runLatestJob, verifyOrganization } from './listings';
import { Api, http, startApi, startWorker } from './market';
import { createTestEnvironment, TestEnvironment } from './test-env';

export const ALL_TRANSFER_MODES = ['assignment', 'exclusive_license', 'sole_license', 'non_exclusive_license'];

/** An offer's body: by default a nationwide non-exclusive license for every field, paid in one sum. */
export function offerBody(overrides: Record<string, unknown> = {}) {
  return {
    priceFen: 1_000_000_00,
    transferMode: 'non_exclusive_license',
    license: { fieldOfUse: 'all fields', territory: 'nationwide', termMonths: 60, exclusivity: 'non_exclusive' },
    paymentSchedule: { kind: 'lump_sum', dueOn: '2027-03-31' },
    ...overrides,
  };
}

export const assignmentOffer = (priceFen = 2_000_000_00) =>
  offerBody({ priceFen, transferMode: 'assignment', license: undefined });

/** An open listing priced by negotiation, offering every transfer mode, of a verified seller. */
export async function openNegotiatedListing(
  market: NegotiationMarket,
  seller: Account,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const { api, worker, env, clock, admin } = market;
  const id = await announce(api, seller, admin, {
    pricingMode: 'negotiated',
    askingPriceFen: null,
    transferModes: ALL_TRANSFER_MODES,
    ...overrides,
  });
  clock.advanceDays(16);
  await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
  return id;
}

export interface NegotiationMarket {
  env: TestEnvironment;
  api: Api;
  worker: INestApplicationContext;
  clock: FakeClock;
  admin: Account;
  /** A company's seller (deals final at acceptance). */
  seller: Account;
  /** A university's seller (deals announced first). */
  university: Account;
  broker: Account;
  close(): Promise<void>;
}

/**
 * The market a negotiation test runs against: its own database, the api and a worker that runs
 * only the jobs the test hands it, on the test's clock (or the worker on a clock of its own).
 */
export async function startNegotiationMarket(
  clock: FakeClock,
  options: { workerClock?: FakeClock; env?: Record<string, string> } = {},
): Promise<NegotiationMarket> {
  const env = await createTestEnvironment(options.env);
  const api = await startApi({ clock });
  const worker = await startWorker({ clock: options.workerClock ?? clock, consume: false });
  const admin = await createAdmin(api, env);
  const seller = await verified(api, admin, { roles: [Role.Seller], organizationName: '长沙某新材料有限公司' });
  const university = await verified(api, admin, {
    roles: [Role.Seller],
    kind: 'university',
    organizationName: '湘江大学',
  });
  const broker = await verified(api, admin, {
    roles: [Role.Broker],
    kind: 'agency',
    organizationName: '长沙技术转移中心',
  });
  const close = async () => {
    await worker.close();
    await api.close();
    await env.close();
  };
  return { env, api, worker, clock, admin, seller, university, broker, close };
}

export async function verified(
  api: Api,
  admin: Account,
  options: Parameters<typeof registerAccount>[1] = { roles: [Role.Buyer] },
): Promise<Account> {
  const account = await registerAccount(api, options);
  await verifyOrganization(api, admin, account.organizationId);
  return account;
}

/** Another member of the account's organization, with these roles. */
export const colleague = (api: Api, admin: Account, of: Account, roles: Role[]) =>
  addMember(api, admin, of.organizationId, roles);

export async function openNegotiation(
  api: Api,
  buyer: Account,
  listingId: string,
  offer: Record<string, unknown> = offerBody(),
): Promise<{ id: string; offerId: string }> {
  const response = await http(api)
    .post('/api/v1/negotiations')
    .set(bearer(buyer))
    .send({ listingId, ...offer })
    .expect(201);
  return { id: response.body.id, offerId: response.body.currentOffer.id };
}

export async function negotiationOf(api: Api, id: string, as: Account) {
  return (await http(api).get(`/api/v1/negotiations/${id}`).set(bearer(as)).expect(200)).body;
}

type NegotiationJob =
  JobName.NegotiationOfferExpiryDue | JobName.NegotiationAnswerReminderDue | JobName.NegotiationAnnouncementEnded;

/** Runs the newest job of this kind the negotiation's outbox holds, as BullMQ would when it is due. */
export async function runNegotiationJob(
  worker: INestApplicationContext,
  env: TestEnvironment,
  negotiationId: string,
  job: NegotiationJob,
): Promise<'done' | 'already-done'> {
  const [row] = await env.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'negotiationId' = $2
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [job, negotiationId],
  );
  if (!row) throw new Error(`no ${job} job for negotiation ${negotiationId}`);
  return worker.get(JobDispatcher).run(QueueName.Negotiations, { id: row.id, name: job, data: row.payload });
}

/** Delivers every notice and trade.agreed the outbox holds to the inboxes, as the notifications queue would. */
export async function deliverNotifications(worker: INestApplicationContext, env: TestEnvironment): Promise<void> {
  const rows = await env.query<{ id: string; job_name: string; payload: unknown }>(
    `SELECT id, job_name, payload FROM outbox_event WHERE job_name IN ($1, $2) ORDER BY created_at, id`,
    [JobName.NegotiationNotice, JobName.TradeAgreed],
  );
  for (const row of rows) {
    await worker.get(JobDispatcher).run(QueueName.Notifications, { id: row.id, name: row.job_name, data: row.payload });
  }
}

export async function inboxKinds(api: Api, account: Account): Promise<string[]> {
  const response = await http(api).get('/api/v1/me/notifications?limit=100').set(bearer(account)).expect(200);
  return (response.body.items as { kind: string }[]).map((n) => n.kind);
}

/** The trade.agreed rows the outbox holds for a negotiation. */
export async function tradesAgreed(env: TestEnvironment, negotiationId: string) {
  return env.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM outbox_event WHERE job_name = $1 AND payload->>'tradeId' = $2`,
    [JobName.TradeAgreed, negotiationId],
  );
}
