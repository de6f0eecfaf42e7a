import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { IdempotencyErrors, isIdempotencyKey } from './idempotency-key';

export const OWN_IDEMPOTENCY = 'idempotency:own';

/**
 * The route keeps its own memory of Idempotency-Keys (bids do, inside their batch), or needs none
 * because repeating it changes nothing and its answer must not be stored (login: a bearer token
 * is never written to the database), so the generic store stays out of its way. Under
 * `IdempotentPosts` such a route still runs in the request's one transaction: the marker opts out
 * of the key store, never out of atomicity.
 */
export const HandlesOwnIdempotency = () => SetMetadata(OWN_IDEMPOTENCY, true);

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Opens the request's transaction for every mutating route of the controller, and honours
 * `Idempotency-Key` on POST. The key row, the handler's writes and the stored response
 * commit in one transaction: a retry with the same key and body replays the first response and
 * writes nothing; the same key with another body is a 422. A concurrent retry waits on the key's
 * primary key until the first commits, then replays it. A request that fails rolls back its key,
 * so it can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: { userId: string } }>();
    const header = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method)) return next.handle();
    // With a key or without, a mutating request's writes commit together or not at all — a route
    // that keeps its own memory of keys (or stores no answer, like login) included.
    const ownKeys = this.reflector.get<boolean>(OWN_IDEMPOTENCY, context.getHandler());
    if (ownKeys || request.method !== 'POST' || header === undefined) {
      return from(this.txHost.withTransaction(() => lastValueFrom(next.handle(), { defaultValue: undefined })));
    }
    const key = Array.isArray(header) ? header[0] : header;
    if (!isIdempotencyKey(key)) throw IdempotencyErrors.badKey();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const path = request.url.split('?')[0];
    const requestHash = createHash('sha256')
      .update(`${request.method} ${path}\n${canonicalJson(request.body)}`)
      .digest('hex');
    // A user's keys are theirs. Anonymous callers cannot be told apart, so their key is scoped by
    // the request itself: two clients choosing the same key never meet, and a stored answer is
    // replayed only to a caller who sends the very same request (a registration's password
    // included). What is lost is only the 422 for an anonymous key reused with another body.
    const scope = request.user?.userId ?? `anonymous:${requestHash}`;

    return from(
      this.txHost.withTransaction(async () => {
        const tx = this.txHost.tx;
        const claimed: unknown[] = await tx.query(
          `INSERT INTO idempotency_key (scope, key, request_hash, method, path) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
          [scope, key, requestHash, request.method, path],
        );
        if (claimed.length === 0) {
          const [first] = (await tx.query(
            `SELECT request_hash, status_code, response_body FROM idempotency_key WHERE scope = $1 AND key = $2`,
            [scope, key],
          )) as { request_hash: string; status_code: number; response_body: unknown }[];
          if (first.request_hash !== requestHash) throw IdempotencyErrors.keyReused();
          void reply.status(first.status_code).header('idempotent-replayed', 'true');
          return first.response_body;
        }
        const body = await lastValueFrom(next.handle(), { defaultValue: null });
        await tx.query(
          `UPDATE idempotency_key SET status_code = $3, response_body = $4 WHERE scope = $1 AND key = $2`,
          [scope, key, status, JSON.stringify(body ?? null)],
        );
        return body;
      }),
    );
  }
}

/**
 * The POST routes of this controller honour Idempotency-Key. Attached per controller rather than
 * globally, so that a controller whose routes keep their own memory of keys (bids) pays for no
 * interceptor chain; `IdempotencyCoverage` refuses to start an api with a POST route that has
 * neither this nor `HandlesOwnIdempotency`.
 */
export const IdempotentPosts = () => UseInterceptors(IdempotencyInterceptor);
