import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ProblemDetails } from './problem-details.filter';

const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

function problem(status: number, code: string, detail: string, instance?: string): ProblemDetails {
  return {
    type: `/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(instance !== undefined && { instance }),
  };
}

/** Fastify's router refuses a path parameter longer than this (its `maxParamLength`, left at its default). */
export const MAX_PARAM_LENGTH = 100;

/** Fastify's own refusals of a URL, before any route (and so before Nest) is chosen. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'REQUEST.BAD_URL', detail: 'The URL is not valid (a malformed % escape?)' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'REQUEST.URI_TOO_LONG',
    detail: `A path segment is longer than ${MAX_PARAM_LENGTH} characters`,
  },
};

/**
 * Fastify's `frameworkErrors`: a malformed URL (400) or a path parameter over the router's limit
 * (414) is answered as problem+json, like every other error of the API.
 */
export function answerFrameworkError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  const known = FRAMEWORK_ERRORS[error.code ?? ''] ?? {
    status: 500,
    code: 'INTERNAL',
    detail: 'An unexpected error occurred; it has been logged',
  };
  // The raw URL is what could not be read: it is not echoed back.
  return reply
    .status(known.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem(known.status, known.code, known.detail));
}

/** What Node's HTTP parser refused, by its error code. */
function clientErrorOf(code: string | undefined): { status: number; code: string; detail: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'REQUEST.HEADERS_TOO_LARGE', detail: 'The request headers are too large' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'REQUEST.TIMEOUT', detail: 'The request took too long to arrive' };
  }
  return { status: 400, code: 'REQUEST.MALFORMED', detail: 'The request is not valid HTTP/1.1' };
}

/**
 * Node's `clientError` (through Fastify's `clientErrorHandler`): a request Node could not parse —
 * headers too large (431), a malformed Content-Length or Transfer-Encoding, a bad request line
 * (400) — gets a problem+json answer, then the connection is closed, as Node itself would.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refused = clientErrorOf(error.code);
  const body = JSON.stringify(problem(refused.status, refused.code, refused.detail));
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${refused.status} ${STATUS_CODES[refused.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroySoon();
}

/** The router's 414 problem, for a handler that meets an over-long path parameter the router let through. */
export function answerParameterTooLong(request: FastifyRequest, reply: FastifyReply) {
  return answerFrameworkError(
    Object.assign(new Error('path parameter too long'), { code: 'FST_ERR_MAX_PARAM_LENGTH' }),
    request,
    reply,
  );
}
