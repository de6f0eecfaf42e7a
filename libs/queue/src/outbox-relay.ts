import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';
import { ALL_QUEUES, JOB_ROUTES, JobName, QueueName } from './jobs';

/** How often published-but-unprocessed deadlines are checked against what Redis may have lost. */
const SWEEP_EVERY_MS = 60_000;

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
 * so any number of relays can run.
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
   * Redis holds no business fact: if it loses its data (a restart without persistence, a
   * failover), jobs it held are gone — a deadline among them. Every so often the relay looks for
   * rows that were published, are due for a minute or more, and are not yet processed on every
   * queue they go to, and adds them again under the same job id: BullMQ ignores a job it still
   * has (waiting, delayed, active or failed), and the processed-job marker keeps a second run from
   * doing anything. Returns how many rows it re-added.
   */
  async republishLost(): Promise<number> {
    const routes = Object.entries(JOB_ROUTES) as [JobName, QueueName[]][];
    // Each row carries the queues that already processed it: the rest get the job again.
    const rows: (PendingRow & { processed: string[] })[] = await this.dataSource.query(
      `SELECT o.id, o.job_name, o.payload, o.run_at, p.processed
         FROM outbox_event o
         JOIN unnest($1::text[], $2::int[]) AS r (job_name, queues) ON r.job_name = o.job_name
        CROSS JOIN LATERAL (
          SELECT array(SELECT queue FROM processed_job WHERE job_id = o.id::text) AS processed
        ) p
        WHERE o.published_at IS NOT NULL
          AND o.run_at <= now() - interval '1 minute' AND o.run_at > now() - interval '30 days'
          AND cardinality(p.processed) < r.queues
        ORDER BY o.run_at LIMIT 500`,
      [routes.map(([job]) => job), routes.map(([, queues]) => queues.length)],
    );
    for (const row of rows) {
      for (const queueName of JOB_ROUTES[row.job_name]) {
        if (row.processed.includes(queueName)) continue;
        await this.queues.get(queueName)!.add(row.job_name, row.payload, { jobId: row.id });
      }
    }
    return rows.length;
  }

  /** Publishes up to `limit` unpublished rows; returns how many. Exposed for tests and tools. */
  async publishBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(
        `SELECT id, job_name, payload, run_at FROM outbox_event
          WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      const byQueue = new Map<QueueName, PendingRow[]>();
      for (const row of rows) {
        const routes = JOB_ROUTES[row.job_name];
        if (!routes) throw new Error(`Outbox row ${row.id} names unknown job ${row.job_name}`);
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
