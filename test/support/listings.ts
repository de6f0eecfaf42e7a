import type { INestApplicationContext } from '@nestjs/common';
import { IpKind, IpLegalStatus, patentCheckCharacter } from '@market/listing';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account } from './accounts';
import { Api, http } from './market';
import type { TestEnvironment } from './test-env';

/** A valid Chinese invention patent number (12-digit form, type digit 1). */
export function inventionPatentNumber(serial: number): string {
  const digits = `2023${'1'}${String(serial).padStart(7, '0')}`;
  return `ZL${digits}.${patentCheckCharacter(digits)}`;
}

export function listingInput(overrides: Record<string, unknown> = {}) {
  return {
    title: '高能量密度锂电池正极材料制备技术',
    summary: '一种高镍三元正极材料的共沉淀制备方法，循环寿命提升30%。High energy density lithium battery cathode.',
    technicalField: 'new_energy',
    maturity: 'pilot',
    ipItems: [{ kind: IpKind.InventionPatent, number: inventionPatentNumber(1), legalStatus: IpLegalStatus.Granted }],
    transferModes: ['assignment', 'exclusive_license'],
    pricingMode: 'listed',
    askingPriceFen: 50_000_000,
    internalNote: '底价可谈，联系王老师',
    ...overrides,
  };
}

export const bearer = (account: Account) => ({ authorization: `Bearer ${account.token}` });

export async function verifyOrganization(api: Api, admin: Account, organizationId: string): Promise<void> {
  await http(api).post(`/api/v1/orgs/${organizationId}/verify`).set(bearer(admin)).expect(200);
}

export async function createDraft(api: Api, seller: Account, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await http(api)
    .post('/api/v1/listings')
    .set(bearer(seller))
    .send(listingInput(overrides))
    .expect(201);
  return response.body.id as string;
}

/** Draft → submitted → announced. */
export async function announce(api: Api, seller: Account, admin: Account, overrides: Record<string, unknown> = {}) {
  const id = await createDraft(api, seller, overrides);
  await http(api).post(`/api/v1/listings/${id}/submit`).set(bearer(seller)).expect(200);
  await http(api).post(`/api/v1/listings/${id}/approve`).set(bearer(admin)).expect(200);
  return id;
}

/**
 * Runs, through the worker's dispatcher, the newest job of this kind the listing's outbox holds:
 * what BullMQ would run when its delay is over.
 */
export async function runLatestJob(
  worker: INestApplicationContext,
  env: TestEnvironment,
  listingId: string,
  job: JobName.ListingAnnouncementEnded | JobName.ListingPeriodEnded,
): Promise<'done' | 'already-done'> {
  const [row] = await env.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2
      ORDER BY created_at DESC LIMIT 1`,
    [job, listingId],
  );
  if (!row) throw new Error(`no ${job} job for listing ${listingId}`);
  return worker.get(JobDispatcher).run(QueueName.Listings, { id: row.id, name: job, data: row.payload });
}

export function getListing(api: Api, id: string, as?: Account) {
  const request = http(api).get(`/api/v1/listings/${id}`);
  return as ? request.set(bearer(as)) : request;
}
