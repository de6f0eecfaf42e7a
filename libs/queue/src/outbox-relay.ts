import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';
import { Housekeeping } from './housekeeping';
import { ALL_QUEUES, JOB_ROUTES, JobName, QueueName } from './jobs';

/** How often published, unsettled rows are checked against what Redis may have lost. */
const SWEEP_EVERY_MS = 60_000;
/** A due job gets this long to run before the sweep takes it for lost. */
const SWEEP_GRACE_MS = 60_000;
const SWEEP_PAGE = 500;
/**
 * A key each relay expects to find in Redis. Missing means Redis lost its data (a restart without
 * persistence, a failover to an empty replica, a flush): every pending job is added again at once,
 * future deadlines included, instead of waiting for the minute sweep to find them overdue.
 */
const KEPT_MARKER = 'outbox:redis-kept';
/** While one relay re-adds after a loss the marker says so for this long; if it dies, another redoes it. */
const REBUILD_LEASE_SECONDS = 60;

interface PendingRow {
  id: string;
  job_name: JobName;
  payload: Record<string, unknown>;
  run_at: Date;
}

/**
 * Moves committed outbox rows into BullMQ, one job per queue the job is routed to. The outbox id
 * is the job id on each queue, so a row published twice
 * (a crash between the add and the mark) is still one job. While Redis is down the add fails, the
 * transaction rolls back and the rows wait for the next round. Rows are claimed with SKIP LOCKED,
 * so any number of relays can run. A row superseded by a newer row of the same deadline is marked
 * published without being added: only the deadline that still holds becomes a job.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues = new Map<QueueName, Queue>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failingSince: number | undefined;
  private lastSweep = Date.now();

  constructor(
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
    private readonly housekeeping: Housekeeping,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    }
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { pollMs, batchSize } = this.config.outbox;
    while (!this.stopped) {
      let published = 0;
      try {
        published = await this.publishBatch(batchSize);
        await this.recoverIfRedisLostData();
        if (Date.now() - this.lastSweep >= SWEEP_EVERY_MS) {
          this.lastSweep = Date.now();
          await this.republishLost();
        }
        if (this.failingSince !== undefined) {
          this.logger.log('outbox relay recovered');
          this.failingSince = undefined;
        }
      } catch (error) {
        if (this.failingSince === undefined) {
          this.failingSince = Date.now();
          this.logger.warn({ err: error }, 'outbox relay cannot publish; rows stay in the outbox and will be retried');
        }
      }
      if (published < batchSize) await this.sleep(pollMs);
    }
  }

  /**
   * Checks that Redis still holds what this market put there; if it lost its data, adds every
   * pending job again, future deadlines with their delay. Returns how many rows it re-added
   * (0: Redis kept its data, or another relay does the work).
   */
  async recoverIfRedisLostData(): Promise<number> {
    const redis = await this.queues.get(ALL_QUEUES[0])!.getBackend().client;
    const marker = `${this.config.redis.queuePrefix}:${KEPT_MARKER}`;
    if ((await redis.get(marker)) !== null) return 0;
    // Two relays may both find it missing and both re-add: harmless, the job ids are the outbox ids.
    await redis.set(marker, 'rebuilding', { EX: REBUILD_LEASE_SECONDS });
    this.logger.warn('Redis holds no outbox marker (first start, or it lost its data): adding every pending job again');
    const added = await this.republishLost({ includeFuture: true });
    // Job schedulers live in Redis too.
    await this.housekeeping.schedule();
    await redis.set(marker, new Date().toISOString());
    this.logger.log({ rows: added }, 'pending jobs added again');
    return added;
  }

  /**
   * Redis holds no business fact: if it loses its data, jobs it held are gone — a deadline among
   * them. Every so often the relay looks for rows that were published, are due for a minute or
   * more, and are neither processed nor dead on every queue they go to, and adds them again under
   * the same job id: BullMQ ignores a job it still has (waiting, delayed, active or failed), and
   * the processed-job marker keeps a second run from doing anything. With `includeFuture` (Redis
   * lost its data) every pending row is added, due or not, a future one with its delay.
   *
   * Rows settled on every queue are marked so, and never read again; superseded deadlines are
   * skipped; the rest is read page by page, so no number of old rows hides a lost one. Returns how
   * many rows it re-added.
   */
  async republishLost(options: { includeFuture?: boolean } = {}): Promise<number> {
    const routes = Object.entries(JOB_ROUTES) as [JobName, QueueName[]][];
    const jobNames = routes.map(([job]) => job);
    const queueCounts = routes.map(([, queues]) => queues.length);
    // Rows whose job ran (or failed for good) on every queue are done with: later sweeps skip them.
    await this.dataSource.query(
      `UPDATE outbox_event o SET settled_at = now()
         FROM unnest($1::text[], $2::int[]) AS r (job_name, queues)
        WHERE r.job_name = o.job_name
          AND o.published_at IS NOT NULL AND o.superseded_at IS NULL AND o.settled_at IS NULL
          AND o.run_at <= now()
          AND (SELECT count(*) FROM (SELECT queue FROM processed_job WHERE job_id = o.id::text
                                     UNION SELECT queue FROM dead_job WHERE job_id = o.id::text) d) >= r.queues`,
      [jobNames, queueCounts],
    );
    const now = Date.now();
    const until = options.includeFuture ? null : new Date(now - SWEEP_GRACE_MS);
    // The cursor keeps run_at as PostgreSQL's text: a Date would drop its microseconds.
    let after: { runAt: string; id: string } | undefined;
    let readded = 0;
    for (;;) {
      // Each row carries the queues that are done with it: the rest get the job again.
      const rows: (PendingRow & { done: string[]; cursor: string })[] = await this.dataSource.query(
        `SELECT o.id, o.job_name, o.payload, o.run_at, o.run_at::text AS cursor, d.done
           FROM outbox_event o
           JOIN unnest($1::text[], $2::int[]) AS r (job_name, queues) ON r.job_name = o.job_name
          CROSS JOIN LATERAL (
            SELECT array(SELECT queue FROM processed_job WHERE job_id = o.id::text
                         UNION SELECT queue FROM dead_job WHERE job_id = o.id::text) AS done
          ) d
          WHERE o.published_at IS NOT NULL AND o.superseded_at IS NULL AND o.settled_at IS NULL
            AND ($3::timestamptz IS NULL OR o.run_at <= $3)
            AND ($4::timestamptz IS NULL OR (o.run_at, o.id) > ($4, $5::uuid))
            AND cardinality(d.done) < r.queues
          ORDER BY o.run_at, o.id LIMIT ${SWEEP_PAGE}`,
        [jobNames, queueCounts, until, after?.runAt ?? null, after?.id ?? null],
      );
      for (const queueName of ALL_QUEUES) {
        const jobs = rows
          .filter((row) => JOB_ROUTES[row.job_name].includes(queueName) && !row.done.includes(queueName))
          .map((row) => ({
            name: row.job_name,
            data: row.payload,
            opts: { jobId: row.id, delay: Math.max(0, new Date(row.run_at).getTime() - now) } satisfies JobsOptions,
          }));
        if (jobs.length > 0) await this.queues.get(queueName)!.addBulk(jobs);
      }
      readded += rows.length;
      if (rows.length < SWEEP_PAGE) return readded;
      const last = rows[rows.length - 1];
      after = { runAt: last.cursor, id: last.id };
    }
  }

  /**
   * Publishes up to `limit` unpublished rows; returns how many. Exposed for tests and tools.
   *
   * Most rounds of an idle market find nothing: one statement says so, instead of a transaction's
   * three round trips (a relay polls several times a second, on every worker). The claim below
   * still decides what is published; a row committed between the two is found next round.
   */
  async publishBatch(limit: number): Promise<number> {
    const [{ pending }]: { pending: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM outbox_event WHERE published_at IS NULL) AS pending`,
    );
    if (!pending) return 0;
    return this.dataSource.transaction(async (manager) => {
      const rows: (PendingRow & { superseded: boolean })[] = await manager.query(
        `SELECT id, job_name, payload, run_at, superseded_at IS NOT NULL AS superseded FROM outbox_event
          WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      const byQueue = new Map<QueueName, PendingRow[]>();
      for (const row of rows) {
        const routes = JOB_ROUTES[row.job_name];
        if (!routes) throw new Error(`Outbox row ${row.id} names unknown job ${row.job_name}`);
        // A deadline that moved before it was published never becomes a job.
        if (row.superseded) continue;
        for (const queue of routes) byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
      }
      for (const [queueName, queueRows] of byQueue) {
        const queue = this.queues.get(queueName);
        if (!queue) throw new Error(`Outbox row for unknown queue ${queueName}`);
        await queue.addBulk(
          queueRows.map((row) => ({
            name: row.job_name,
            data: row.payload,
            opts: { jobId: row.id, delay: Math.max(0, new Date(row.run_at).getTime() - now) } satisfies JobsOptions,
          })),
        );
      }
      await manager.query(`UPDATE outbox_event SET published_at = now() WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
