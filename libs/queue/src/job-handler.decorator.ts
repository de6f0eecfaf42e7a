import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayloads, QueueName } from './jobs';
import type { MicroBatcherOptions } from './micro-batcher';

export const JOB_HANDLER = Symbol('job-handler');

export interface JobHandlerTarget {
  queue: QueueName;
  job: JobName;
  /** Set for a handler that takes the jobs of a batch at once (`@OnJobBatch`). */
  batch?: JobBatchOptions;
}

export interface JobBatchOptions extends MicroBatcherOptions {
  /**
   * The name of a method of the same class that reads what the batch needs before its transaction
   * opens (facts a redelivery cannot change), on pool connections of its own; its result is the
   * handler's second argument. Read before the transaction takes its connection, so a batch never
   * holds one connection while waiting for others.
   */
  readFirst?: string;
}

/**
 * Marks a service method as the handler of one job on one queue (its context's queue). The
 * worker discovers handlers at start-up, refuses to start if a routed job has none, and runs
 * each inside a transaction exactly once per job id and queue.
 */
export const OnJob = (queue: QueueName, job: JobName): MethodDecorator =>
  SetMetadata(JOB_HANDLER, { queue, job } satisfies JobHandlerTarget);

/** One job of a batch, as a batch handler receives it. */
export interface BatchedJob<J extends JobName> {
  jobId: string;
  payload: JobPayloads[J];
}

/** Up to 50 jobs, gathered for at most 5 ms after the first (a worker runs at most its concurrency at once). */
export const DEFAULT_JOB_BATCH: MicroBatcherOptions = { maxSize: 50, maxWaitMs: 5 };

/**
 * Like `@OnJob`, for a handler that takes many jobs at once: the jobs of this name the worker
 * runs concurrently are gathered (up to `maxSize`, for at most `maxWaitMs` after the first) and
 * handed to the method together, in ONE transaction with their processed-job markers. Each job's
 * outcome is its batch's: when the batch commits every job in it is done; when it fails, each job
 * of the batch is run again alone at once, so a job that cannot succeed fails (and is retried or
 * dead-lettered) by itself and does not take the others with it. A job already processed (a
 * redelivery) is left out of the batch. The handler re-checks the database like any other.
 */
export const OnJobBatch =
  <J extends JobName>(queue: QueueName, job: J, options: Partial<JobBatchOptions> = {}) =>
  (
    target: object,
    key: string | symbol,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the second argument is `readFirst`'s result
    descriptor: TypedPropertyDescriptor<(jobs: BatchedJob<J>[], read?: any) => Promise<void>>,
  ): void => {
    SetMetadata(JOB_HANDLER, {
      queue,
      job,
      batch: { ...DEFAULT_JOB_BATCH, ...options },
    } satisfies JobHandlerTarget)(target, key, descriptor);
  };
