import Joi from 'joi';
import { isIP } from 'node:net';
import { ContractEnv, contractEnvKeys } from './contract.env';
import { RiskEnv, riskEnvKeys } from './risk.env';

/** The entries of a TRUST_PROXY value. */
export function proxyEntries(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Every setting the market reads from its environment, validated once at start-up.
 * A missing or malformed value stops the process with a message naming the variable.
 */
export interface Env extends RiskEnv, ContractEnv {
  NODE_ENV: 'development' | 'production' | 'test';
  HOST: string;
  PORT: number;
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  REDIS_URL: string;
  QUEUE_PREFIX: string;
  JWT_SECRET: string;
  JWT_TTL_SECONDS: number;
  PASSWORD_HASH_COST: number;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  OUTBOX_POLL_MS: number;
  OUTBOX_BATCH_SIZE: number;
  WORKER_CONCURRENCY: number;
  WORKER_QUEUES?: string;
  WORKER_LOCK_DURATION_MS: number;
  WORKER_STALLED_INTERVAL_MS: number;
  JOB_ATTEMPTS: number;
  JOB_BACKOFF_MS: number;
  LOGIN_RATE_LIMIT_PER_MINUTE: number;
  REGISTRATION_RATE_LIMIT_PER_HOUR: number;
  TRUST_PROXY: string;
  ANNOUNCEMENT_DAYS: number;
  LISTING_PERIOD_DAYS: number;
  SEARCH_CACHE_ENTRIES: number;
  STATS_CACHE_ENTRIES: number;
  ANTI_SNIPING_MINUTES: number;
  IDEMPOTENCY_TTL_HOURS: number;
  BID_BATCH_MAX: number;
  OFFER_VALIDITY_DAYS: number;
  PRICE_ANNOUNCEMENT_DAYS: number;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_API_URL?: string;
  STRIPE_PUBLISHABLE_KEY?: string;
}

export const envSchema = Joi.object<Env, true>({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  HOST: Joi.string().default('0.0.0.0'),
  PORT: Joi.number().port().default(3000),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .required(),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .required(),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[a-z0-9_-]+$/)
    .default('market'),
  JWT_SECRET: Joi.string().min(32).required(),
  JWT_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .default(8 * 3600),
  PASSWORD_HASH_COST: Joi.number().integer().min(4).max(15).default(10),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  OUTBOX_POLL_MS: Joi.number().integer().min(10).default(200),
  OUTBOX_BATCH_SIZE: Joi.number().integer().min(1).max(1000).default(200),
  WORKER_CONCURRENCY: Joi.number().integer().min(1).default(16),
  // Queue names, comma-separated (checked against the queues at the worker's start); none: all.
  WORKER_QUEUES: Joi.string().pattern(/^[a-z-]+(,[a-z-]+)*$/),
  WORKER_LOCK_DURATION_MS: Joi.number().integer().min(500).default(30_000),
  WORKER_STALLED_INTERVAL_MS: Joi.number().integer().min(500).default(30_000),
  JOB_ATTEMPTS: Joi.number().integer().min(1).default(8),
  JOB_BACKOFF_MS: Joi.number().integer().min(10).default(1_000),
  LOGIN_RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(1).default(20),
  REGISTRATION_RATE_LIMIT_PER_HOUR: Joi.number().integer().min(1).default(10),
  // The proxies whose X-Forwarded-For is believed: addresses, CIDR ranges or the names loopback,
  // linklocal, uniquelocal, comma-separated. None by default: the client is the TCP peer, since a
  // forwarded address from anyone else is whatever the caller wrote (and escapes rate limits).
  TRUST_PROXY: Joi.string()
    .empty('')
    .default('')
    .custom((value: string, helpers) => {
      const bad = proxyEntries(value).find((entry) => !isProxyEntry(entry));
      if (bad !== undefined) {
        return helpers.message({
          custom: `TRUST_PROXY entry "${bad}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
        });
      }
      return value;
    }),
  ANNOUNCEMENT_DAYS: Joi.number().integer().min(1).max(90).default(15),
  LISTING_PERIOD_DAYS: Joi.number().integer().min(1).max(365).default(20),
  // Search pages kept per api process until a listing changes; 0 searches PostgreSQL every time.
  SEARCH_CACHE_ENTRIES: Joi.number().integer().min(0).max(100_000).default(2_000),
  // Statistics answers kept per api process until a contract event changes the figures; 0 reads PostgreSQL every time.
  STATS_CACHE_ENTRIES: Joi.number().integer().min(0).max(100_000).default(1_000),
  ANTI_SNIPING_MINUTES: Joi.number().integer().min(0).max(60).default(5),
  IDEMPOTENCY_TTL_HOURS: Joi.number()
    .integer()
    .min(1)
    .max(24 * 365)
    .default(72),
  BID_BATCH_MAX: Joi.number().integer().min(1).max(5000).default(500),
  // How long a negotiation offer stands unless its offerer says less; and the price announcement
  // (交易价格公示) of a deal agreed with a university or research institute.
  OFFER_VALIDITY_DAYS: Joi.number().integer().min(1).max(90).default(7),
  PRICE_ANNOUNCEMENT_DAYS: Joi.number().integer().min(1).max(90).default(15),
  // Without a key, deposits are paid by bank transfer only.
  STRIPE_SECRET_KEY: Joi.string()
    .empty('')
    .pattern(/^(sk|rk)_\w+$/),
  // Webhooks cannot be trusted without their signing secret, so a key needs one.
  STRIPE_WEBHOOK_SECRET: Joi.string()
    .empty('')
    .pattern(/^whsec_\w+$/)
    .when('STRIPE_SECRET_KEY', { is: Joi.exist(), then: Joi.required() }),
  // A Stripe-compatible server (tests, stripe-mock); the SDK talks to api.stripe.com otherwise.
  STRIPE_API_URL: Joi.string()
    .empty('')
    .uri({ scheme: ['http', 'https'] }),
  // The key Stripe.js uses in the payer's browser (public by design); without it the pages offer
  // bank transfers only, even with a secret key.
  STRIPE_PUBLISHABLE_KEY: Joi.string()
    .empty('')
    .pattern(/^pk_\w+$/),
  ...riskEnvKeys,
  ...contractEnvKeys,
});

export const ENV_KEYS = Object.keys(envSchema.describe().keys ?? {}) as (keyof Env)[];

/** Validates `raw` against the schema; throws one error listing every bad variable by name. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const { value, error } = envSchema.validate(raw, {
    abortEarly: false,
    allowUnknown: true,
    convert: true,
  });
  if (error) {
    const problems = error.details.map((d) => `${String(d.path[0])}: ${d.message}`);
    throw new Error(`Invalid configuration — ${problems.join('; ')}`);
  }
  return value as Env;
}
