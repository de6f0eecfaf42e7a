import type { QueueOptions, WorkerOptions } from 'bullmq';
import type { AppConfig } from '@market/config';

const DAY_SECONDS = 24 * 3600;

/**
 * Every queue setting in one place: retries with exponential backoff, completed jobs kept a week
 * (so a re-published outbox id is recognised), failed jobs kept until someone looks at them.
 */
export function queueDefaults(config: AppConfig) {
  const { url, queuePrefix } = config.redis;
  const worker = config.worker;
  const producer: QueueOptions = {
    prefix: queuePrefix,
    // A producer must fail fast when Redis is down: the outbox row stays and is retried.
    connection: { url, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    defaultJobOptions: {
      attempts: worker.attempts,
      backoff: { type: 'exponential', delay: worker.backoffMs },
      removeOnComplete: { age: 7 * DAY_SECONDS, count: 100_000 },
      removeOnFail: false,
    },
  };
  const consumer: WorkerOptions = {
    prefix: queuePrefix,
    // A consumer waits for Redis to come back rather than failing.
    connection: { url, maxRetriesPerRequest: null },
    concurrency: worker.concurrency,
    lockDuration: worker.lockDurationMs,
    stalledInterval: worker.stalledIntervalMs,
    maxStalledCount: 2,
  };
  return { producer, consumer };
}
