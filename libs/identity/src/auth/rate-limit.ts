import { applyDecorators, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface.js';
import type { FastifyReply } from 'fastify';
import { IdentityErrors } from '../identity.errors';

/** The rate limits of the api, each counted per client address (see docs/security.md). */
export enum RateLimit {
  /** Password attempts: `LOGIN_RATE_LIMIT_PER_MINUTE`. */
  Login = 'login',
  /** New organizations and accounts: `REGISTRATION_RATE_LIMIT_PER_HOUR`. */
  Registration = 'registration',
}

/** @nestjs/throttler's guard, refusing with the market's error (a stable code) and a plain Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(retryAfterSeconds));
    throw IdentityErrors.tooManyAttempts(retryAfterSeconds);
  }
}

/** The route counts against this limit, and only this one; past it, a 429 with Retry-After. */
export const Throttled = (limit: RateLimit) =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle(Object.fromEntries(Object.values(RateLimit).map((name) => [name, name !== limit]))),
  );
