import { riskSettings, validateEnv } from '@market/config';
import type { RiskThresholds } from '../domain/thresholds';

/** The thresholds as configured by default: the specs test the figures the market runs with. */
export const configured: RiskThresholds = riskSettings(
  validateEnv({
    DATABASE_URL: 'postgres://u:p@localhost:5432/market',
    REDIS_URL: 'redis://localhost:6379',
    JWT_SECRET: 'x'.repeat(32),
  }),
);
