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
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["stripe-signature"]'],
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
