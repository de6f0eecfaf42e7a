import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { UnrecoverableError } from 'bullmq';
import { DomainError } from '@market/http';
import { BatchedJob, JOB_HANDLER, JobHandlerTarget } from './job-handler.decorator';
import { JOB_ROUTES, JobName, JobPayloads, QueueName } from './jobs';
import { MicroBatcher } from './micro-batcher';

/**
 * A domain refusal (a rule of the market said no) gives the same answer on every attempt: the job
 * fails at once, kept for inspection, instead of being retried with backoff. An outage
 * (`unavailable`, a payment provider down) and any other error are worth retrying.
 */
export function asJobFailure(error: unknown): unknown {
  if (error instanceof DomainError && error.kind !== 'unavailable') {
    const failure = new UnrecoverableError(`${error.code}: ${error.message}`);
    failure.cause = error;
    return failure;
  }
  return error;
}

const handlerKey = (queue: string, job: string) => `${queue}/${job}`;

type Handler = (payload: unknown, context: { jobId: string }) => Promise<void>;
type BatchHandler = (jobs: BatchedJob<JobName>[], read?: unknown) => Promise<void>;
type BatchReader = (jobs: BatchedJob<JobName>[]) => Promise<unknown>;
type Outcome = 'done' | 'already-done';
/** A job's outcome within its batch: its own error when it failed alone. */
type BatchOutcome = { outcome: Outcome } | { error: unknown };

export interface RunnableJob {
  id?: string;
  name: string;
  data: unknown;
}

