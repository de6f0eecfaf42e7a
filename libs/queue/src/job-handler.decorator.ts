import { SetMetadata } from '@nestjs/common';
import type { JobName } from './jobs';

export const JOB_HANDLER = Symbol('job-handler');

/**
 * Marks a service method as the handler of one job. The worker discovers handlers at start-up,
 * refuses to start if a job has none, and runs each inside a transaction exactly once per job id.
 */
export const OnJob = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);
