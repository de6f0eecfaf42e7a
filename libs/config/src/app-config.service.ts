import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, ENV_KEYS, proxyEntries, validateEnv } from './env.schema';
import { contractSettings } from './contract.env';
import { riskSettings, RiskSettings } from './risk.env';

/** Typed, read-only view of the validated environment. The only reader of configuration. */
@Injectable()
export class AppConfig {
  private readonly env: Env;

  constructor(config: ConfigService) {
    this.env = validateEnv(Object.fromEntries(ENV_KEYS.map((key) => [key, config.get<unknown>(key)])));
  }

  private get<K extends keyof Env>(key: K): Env[K] {
    return this.env[key];
  }

  get isProduction(): boolean {
    return this.get('NODE_ENV') === 'production';
  }

  get http() {
    return { host: this.get('HOST'), port: this.get('PORT'), trustedProxies: proxyEntries(this.get('TRUST_PROXY')) };
  }

  get database() {
    return { url: this.get('DATABASE_URL'), poolSize: this.get('DATABASE_POOL_SIZE') };
  }

  get redis() {
    return { url: this.get('REDIS_URL'), queuePrefix: this.get('QUEUE_PREFIX') };
  }

  get auth() {
    return {
      jwtSecret: this.get('JWT_SECRET'),
      jwtTtlSeconds: this.get('JWT_TTL_SECONDS'),
      passwordHashCost: this.get('PASSWORD_HASH_COST'),
      loginRateLimitPerMinute: this.get('LOGIN_RATE_LIMIT_PER_MINUTE'),
      registrationRateLimitPerHour: this.get('REGISTRATION_RATE_LIMIT_PER_HOUR'),
    };
  }

  get listing() {
    return {
      announcementDays: this.get('ANNOUNCEMENT_DAYS'),
      listingPeriodDays: this.get('LISTING_PERIOD_DAYS'),
      searchCacheEntries: this.get('SEARCH_CACHE_ENTRIES'),
    };
  }

  get stats() {
    return { cacheEntries: this.get('STATS_CACHE_ENTRIES') };
  }

  get auction() {
    return { antiSnipingMs: this.get('ANTI_SNIPING_MINUTES') * 60_000, bidBatchMax: this.get('BID_BATCH_MAX') };
  }

  /** The false-contract rules' thresholds and weights. */
  /** Registration deadlines (working days) and the amount that extends them. */
  get registration() {
    return contractSettings(this.env);
  }

  get risk(): RiskSettings {
    return riskSettings(this.env);
  }

  get negotiation() {
    return {
      offerValidityDays: this.get('OFFER_VALIDITY_DAYS'),
      priceAnnouncementDays: this.get('PRICE_ANNOUNCEMENT_DAYS'),
    };
  }

  /** How long an Idempotency-Key is remembered. */
  get idempotencyTtlHours(): number {
    return this.get('IDEMPOTENCY_TTL_HOURS');
  }

  get logLevel(): Env['LOG_LEVEL'] {
    return this.get('LOG_LEVEL');
  }

  get outbox() {
    return { pollMs: this.get('OUTBOX_POLL_MS'), batchSize: this.get('OUTBOX_BATCH_SIZE') };
  }

  /** Stripe, or undefined when no secret key is configured (offline deposits only). */
  get stripe() {
    const secretKey = this.get('STRIPE_SECRET_KEY');
    const apiUrl = this.get('STRIPE_API_URL');
    const api = apiUrl ? new URL(apiUrl) : undefined;
    return {
      secretKey,
      webhookSecret: this.get('STRIPE_WEBHOOK_SECRET'),
      publishableKey: this.get('STRIPE_PUBLISHABLE_KEY'),
      api: api && {
        host: api.hostname,
        port: api.port || (api.protocol === 'https:' ? '443' : '80'),
        protocol: api.protocol.replace(':', '') as 'http' | 'https',
      },
    };
  }

  get worker() {
    return {
      concurrency: this.get('WORKER_CONCURRENCY'),
      /** The queues this worker consumes (all when unset): a deployment may give a stage its own workers. */
      queues: this.get('WORKER_QUEUES')?.split(',') ?? null,
      lockDurationMs: this.get('WORKER_LOCK_DURATION_MS'),
      stalledIntervalMs: this.get('WORKER_STALLED_INTERVAL_MS'),
      attempts: this.get('JOB_ATTEMPTS'),
      backoffMs: this.get('JOB_BACKOFF_MS'),
    };
  }
}

/**
 * The configuration, read outside the dependency injection container: for what must be settled
 * before the application exists (the HTTP server's trusted proxies).
 */
export function readAppConfig(): AppConfig {
  return new AppConfig(new ConfigService());
}
