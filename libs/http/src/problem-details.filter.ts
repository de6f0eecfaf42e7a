import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorKind, ValidationFailedError } from './domain-error';

/** RFC 9457 problem details, the one error shape of the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const PG_UNIQUE_VIOLATION = '23505';
/** Class 08 (connection exception) and the backend being shut down or terminated (57P01–57P03). */
const PG_CONNECTION_LOST = /^(08...|57P0[123])$/;
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres' words for a connection that went away under a query. */
const CONNECTION_LOST_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Connection is closed|terminating connection/i;

/**
 * PostgreSQL (or the network to it) dropped the connection: the request may be retried on a fresh
 * one, so the answer is a 503, never a 500. The pool replaces the lost connection by itself.
 */
export function isConnectionLost(error: unknown): boolean {
  const causes = [error, error instanceof QueryFailedError ? error.driverError : undefined];
  return causes.some((cause) => {
    if (!(cause instanceof Error)) return false;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (PG_CONNECTION_LOST.test(code) || NETWORK_ERROR_CODES.has(code))) return true;
    return CONNECTION_LOST_MESSAGE.test(cause.message);
  });
}

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_INVALID_TEXT = '22P02';

function problemType(code: string): string {
  return `/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;
}

/** Turns whatever was thrown into a problem+json response. Never sends a stack trace. */
export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    const problem: ProblemDetails = {
      ...error.extra,
      type: problemType(error.code),
      title: TITLE_BY_STATUS[status],
      status,
      detail: error.message,
      code: error.code,
    };
    if (error instanceof ValidationFailedError) problem.errors = error.errors;
    return problem;
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    const code = `HTTP_${status}`;
    return { type: problemType(code), title: TITLE_BY_STATUS[status] ?? 'Error', status, detail: message, code };
  }
  if (error instanceof QueryFailedError) {
    const driverCode = (error.driverError as { code?: string } | undefined)?.code;
    if (driverCode === PG_UNIQUE_VIOLATION) {
      return {
        type: problemType('DUPLICATE'),
        title: 'Conflict',
        status: 409,
        detail: 'A resource with the same unique value already exists',
        code: 'DUPLICATE',
      };
    }
    if (driverCode === PG_FOREIGN_KEY_VIOLATION) {
      return {
        type: problemType('REFERENCE_NOT_FOUND'),
        title: 'Unprocessable Content',
        status: 422,
        detail: 'The request refers to a resource that does not exist',
        code: 'REFERENCE_NOT_FOUND',
      };
    }
    if (driverCode === PG_INVALID_TEXT) {
      return {
        type: problemType('INVALID_VALUE'),
        title: 'Bad Request',
        status: 400,
        detail: 'A value is malformed',
        code: 'INVALID_VALUE',
      };
    }
  }
  if (isConnectionLost(error)) {
    return {
      type: problemType('DATABASE.UNAVAILABLE'),
      title: 'Service Unavailable',
      status: 503,
      detail: 'The database connection was lost; retry the request',
      code: 'DATABASE.UNAVAILABLE',
    };
  }
  // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const code = `HTTP_${statusCode}`;
    return {
      type: problemType(code),
      title: TITLE_BY_STATUS[statusCode] ?? 'Bad Request',
      status: statusCode,
      detail: (error as Error).message,
      code,
    };
  }
  return {
    type: problemType('INTERNAL'),
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged',
    code: 'INTERNAL',
  };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(error);
    problem.instance = request.url;
    if (problem.status >= 500) {
      this.logger.error({ err: error, reqId: request.id }, problem.status === 503 ? 'unavailable' : 'unhandled error');
    }
    if (problem.status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }
}
