/**
 * The worker path of `npm run bench:risk`: the same population screened by the worker's own
 * screening code on a real PostgreSQL — `ScreeningService.screenApplication`, the body of the
 * contract queue's screening job, then `onDecided`, the `registration.decided` handler, in one
 * transaction per application, as the jobs run them — inside the worker's application context.
 * Organizations (with their legal representative and registered address) and the relations table
 * are seeded first; every application is registered once screened, so it is a comparable for the
 * next; the population's credit ratings are seeded as the credit events that give them. BullMQ's
 * delivery is not part of the figure.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildUscc } from '@market/identity';
import { AppConfig } from '@market/config';
import { DEFAULT_JOB_BATCH, JobName, QueueName } from '@market/queue';
import { ContractFacts, ContractUnderScreening, RiskRule, ScreeningService } from '@market/risk';
import { WorkerModule } from '../apps/worker/src/worker.module';
import type { Population } from './risk-population';
import type { BenchInfra } from './support';

export interface WorkerRun {
  /** Rule → weight of each finding, per application. */
  fired: Map<string, Map<RiskRule, number>>;
  flagged: Map<string, boolean>;
  seconds: number;
  /** Applications screened per transaction. */
  batchSize: number;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function usccOf(serial: number): string {
  let body = '';
  let n = serial;
  for (let i = 0; i < 8; i++) {
    body = USCC_CHARS[n % USCC_CHARS.length] + body;
    n = Math.floor(n / USCC_CHARS.length);
  }
  return buildUscc('91', '430100', body);
}

export async function startBenchWorker(infra: BenchInfra, prefix: string): Promise<INestApplicationContext> {
  Object.assign(process.env, {
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-'.repeat(4),
    LOG_LEVEL: 'silent',
    // As bench:contracts runs it: the batch a worker gathers is at most its concurrency.
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '50',
  });
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  return worker;
}

/** Bench keys (the population's contract and organization keys) ↔ the uuids seeded for them. */
export interface BenchIds {
  uuid: (key: string) => string;
  keyOf: () => Map<string, string>;
}

export function benchIds(): BenchIds {
  const ids = new Map<string, string>();
  return {
    uuid: (key) => {
      let id = ids.get(key);
      if (!id) ids.set(key, (id = randomUUID()));
      return id;
    },
    keyOf: () => new Map([...ids].map(([key, id]) => [id, key])),
  };
}

/**
 * Seeds a population's organizations (with their legal representative and registered address),
 * the credit events that give its ratings, and its relations (the tables emptied by the caller).
 */
