import { LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';

/** The logger of the request being served, so lines logged while serving it carry its id. */
export const requestLoggerStorage = new AsyncLocalStorage<Logger>();

/**
 * Nest's start-up chatter: every module loaded, every controller and every route mapped. Useful
 * when a route is missing, noise on every start otherwise, so it is logged at debug level
 * (`LOG_LEVEL=debug` shows it). Warnings and errors from these contexts keep their level.
 */
const START_UP_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * Nest's LoggerService over pino: `new Logger(Context)` calls anywhere in the market end here
 * once the app `useLogger`s it. Follows Nest's calling convention: the last extra argument is
 * the context; an object message becomes fields; an error becomes `err` with its stack.
 */
export class MarketLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0 && typeof params[params.length - 1] === 'string') {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (level === 'info' && START_UP_CONTEXTS.has(fields.context as string)) level = 'debug';
    const logger = requestLoggerStorage.getStore() ?? this.root;
    if (message instanceof Error) {
      fields.err = message;
      logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      // `logger.log({ jobId }, 'job already processed')`: fields, then the message.
      const text = typeof rest[0] === 'string' ? (rest[0] as string) : undefined;
      logger[level]({ ...fields, ...(message as Record<string, unknown>) }, text);
    } else if (level === 'error' && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0] as string)) {
      // Nest's exception handler passes (message, stack, context).
      const err = new Error(String(message));
      err.stack = rest[0] as string;
      logger[level]({ ...fields, err }, String(message));
    } else {
      logger[level](fields, String(message));
    }
  }
}
