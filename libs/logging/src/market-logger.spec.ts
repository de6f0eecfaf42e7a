import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { MarketLogger, requestLoggerStorage } from './market-logger';
import { createRootLogger, logFormatFor } from './root-logger';

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

function jsonLogger(level: string): { logger: MarketLogger; root: Logger; records: () => Record<string, unknown>[] } {
  const out = capture();
  const root = createRootLogger(level, 'json', out.stream);
  return { logger: new MarketLogger(root), root, records: () => out.lines().map((line) => JSON.parse(line)) };
}

describe('MarketLogger', () => {
  it('keeps the routes and modules Nest reports at start-up out of the info level', () => {
    const { logger, records } = jsonLogger('info');
    logger.log('Mapped {/api/v1/listings, GET} route', 'RouterExplorer');
    logger.log('ListingsController {/api/v1/listings}:', 'RoutesResolver');
    logger.log('ApiModule dependencies initialized', 'InstanceLoader');
    logger.log('worker ready');
    expect(records().map((r) => r.msg)).toEqual(['worker ready']);
  });

  it('shows the start-up reports at debug level', () => {
    const { logger, records } = jsonLogger('debug');
    logger.log('Mapped {/api/v1/listings, GET} route', 'RouterExplorer');
    expect(records()).toEqual([
      expect.objectContaining({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/api/v1/listings, GET} route' }),
    ]);
  });

  it('keeps a warning from a start-up context at warning level', () => {
    const { logger, records } = jsonLogger('info');
    logger.warn('Unsupported route path', 'RouterExplorer');
    expect(records()).toEqual([expect.objectContaining({ level: 40, msg: 'Unsupported route path' })]);
  });

  it('writes an object message as fields with the text after it', () => {
    const { logger, records } = jsonLogger('info');
    logger.log({ jobId: 'j1' }, 'job already processed; skipping', 'JobDispatcher');
    expect(records()).toEqual([
      expect.objectContaining({ jobId: 'j1', context: 'JobDispatcher', msg: 'job already processed; skipping' }),
    ]);
  });

  it('keeps the stack of an error', () => {
    const { logger, records } = jsonLogger('info');
    logger.error(new Error('boom'), 'Problem');
    const [record] = records();
    expect(record).toMatchObject({ level: 50, context: 'Problem', msg: 'boom' });
    expect((record.err as { stack: string }).stack).toContain('market-logger.spec');
  });

  it('tags the lines logged while serving a request with its id', () => {
    const { logger, root, records } = jsonLogger('info');
    requestLoggerStorage.run(root.child({ req: { id: 'request-7' } }), () => logger.warn('slow', 'Search'));
    expect(records()).toEqual([expect.objectContaining({ req: { id: 'request-7' }, msg: 'slow' })]);
  });
});

describe('log format', () => {
  it('is readable lines on a terminal and JSON lines elsewhere', () => {
    expect(logFormatFor({ isTTY: true })).toBe('pretty');
    expect(logFormatFor({ isTTY: false })).toBe('json');
    expect(logFormatFor({})).toBe('json');
  });

  it('prints a request as one readable line on a terminal', () => {
    const out = capture();
    const root = createRootLogger('info', 'pretty', out.stream);
    root.info(
      { req: { id: 'r1', method: 'GET', url: '/api/v1/listings' }, res: { statusCode: 200 }, responseTime: 3 },
      'request completed',
    );
    new MarketLogger(root).log('worker ready', 'Worker');
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/INFO.*GET \/api\/v1\/listings → 200 \(3 ms\)$/);
    expect(lines[1]).toMatch(/INFO.*\[Worker\] worker ready$/);
    expect(lines.join('\n')).not.toContain('{');
  });
});
