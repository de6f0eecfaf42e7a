import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestLoggerStorage } from './market-logger';

/** Probes and scrapes come every few seconds and say nothing about the market. */
const QUIET_PATHS = ['/metrics', '/api/v1/health'];

type Request = IncomingMessage & { id?: string; originalUrl?: string };

/**
 * One line per request, at its end: id, method, URL, caller, status and time. The request id is
 * the one Fastify gave it (the caller's `X-Request-Id` when it sends one); every line logged while
 * serving the request carries it.
 */
export function requestLogging(root: Logger) {
  const log = pinoHttp({
    logger: root,
    genReqId: (req: IncomingMessage) => (req as Request).id ?? '',
    // pino-http serializes the request into a child logger for every request, logged or not:
    // what an operator reads (id, method, url, caller) and no headers, which are the bulk of
    // that work and hold the credentials. With no headers logged there is nothing to redact,
    // and a redaction would still walk every request's bindings.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // A refused request (4xx) is the market working as intended — a bid too low, a bad field —
    // not something for the operators: only server errors are logged above info.
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : 'info',
    // The middleware may see a URL relative to where it is mounted: compare the original one.
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.includes(pathOf(req as Request)) },
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    log(req, res);
    requestLoggerStorage.run((req as IncomingMessage & { log: Logger }).log, next);
  };
}

function pathOf(req: Request): string {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
