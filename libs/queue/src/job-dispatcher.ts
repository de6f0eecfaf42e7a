import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { UnrecoverableError } from 'bullmq';
import { DomainError } from '@market/http';
import { JOB_HANDLER, JobHandlerTarget } from './job-handler.decorator';
import { JOB_ROUTES, JobName, JobPayloads, QueueName } from './jobs';

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
        if (this.handlers.has(key)) throw new Error(`${key} has two handlers`);
        this.handlers.set(key, method.bind(instance));
      }
    }
    const missing = Object.entries(JOB_ROUTES).flatMap(([job, queues]) =>
      queues.map((queue) => handlerKey(queue, job)).filter((key) => !this.handlers.has(key)),
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
  async run(queue: QueueName, job: RunnableJob): Promise<'done' | 'already-done'> {
    const handler = this.handlers.get(handlerKey(queue, job.name));
    if (!handler) throw new Error(`No handler for job ${handlerKey(queue, job.name)}`);
    if (!job.id) throw new Error(`Job ${job.name} has no id`);
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
}
