import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '@market/config';
import { JobDispatcher } from './job-dispatcher';
import { ALL_QUEUES } from './jobs';
import { queueDefaults } from './queue-defaults';

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
  ) {}

  onApplicationBootstrap(): void {
    const { consumer } = queueDefaults(this.config);
    this.workers = ALL_QUEUES.map((queueName) => {
      const worker = new Worker(queueName, (job: Job) => this.dispatcher.run(queueName, job), consumer);
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { queue: queueName, jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error },
          'job failed',
        ),
      );
      worker.on('error', (error) => this.logger.warn({ queue: queueName, err: error }, 'worker connection error'));
      return worker;
    });
    this.logger.log(`consuming ${ALL_QUEUES.join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.logger.log('workers closed');
  }
}