export async function seedParties(infra: BenchInfra, population: Population, uuid: (key: string) => string) {
  const usccs = new Map<string, string>();
  const uscc = (orgId: string) => {
    let code = usccs.get(orgId);
    if (!code) usccs.set(orgId, (code = usccOf(usccs.size + 1))); // the tables are emptied per seed
    return code;
  };

  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    const orgs = new Map<string, ContractUnderScreening['seller']>();
    for (const { contract } of population.applications) {
      for (const party of [contract.seller, contract.buyer]) if (!orgs.has(party.orgId)) orgs.set(party.orgId, party);
    }
    const rows = [...orgs.values()];
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await db.query(
        `INSERT INTO organization (id, name, uscc, region_code, kind, legal_representative, registered_address, verified_at)
         SELECT * , now() FROM unnest($1::uuid[], $2::text[], $3::char(18)[], $4::char(6)[], $5::text[], $6::text[], $7::text[])`,
        [
          chunk.map((o) => uuid(o.orgId)),
          chunk.map((o) => o.name),
          chunk.map((o) => uscc(o.orgId)),
          chunk.map(() => '430100'),
          chunk.map(() => 'enterprise'),
          chunk.map((o) => o.legalRepresentative),
          chunk.map((o) => o.registeredAddress),
        ],
      );
    }
    // The population's ratings become credit records that give them: D one confirmed false
    // contract (45 points off), C four refusals (40 off) — see docs/credit.md.
    for (const r of population.ratings) {
      const events =
        r.rating === 'D'
          ? [['contract_confirmed_false', -45]]
          : r.rating === 'C'
            ? Array(4).fill(['registration_refused', -10])
            : [];
      for (const [i, [kind, points]] of events.entries()) {
        await db.query(
          `INSERT INTO credit_event (subject, subject_id, kind, points, contract_id, fact, occurred_at, source_key)
           VALUES ($1, $2, $3, $4, $5, 'bench', now(), $6)`,
          [r.subject, uuid(r.id), kind, points, randomUUID(), `bench:${r.id}:${i}`],
        );
      }
    }
    for (const r of population.relations) {
      await db.query(
        `INSERT INTO organization_relation (party_a_uscc, party_a_name, party_b_uscc, party_b_name, kind, share_percent, source, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          uscc(r.orgAId),
          r.orgAId,
          uscc(r.orgBId),
          r.orgBId,
          r.kind,
          r.sharePercent === null ? null : Math.round(r.sharePercent * 100) / 100,
          r.source,
          randomUUID(),
        ],
      );
    }
  } finally {
    await db.end();
  }
}

/** Seeds a population's organizations and relations, then screens and registers each application in order. */
export async function screenThroughWorker(
  worker: INestApplicationContext,
  infra: BenchInfra,
  population: Population,
): Promise<WorkerRun> {
  const { uuid, keyOf } = benchIds();
  await seedParties(infra, population, uuid);

  const screening = worker.get(ScreeningService);
  // A batch is what the job batcher gathers, and a worker holds at most its concurrency of jobs at once.
  const batchSize = Math.min(DEFAULT_JOB_BATCH.maxSize, worker.get(AppConfig).worker.concurrency);
  const txHost = worker.get<TransactionHost<TransactionalAdapterTypeOrm>>(TransactionHost);
  const cls = worker.get(ClsService);
  const officeId = randomUUID();
  const decidedBy = randomUUID();
  const started = process.hrtime.bigint();
  const applications = population.applications.map(({ contract: c }) => ({
    facts: factsOf(c, uuid, officeId),
    appliedAt: new Date(`${c.signedOn}T02:00:00.000Z`),
  }));
  for (let i = 0; i < applications.length; i += batchSize) {
    const batch = applications.slice(i, i + batchSize);
    // The contract queue's batched screening job (its processed-job markers, then the batch
    // screened), then each application registered — the risk queue's batched registration.decided —
    // in the same transaction, as the bench always ran them: one commit per batch.
    await cls.run(() =>
      txHost.withTransaction(async () => {
        await txHost.tx.query(
          `INSERT INTO processed_job (queue, job_id, job_name) SELECT $1, job_id, $3 FROM unnest($2::text[]) AS job_id`,
          [QueueName.Contracts, batch.map(() => randomUUID()), JobName.ContractSubmitted],
        );
        await screening.screenApplications(batch);
        await screening.onDecided(
          batch.map(({ facts, appliedAt }) => ({
            jobId: randomUUID(),
            payload: {
              contractId: facts.contractId,
              sellerOrganizationId: facts.seller.organizationId,
              buyerOrganizationId: facts.buyer.organizationId,
              brokerOrganizationId: facts.broker?.organizationId ?? null,
              outcome: 'registered',
              registrationNumber: null,
              decidedBy,
              decidedAt: appliedAt.toISOString(),
              reason: null,
            },
          })),
        );
      }),
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const back = keyOf();
  const fired = new Map<string, Map<RiskRule, number>>();
  const flagged = new Map<string, boolean>();
  const read = new Client({ connectionString: infra.databaseUrl });
  await read.connect();
  try {
    const findings = await read.query<{ contract_id: string; rule: RiskRule; weight: number }>(
      `SELECT contract_id, rule, weight FROM risk_finding`,
    );
    for (const f of findings.rows) {
      const key = back.get(f.contract_id)!;
      if (!fired.has(key)) fired.set(key, new Map());
      fired.get(key)!.set(f.rule, f.weight);
    }
    const scores = await read.query<{ contract_id: string; flagged: boolean }>(
      `SELECT contract_id, flagged FROM risk_contract`,
    );
    for (const s of scores.rows) flagged.set(back.get(s.contract_id)!, s.flagged);
  } finally {
    await read.end();
  }
  return { fired, flagged, seconds, batchSize };
}

export function factsOf(c: ContractUnderScreening, uuid: (key: string) => string, officeId: string): ContractFacts {
  const party = (p: ContractUnderScreening['seller']) => ({
    organizationId: uuid(p.orgId),
    name: p.name,
    kind: 'enterprise',
    regionCode: '430100',
  });
  return {
    contractId: uuid(c.contractId),
    version: 1,
    registryOfficeId: officeId,
    contractType: c.type,
    subKind: c.subKind,
    projectName: c.subject,
    technicalField: c.technicalField,
    seller: party(c.seller),
    buyer: party(c.buyer),
    broker: c.broker ? { organizationId: uuid(c.broker.brokerId), userId: null, name: c.broker.name } : null,
    signedOn: c.signedOn,
    validFrom: c.validFrom,
    validUntil: c.validTo,
    totalAmountFen: c.amountFen,
    technologyAmountFen: c.techAmountFen,
    nonTechnicalItems: c.nonTechItems.map((i) => ({
      kind: i.category,
      description: i.description,
      amountFen: i.amountFen,
    })),
    ipItems: c.ipItems.map((ip) => ({
      kind: ip.kind,
      number: ip.number,
      legalStatus: ip.legalStatus,
      filingDate: ip.filingDate,
    })),
    transferMode: c.transferMode,
  };
}
