import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/**
 * People read a terminal; machines read everything else. A process whose standard output is a
 * terminal (`npm start` in a shell) logs one readable line per event; under docker, systemd or a
 * pipe it logs JSON lines for the log collector.
 */
export function logFormatFor(stream: { isTTY?: boolean }): LogFormat {
  return stream.isTTY ? 'pretty' : 'json';
}

interface RequestLine {
  msg?: string;
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** One line per event: `[context] message`, and a request as `GET /url → 200 (3 ms)`. */
export function prettyMessage(log: RequestLine): string {
  if (log.req && log.res) {
    return `${log.req.method} ${log.req.url} → ${log.res.statusCode} (${log.responseTime ?? '?'} ms)`;
  }
  return log.context ? `[${log.context}] ${log.msg ?? ''}` : (log.msg ?? '');
}

/**
 * The process's one pino logger. The pretty form runs in this thread (no transport worker):
 * a development machine's volume of logs does not need one, and a synchronous stream keeps the
 * order of lines with what the launcher prints.
 */
export function createRootLogger(
  level: LoggerOptions['level'],
  format: LogFormat,
  destination?: DestinationStream,
): Logger {
  if (format === 'json') return destination ? pino({ level }, destination) : pino({ level });
  const stream = pretty({
    colorize: destination ? false : pretty.isColorSupported,
    destination: destination ?? 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: (log) => prettyMessage(log as RequestLine),
  });
  return pino({ level }, stream);
}
