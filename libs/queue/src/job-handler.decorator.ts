import { SetMetadata } from '@nestjs/common';
import type { JobName, QueueName } from './jobs';

export const JOB_HANDLER = Symbol('job-handler');

export interface JobHandlerTarget {
  queue: QueueName;
  job: JobName;
}

/**
 * Marks a service method as the handler of one job on one queue (its context's queue). The
 * worker discovers handlers at start-up, refuses to start if a routed job has none, and runs
 * each inside a transaction exactly once per job id and queue.
 */
export const OnJob = (queue: QueueName, job: JobName): MethodDecorator =>
  SetMetadata(JOB_HANDLER, { queue, job } satisfies JobHandlerTarget);
