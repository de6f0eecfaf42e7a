import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';
import { JobDispatcher } from './job-dispatcher';
import { ALL_QUEUES } from './jobs';
import { queueDefaults } from './queue-defaults';
import { RedisWatch } from './redis-watch';

/** A domain refusal fails at once (UnrecoverableError); anything else once its attempts are spent. */
function isFinalFailure(job: Job, error: Error): boolean {
  return (
    error instanceof UnrecoverableError ||
    error.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}

/**
 * One BullMQ worker per queue, each handing jobs to the dispatcher. On shutdown the workers stop
 * taking jobs and wait for the ones in hand; a job cut off by a hard kill is picked up again once
 * its lock expires, and the dispatcher's marker keeps its effects single.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private workers: Worker[] = [];

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly redisWatch: RedisWatch,
  ) {}

  onApplicationBootstrap(): void {
    const { consumer } = queueDefaults(this.config);
    const chosen = this.config.worker.queues;
    const unknown = chosen?.filter((name) => !(ALL_QUEUES as string[]).includes(name)) ?? [];
    if (unknown.length > 0) throw new Error(`WORKER_QUEUES names no such queue: ${unknown.join(', ')}`);
    const queues = chosen ? ALL_QUEUES.filter((name) => chosen.includes(name)) : ALL_QUEUES;
    this.workers = queues.map((queueName) => {
      const worker = new Worker(queueName, (job: Job) => this.dispatcher.run(queueName, job), consumer);
      worker.on('failed', (job, error) => {
        this.logger.warn(
          { queue: queueName, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error },
          'job failed',
        );
        if (job && isFinalFailure(job, error)) void this.recordDead(queueName, job, error);
      });
      // Reconnection failures come every few hundred milliseconds while Redis is down: logged once.
      worker.on('error', (error) => this.redisWatch.report(error, `worker ${queueName}`));
      return worker;
    });
    this.logger.log(`consuming ${queues.join(', ')}`);
  }

  /**
   * A job that will not be tried again is recorded in PostgreSQL: the outbox sweep then knows it
   * was not lost, and the failure outlives Redis. Best effort: if the write fails, the sweep keeps
   * adding the job again, which BullMQ ignores while it holds the failed job.
   */
  private async recordDead(queue: string, job: Job, error: Error): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO dead_job (queue, job_id, job_name, error, attempts) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (queue, job_id) DO UPDATE SET error = $4, attempts = $5, failed_at = now()`,
        [queue, job.id, job.name, error.message, job.attemptsMade],
      );
    } catch (failure) {
      this.logger.warn({ queue, jobId: job.id, err: failure }, 'could not record a dead job');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.logger.log('workers closed');
  }
}