/** Finds every @OnJob method and runs jobs through them idempotently. */
@Injectable()
export class JobDispatcher implements OnModuleInit {
  private readonly logger = new Logger(JobDispatcher.name);
  private readonly handlers = new Map<string, Handler>();
  private readonly batchers = new Map<string, MicroBatcher<RunnableJob & { id: string }, BatchOutcome>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as Handler;
        const target = this.reflector.get<JobHandlerTarget | undefined>(JOB_HANDLER, method);
        if (!target) continue;
        const key = handlerKey(target.queue, target.job);
        if (!JOB_ROUTES[target.job]?.includes(target.queue)) {
          throw new Error(`${key} has a handler but JOB_ROUTES does not send ${target.job} to ${target.queue}`);
        }
        if (this.handlers.has(key) || this.batchers.has(key)) throw new Error(`${key} has two handlers`);
        if (target.batch) {
          const handler = (method as unknown as BatchHandler).bind(instance);
          const { readFirst } = target.batch;
          const reader = readFirst ? (instance[readFirst] as BatchReader | undefined)?.bind(instance) : undefined;
          if (readFirst && !reader) throw new Error(`${key}: readFirst names no method ${readFirst}`);
          this.batchers.set(
            key,
            new MicroBatcher((jobs) => this.runBatchOrEach(target.queue, handler, reader, jobs), target.batch),
          );
        } else {
          this.handlers.set(key, method.bind(instance));
        }
      }
    }
    const missing = Object.entries(JOB_ROUTES).flatMap(([job, queues]) =>
      queues.map((queue) => handlerKey(queue, job)).filter((key) => !this.handlers.has(key) && !this.batchers.has(key)),
    );
    if (missing.length > 0) {
      throw new Error(`No handler for job(s): ${missing.join(', ')}`);
    }
  }

  /**
   * Runs a job once: the marker row and the handler's writes commit in one transaction, so a job
   * rerun after a crash or a duplicate delivery finds the marker and does nothing. A second
   * delivery racing the first waits on the marker's primary key and then sees it.
   */
  async run(queue: QueueName, job: RunnableJob): Promise<Outcome> {
    const key = handlerKey(queue, job.name);
    if (!job.id) throw new Error(`Job ${job.name} has no id`);
    const batcher = this.batchers.get(key);
    if (batcher) {
      const result = await batcher.add({ id: job.id, name: job.name, data: job.data });
      if ('error' in result) throw asJobFailure(result.error);
      return result.outcome;
    }
    const handler = this.handlers.get(key);
    if (!handler) throw new Error(`No handler for job ${key}`);
    const jobId = job.id;
    try {
      return await this.txHost.withTransaction(async () => {
        const inserted: unknown[] = await this.txHost.tx.query(
          `INSERT INTO processed_job (queue, job_id, job_name) VALUES ($1, $2, $3)
         ON CONFLICT (queue, job_id) DO NOTHING RETURNING job_id`,
          [queue, jobId, job.name],
        );
        if (inserted.length === 0) {
          this.logger.log({ jobId, job: job.name }, 'job already processed; skipping');
          return 'already-done' as const;
        }
        await handler(job.data as JobPayloads[JobName], { jobId });
        return 'done' as const;
      });
    } catch (error) {
      throw asJobFailure(error);
    }
  }

  /**
   * A batch in one transaction; if it fails, each of its jobs alone, so a job that cannot succeed
   * fails by itself (with its own error, a domain refusal unrecoverable as usual) and the others
   * are done.
   */
  private async runBatchOrEach(
    queue: QueueName,
    handler: BatchHandler,
    reader: BatchReader | undefined,
    jobs: (RunnableJob & { id: string })[],
  ): Promise<BatchOutcome[]> {
    try {
      return (await this.runBatch(queue, handler, reader, jobs)).map((outcome) => ({ outcome }));
    } catch (error) {
      if (jobs.length === 1) return [{ error }];
      this.logger.warn({ queue, jobs: jobs.length, err: error }, 'job batch failed; running its jobs one by one');
      const outcomes: BatchOutcome[] = [];
      // One after the other: this is the rare path, and it should not take the pool's every connection.
      for (const job of jobs) {
        try {
          const [outcome] = await this.runBatch(queue, handler, reader, [job]);
          outcomes.push({ outcome });
        } catch (failure) {
          outcomes.push({ error: failure });
        }
      }
      return outcomes;
    }
  }

  /**
   * The markers of every job of the batch and the handler's writes commit in one transaction. A
   * job whose marker is already there (processed before, or by a concurrent batch that committed
   * first — the insert waits for it) is left out; so is a second copy of a job id in the batch.
   */
  private async runBatch(
    queue: QueueName,
    handler: BatchHandler,
    reader: BatchReader | undefined,
    jobs: (RunnableJob & { id: string })[],
  ): Promise<Outcome[]> {
    const batched = (list: (RunnableJob & { id: string })[]) =>
      list.map((j) => ({ jobId: j.id, payload: j.data as JobPayloads[JobName] }));
    // Before the transaction takes its connection (see `JobBatchOptions.readFirst`).
    const read = reader ? await reader(batched(jobs)) : undefined;
    return this.txHost.withTransaction(async () => {
      // In a fixed order, so two batches sharing job ids cannot deadlock on their markers.
      const ids = [...new Set(jobs.map((j) => j.id))].sort();
      const inserted: { job_id: string }[] = await this.txHost.tx.query(
        `INSERT INTO processed_job (queue, job_id, job_name)
         SELECT $1, job_id, $3 FROM unnest($2::text[]) AS job_id
         ON CONFLICT (queue, job_id) DO NOTHING RETURNING job_id`,
        [queue, ids, jobs[0].name],
      );
      const fresh = new Set(inserted.map((r) => r.job_id));
      const outcomes = jobs.map((job): Outcome => {
        if (!fresh.has(job.id)) return 'already-done';
        fresh.delete(job.id);
        return 'done';
      });
      const skipped = jobs.filter((_, i) => outcomes[i] === 'already-done');
      if (skipped.length > 0) {
        this.logger.log({ jobIds: skipped.map((j) => j.id), job: jobs[0].name }, 'job already processed; skipping');
      }
      const todo = jobs.filter((_, i) => outcomes[i] === 'done');
      if (todo.length > 0) {
        await handler(batched(todo), read);
      }
      return outcomes;
    });
  }
}
