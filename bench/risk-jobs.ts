/**
 * The job path of `npm run bench:risk`: the same population as the worker path, seeded in SQL as
 * contracts submitted for registration (a signed version, an initial application in `screening`
 * at one registry office), then one `contract.submitted` job per application bulk-added to the
 * contract queue, in the order the contracts were signed, and run by the worker's own BullMQ
 * Worker (its concurrency, its micro-batcher, its processed-job markers) through the contract
 * context's `onSubmitted` handler: the applications and contracts locked and read, the risk
 * context's `ScreeningService.screenApplications`, the applications moved to review, the auditors'
 * queue rows and the audit entries. The clock runs from the first job added until every
 * application is under review.
 *
 * No auditor decides during the run, so, unlike the worker path, no application becomes a
 * registered comparable for the ones after it (the rules still see the earlier applications as
 * live contracts of their parties and IP numbers).
 */
import { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig } from '@market/config';
import { JobName, QueueName } from '@market/queue';
import type { Population } from './risk-population';
import { benchIds, factsOf, seedParties } from './risk-worker';
import type { BenchInfra } from './support';

export interface JobRun {
  screened: number;
  seconds: number;
  concurrency: number;
}

const CHUNK = 1000;

export async function screenThroughJobs(
  worker: INestApplicationContext,
  infra: BenchInfra,
  population: Population,
): Promise<JobRun> {
  const { uuid } = benchIds();
  const db = new Client({ connectionString: infra.databaseUrl });
  await db.connect();
  try {
    await db.query(
      `TRUNCATE organization, organization_relation, risk_contract, risk_finding, credit_event, contract,
                contract_version, contract_registration, registration_queue_entry, registration_queue_count,
                audit_entry, processed_job CASCADE`,
    );
    await seedParties(infra, population, uuid);
    const officeId = randomUUID();
    const submittedBy = randomUUID();
    const applications = population.applications.map(({ contract: c }) => {
      const facts = factsOf(c, uuid, officeId);
      return { facts, registrationId: randomUUID(), at: `${c.signedOn}T02:00:00.000Z` };
    });
    for (let i = 0; i < applications.length; i += CHUNK) {
      const chunk = applications.slice(i, i + CHUNK);
      await db.query(
        `INSERT INTO contract (id, source, status, current_version, seller_organization_id, buyer_organization_id,
                               registry_office_id, project_name, total_amount_fen, created_at, updated_at)
         SELECT id, 'broker', 'submitted', 1, s, b, $6, p, t, now(), now()
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[]) AS u (id, s, b, p, t)`,
        [
          chunk.map((a) => a.facts.contractId),
          chunk.map((a) => a.facts.seller.organizationId),
          chunk.map((a) => a.facts.buyer.organizationId),
          chunk.map((a) => a.facts.projectName),
          chunk.map((a) => a.facts.totalAmountFen),
          officeId,
        ],
      );
      await db.query(
        `INSERT INTO contract_version (contract_id, version, content, content_hash, seller_signed_at, buyer_signed_at, created_at)
         SELECT id, 1, content, md5(content::text), at, at, at
           FROM unnest($1::uuid[], $2::jsonb[], $3::timestamptz[]) AS u (id, content, at)`,
        [
          chunk.map((a) => a.facts.contractId),
          chunk.map(({ facts: f }) =>
            JSON.stringify({
              contractType: f.contractType,
              subKind: f.subKind,
              projectName: f.projectName,
              technicalField: f.technicalField,
              seller: f.seller,
              buyer: f.buyer,
              broker: f.broker,
              validFrom: f.validFrom,
              validUntil: f.validUntil,
              totalAmountFen: f.totalAmountFen,
              technologyAmountFen: f.technologyAmountFen,
              nonTechnicalItems: f.nonTechnicalItems,
              ipItems: f.ipItems,
              transferMode: f.transferMode,
              license: null,
            }),
          ),
          chunk.map((a) => a.at),
        ],
      );
      await db.query(
        `INSERT INTO contract_registration (id, contract_id, contract_version, kind, office_id, status, submitted_by,
                                            accepted_on, deadline_on, working_days, technology_amount_fen)
         SELECT id, c, 1, 'initial', $4, 'screening', $5, at::date, at::date + 21, 15, t
           FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $6::bigint[]) AS u (id, c, at, t)`,
        [
          chunk.map((a) => a.registrationId),
          chunk.map((a) => a.facts.contractId),
          chunk.map((a) => a.at),
          officeId,
          submittedBy,
          chunk.map((a) => a.facts.technologyAmountFen),
        ],
      );
    }
    await db.query(`ANALYZE`);

    const queue = worker.get<Queue>(getQueueToken(QueueName.Contracts), { strict: false });
    const started = process.hrtime.bigint();
    for (let i = 0; i < applications.length; i += CHUNK) {
      await queue.addBulk(
        applications.slice(i, i + CHUNK).map((a) => ({
          name: JobName.ContractSubmitted,
          data: {
            contractId: a.facts.contractId,
            registrationId: a.registrationId,
            officeId,
            kind: 'initial',
            submittedAt: a.at,
          },
          opts: { jobId: randomUUID() },
        })),
      );
    }
    for (;;) {
      const { rows } = await db.query<{ n: number; failed: number }>(
        `SELECT (SELECT count(*)::int FROM contract_registration WHERE status = 'under_review') AS n,
                (SELECT count(*)::int FROM dead_job WHERE job_name = $1) AS failed`,
        [JobName.ContractSubmitted],
      );
      if (rows[0].failed > 0) throw new Error(`${rows[0].failed} contract.submitted jobs failed`);
      if (rows[0].n >= applications.length) break;
      if (Number(process.hrtime.bigint() - started) / 1e9 > 600)
        throw new Error(`only ${rows[0].n} of ${applications.length} applications screened after 600 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { screened: applications.length, seconds, concurrency: worker.get(AppConfig).worker.concurrency };
  } finally {
    await db.end();
  }
}
