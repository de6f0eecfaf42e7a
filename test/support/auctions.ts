import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, registerAccount } from './accounts';
import type { FakeClock } from './fake-clock';
import { announce, bearer, runLatestJob, verifyOrganization } from './listings';
import { Api, http, startApi, startWorker } from './market';
import { createTestEnvironment, TestEnvironment } from './test-env';

/** An open listing priced by auction, of a verified seller. */
export async function openAuctionListing(
  api: Api,
  worker: INestApplicationContext,
  env: TestEnvironment,
  clock: FakeClock,
  seller: Account,
  admin: Account,
): Promise<string> {
  const id = await announce(api, seller, admin, { pricingMode: 'auction', askingPriceFen: 1_000_000 });
  clock.advanceDays(16);
  await runLatestJob(worker, env, id, JobName.ListingAnnouncementEnded);
  return id;
}

const MINUTE = 60_000;

/**
 * An English auction on a fresh open auction-mode listing of `seller`: starting at 1,000,000 fen,
 * 10,000 increments, a 100,000 deposit, opening a minute from now (test clock) for `durationMinutes`.
 */
export async function createAuction(
  context: {
    api: Api;
    worker: INestApplicationContext;
    env: TestEnvironment;
    clock: FakeClock;
    seller: Account;
    admin: Account;
  },
  overrides: Record<string, unknown> = {},
  durationMinutes = 60,
): Promise<string> {
  const { api, worker, env, clock, seller, admin } = context;
  const listingId = await openAuctionListing(api, worker, env, clock, seller, admin);
  const now = clock.now().getTime();
  const response = await http(api)
    .post('/api/v1/auctions')
    .set(bearer(seller))
    .send({
      listingId,
      kind: 'english',
      startingPriceFen: 1_000_000,
      incrementFen: 10_000,
      depositFen: 100_000,
      startsAt: new Date(now + MINUTE).toISOString(),
      endsAt: new Date(now + durationMinutes * MINUTE).toISOString(),
      ...overrides,
    })
    .expect(201);
  return response.body.id as string;
}

/** A verified buyer organization with one buyer. */
export async function verifiedBuyer(api: Api, admin: Account): Promise<Account> {
  const buyer = await registerAccount(api, { roles: [Role.Buyer] });
  await verifyOrganization(api, admin, buyer.organizationId);
  return buyer;
}

/** Asks for a bank-transfer deposit and has the operator's finance record its arrival: the deposit is held. */
export async function holdDeposit(api: Api, finance: Account, buyer: Account, auctionId: string): Promise<string> {
  const opened = await http(api)
    .post(`/api/v1/auctions/${auctionId}/deposits`)
    .set(bearer(buyer))
    .send({ method: 'offline' })
    .expect(201);
  const depositId = opened.body.deposit.id as string;
  await http(api).post(`/api/v1/payments/deposits/${depositId}/offline-receipt`).set(bearer(finance)).expect(200);
  return depositId;
}

/** A finance clerk of the market operator (the admin's organization): records bank transfers. */
export async function financeOf(api: Api, admin: Account): Promise<Account> {
  return addMember(api, admin, admin.organizationId, [Role.Finance]);
}

type AuctionJob = JobName.AuctionOpenDue | JobName.AuctionCloseDue | JobName.AuctionSettle;

/** Runs the newest job of this kind the auction's outbox holds, as BullMQ would when it is due. */
export async function runAuctionJob(
  worker: INestApplicationContext,
  env: TestEnvironment,
  auctionId: string,
  job: AuctionJob,
): Promise<'done' | 'already-done'> {
  const [row] = await env.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'auctionId' = $2
      ORDER BY created_at DESC LIMIT 1`,
    [job, auctionId],
  );
  if (!row) throw new Error(`no ${job} job for auction ${auctionId}`);
  return worker.get(JobDispatcher).run(QueueName.Auctions, { id: row.id, name: job, data: row.payload });
}

export function bid(api: Api, buyer: Account, auctionId: string, amountFen: number, key?: string) {
  const request = http(api).post(`/api/v1/auctions/${auctionId}/bids`).set(bearer(buyer));
  return (key ? request.set('idempotency-key', key) : request).send({ amountFen });
}

/**
 * Runs the deposit jobs (capture, release) that settlement queued for the auction's deposits, as
 * the worker would: settlement records its decisions, these move the money. Returns how many ran.
 */
export async function runDepositJobs(
  worker: INestApplicationContext,
  env: TestEnvironment,
  auctionId: string,
): Promise<number> {
  const rows = await env.query<{ id: string; job_name: string; payload: unknown }>(
    `SELECT o.id, o.job_name, o.payload FROM outbox_event o JOIN deposit d ON d.id::text = o.payload->>'depositId'
      WHERE o.job_name IN ($1, $2) AND d.reference_id = $3 ORDER BY o.created_at, o.id`,
    [JobName.DepositCapture, JobName.DepositRelease, auctionId],
  );
  for (const row of rows) {
    await worker.get(JobDispatcher).run(QueueName.Payments, { id: row.id, name: row.job_name, data: row.payload });
  }
  return rows.length;
}

/** The auction's deposits' statuses by payer organization. */
export async function depositStatuses(env: TestEnvironment, auctionId: string): Promise<Record<string, string>> {
  const rows = await env.query<{ payer_organization_id: string; status: string }>(
    `SELECT payer_organization_id, status FROM deposit WHERE reference_id = $1`,
    [auctionId],
  );
  return Object.fromEntries(rows.map((row) => [row.payer_organization_id, row.status]));
}

/**
 * The market an auction test file runs against: its own database, the api and the worker on the
 * test's clock, an admin, a verified seller and the operator's finance clerk (who records deposits).
 */
export interface AuctionMarket {
  env: TestEnvironment;
  api: Api;
  worker: INestApplicationContext;
  admin: Account;
  seller: Account;
  finance: Account;
  close(): Promise<void>;
}

export async function startAuctionMarket(
  clock: FakeClock,
  options: { env?: Record<string, string>; consume?: boolean } = {},
): Promise<AuctionMarket> {
  const env = await createTestEnvironment(options.env);
  const api = await startApi({ clock });
  const worker = await startWorker({ clock, consume: options.consume });
  const admin = await createAdmin(api, env);
  const seller = await registerAccount(api, { roles: [Role.Seller] });
  await verifyOrganization(api, admin, seller.organizationId);
  const finance = await financeOf(api, admin);
  const close = async () => {
    await worker.close();
    await api.close();
    await env.close();
  };
  return { env, api, worker, admin, seller, finance, close };
}
