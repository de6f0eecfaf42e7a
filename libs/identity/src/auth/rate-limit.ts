import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';

/** The rate limits of the api, each counted per client address (see docs/security.md). */
export enum RateLimit {
  /** Password attempts: `LOGIN_RATE_LIMIT_PER_MINUTE`. */
  Login = 'login',
  /** New organizations and accounts: `REGISTRATION_RATE_LIMIT_PER_HOUR`. */
  Registration = 'registration',
}

/** The route counts against this limit, and only this one; past it, a 429 with Retry-After. */
export const Throttled = (limit: RateLimit) =>
  applyDecorators(
    UseGuards(ThrottlerGuard),
    SkipThrottle(Object.fromEntries(Object.values(RateLimit).map((name) => [name, name !== limit]))),
  );
