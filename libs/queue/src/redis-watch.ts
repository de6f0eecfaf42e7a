import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { AppConfig } from '@market/config';
import { ALL_QUEUES } from './jobs';

/** How often the watch tries Redis again while it is lost. */
const RETRY_MS = 500;

const CONNECTION_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EPIPE|Connection is closed|connect/i;

/** Whether an error reported by a Redis client or a BullMQ queue or worker means Redis cannot be reached. */
export function isRedisConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return CONNECTION_FAILURE.test(`${String(code ?? '')} ${String(message ?? '')}`);
}

/**
 * Says once that Redis is lost and once that it is back, as log lines like any other. While
 * Redis is down every client of it (each queue, each worker, each connection) reports an error
 * on every reconnection attempt; left alone, BullMQ prints those to stderr as raw stack traces.
 * Every such report comes here: the first one logs the loss, the others are dropped, and a
 * connection of the watch's own, retrying every half second, logs the return.
 */
@Injectable()
export class RedisWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private lostSince: number | undefined;
  private probe: IORedis | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => this.report(error, `queue ${name}`));
    }
  }

  onApplicationShutdown(): void {
    this.probe?.disconnect();
  }

  /** Whether Redis is known to be unreachable now. */
  get isLost(): boolean {
    return this.lostSince !== undefined;
  }

  /**
   * An error from a client of Redis. A connection failure is logged once per outage; any other
   * error is logged as it comes (it is not about Redis being away).
   */
  report(error: unknown, source: string): void {
    if (!isRedisConnectionError(error)) {
      this.logger.warn({ err: error, source }, 'Redis client error');
      return;
    }
    if (this.lostSince !== undefined) return;
    this.lostSince = Date.now();
    const { code, message } = error as { code?: string; message?: string };
    this.logger.error(
      { source, error: message, code },
      'Redis lost: queues and live events wait for it; outbox rows stay in PostgreSQL',
    );
    this.watchForReturn();
  }

  private watchForReturn(): void {
    const probe = new IORedis(this.config.redis.url, {
      maxRetriesPerRequest: null,
      retryStrategy: () => RETRY_MS,
      connectionName: 'redis-watch',
    });
    this.probe = probe;
    probe.on('error', () => undefined); // the outage is already logged
    probe.once('ready', () => {
      const downMs = Date.now() - this.lostSince!;
      this.lostSince = undefined;
      this.probe = undefined;
      probe.disconnect();
      this.logger.log({ downMs }, 'Redis back');
    });
  }
}
