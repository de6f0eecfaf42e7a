import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';

const EVERY_MS = 60 * 60_000;

/**
 * Keeps the bookkeeping tables from growing without end: idempotency keys once nobody retries
 * them (IDEMPOTENCY_TTL_HOURS), and outbox rows and processed-job markers a month after their
 * job ran — long after BullMQ forgets a completed job (a week), so no redelivery can outlive its
 * marker. Business tables are never touched.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Housekeeping.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'housekeeping failed; will try again'));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
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
