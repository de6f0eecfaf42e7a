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
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const PG_UNIQUE_VIOLATION = '23505';
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
      this.logger.error({ err: error, reqId: request.id }, 'unhandled error');
    }
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }
}
