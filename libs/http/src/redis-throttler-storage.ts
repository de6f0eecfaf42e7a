import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import IORedis from 'ioredis';
import { AppConfig } from '@market/config';
import { DomainError } from './domain-error';

/**
 * One request counted against a window, atomically: the counter and its expiry are set together,
 * and once the limit is passed a block key holds the caller out for the block duration.
 * Returns hits, the window's remaining milliseconds, and the block's (0 when not blocked).
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
if blocked < 0 then blocked = 0 end
return { hits, ttl, blocked }
`;

/**
 * Rate-limit counters in Redis, so that a limit holds across every api process (an attacker
 * spreading attempts over the processes behind a load balancer meets the same count). The
 * `@nest-lab/throttler-storage-redis` package declares NestJS ≤ 11 as its peer; this is the one
 * script it would run. When Redis cannot answer, a limited route answers 503 rather than
 * letting attempts through uncounted.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly client: IORedis;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    this.prefix = `${config.redis.queuePrefix}:rate-limit`;
    this.client = new IORedis(config.redis.url, {
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
    });
    this.client.on('error', () => undefined); // surfaces as the request's 503
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<{ totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }> {
    let answer: [number, number, number];
    try {
      answer = (await this.client.eval(
        INCREMENT,
        2,
        `${this.prefix}:${throttlerName}:${key}`,
        `${this.prefix}:${throttlerName}:${key}:blocked`,
        ttlMs,
        limit,
        blockDurationMs,
      )) as [number, number, number];
    } catch {
      throw new DomainError(
        'RATE_LIMIT.UNAVAILABLE',
        'unavailable',
        'The rate limiter cannot answer just now; try again',
      );
    }
    const [hits, ttl, blocked] = answer;
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(Math.max(ttl, 0) / 1000),
      isBlocked: blocked > 0,
      timeToBlockExpire: Math.ceil(blocked / 1000),
    };
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
