import type { FastifyInstance } from 'fastify';
import { Histogram, register } from 'prom-client';

/** Request duration by method, route pattern and status, recorded for every response. */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  const duration =
    (register.getSingleMetric('http_request_duration_seconds') as Histogram<string> | undefined) ??
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
