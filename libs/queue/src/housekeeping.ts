import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';
import { OnJob } from './job-handler.decorator';
import { JobName, QueueName } from './jobs';

const EVERY_MS = 60 * 60_000;
/** The one schedule, whatever the number of workers: upserting it again changes nothing. */
export const HOUSEKEEPING_SCHEDULER = 'housekeeping-hourly';

/**
 * Keeps the bookkeeping tables from growing without end: idempotency keys once nobody retries
 * them (IDEMPOTENCY_TTL_HOURS), and outbox rows and processed-job markers a month after their
 * job ran — long after BullMQ forgets a completed job (a week), so no redelivery can outlive its
 * marker. Business tables are never touched.
 *
 * It runs hourly as a job of a BullMQ job scheduler, so one run per hour for the whole market,
 * not one per worker. Every worker upserts the same scheduler at start (settings changed in code
 * take effect), and the relay upserts it again when Redis lost its data.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap {
  private readonly logger = new Logger(Housekeeping.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Housekeeping) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Redis down at start: the relay schedules it once Redis is back (its marker is missing then).
    await this.schedule().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'cannot schedule housekeeping now; will when Redis answers'),
    );
  }

  async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      HOUSEKEEPING_SCHEDULER,
      { every: EVERY_MS },
      { name: JobName.Housekeeping, data: {}, opts: { attempts: 1 } },
    );
  }

  @OnJob(QueueName.Housekeeping, JobName.Housekeeping)
  async onSchedule(): Promise<void> {
    const purged = await this.run();
    this.logger.log(purged, 'housekeeping done');
  }

  async run(): Promise<{ idempotencyKeys: number; outboxRows: number; markers: number }> {
    const hours = this.config.idempotencyTtlHours;
    const [, idempotencyKeys] = await this.dataSource.query(
      `DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`,
      [hours],
    );
    const [, outboxRows] = await this.dataSource.query(
      `DELETE FROM outbox_event WHERE published_at IS NOT NULL AND run_at < now() - interval '30 days'`,
    );
    const [, markers] = await this.dataSource.query(
      `DELETE FROM processed_job WHERE processed_at < now() - interval '30 days'`,
    );
    return { idempotencyKeys, outboxRows, markers };
  }
}
