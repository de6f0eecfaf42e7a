import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { validateInput } from '@market/http';
import { LoginInput } from '../dto/identity.dto';
import type { Role } from '../domain/role';
import { IdentityErrors } from '../identity.errors';
import type { Actor } from './actor';
import { IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import { bearerTokenOf } from './jwt.strategy';
import { VerifiedTokens } from './verified-tokens';

/**
 * Global: every route needs a valid bearer token unless marked @Public(). On a public route a
 * token is still read when one is sent (the seller sees more of its own listing), and a bad one
 * is simply ignored.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new VerifiedTokens();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: Actor }>();
    // The same token passport verifies, so it is remembered under exactly what was verified.
    const token = bearerTokenOf(request);
    const known = token && this.verified.recall(token);
    if (known) {
      request.user = known;
      return true;
    }
    if (!this.isPublic(context)) {
      await super.canActivate(context);
    } else if (request.headers.authorization) {
      await (super.canActivate(context) as Promise<boolean>).catch(() => false);
    }
    if (token && request.user) this.verified.remember(token, request.user);
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, _info: unknown, context: ExecutionContext): T {
    if (this.isPublic(context)) return (error ? undefined : user || undefined) as T;
    if (error || !user) {
      throw IdentityErrors.unauthenticated();
    }
    return user;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
  }
}

/** Global: enforces @Roles(...) after authentication. */
@Injectable()
export class RolesGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) return true;
    const actor = context.switchToHttp().getRequest<{ user?: Actor }>().user;
    if (!actor || !required.some((role) => actor.roles.includes(role))) throw IdentityErrors.missingRole(required);
    return true;
  }
}

/**
 * Login: passport-local checks e-mail and password from the JSON body. The body is validated
 * first, since guards run before pipes, so a malformed login is a 400 that names the field.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body ?? {};
    await validateInput(LoginInput, body);
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw IdentityErrors.badCredentials();
    return user;
  }
}
