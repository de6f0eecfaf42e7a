import { Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@market/config';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Structured JSON logs through pino. Each HTTP request carries the id Fastify gave it (the
 * caller's `X-Request-Id` when it sends one, echoed in the response), attached to every line
 * logged while serving it.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
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
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/metrics' || req.url === '/api/v1/health' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
