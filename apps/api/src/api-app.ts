import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppConfig, readAppConfig } from '@market/config';
import {
  answerClientError,
  acceptMultipart,
  answerFrameworkError,
  createValidationPipe,
  guardRequestShape,
  ProblemDetailsFilter,
} from '@market/http';
import { AccountsService } from '@market/identity';
import { MarketLogger, REQUEST_ID_HEADER } from '@market/logging';
import { ApiModule } from './api.module';
import { serveOpenApiDocument } from './openapi';
import { recordHttpMetrics } from './ops/http-metrics';
import { guardQueueDashboard, QUEUE_DASHBOARD_ROUTE } from './ops/queue-dashboard';
import { findWebRoot, serveWebApp } from './ops/web-app';

export const API_PREFIX = 'api/v1';

/** Options every api instance is created with, in production and in tests alike. */
export const API_APP_OPTIONS = {
  logger: false as const,
  // Stripe signs the exact bytes it sent; the webhook verifies `request.rawBody`, not re-serialised JSON.
  rawBody: true,
};

/** Builds the API application, configured exactly as it runs; `main.ts` and the tests share it. */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, createHttpAdapter(), {
    ...API_APP_OPTIONS,
    abortOnError: false,
  });
  return configureApiApp(app);
}

/** Fastify with the market's request ids, body limit and trusted proxies. */
export function createHttpAdapter(config: AppConfig = readAppConfig()): FastifyAdapter {
  const { trustedProxies } = config.http;
  const adapter = new FastifyAdapter({
    // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY: from anyone else it
    // is whatever the caller wrote, and the client address is what rate limits count by.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    bodyLimit: 1024 * 1024,
    // What Fastify and Node refuse before Nest sees a request is answered as problem+json too.
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // The request id of the logs: the caller's X-Request-Id when it is sane, else a fresh UUID.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    },
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  return adapter;
}

/** `/api/v1` before every route but the operations endpoints. */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'metrics', method: RequestMethod.GET },
      { path: QUEUE_DASHBOARD_ROUTE.slice(1), method: RequestMethod.ALL },
      { path: `${QUEUE_DASHBOARD_ROUTE.slice(1)}/{*path}`, method: RequestMethod.ALL },
    ],
  });
}

/** Everything around the module: logging, prefix, validation, errors, metrics, OpenAPI. */
export async function configureApiApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(MarketLogger));
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  recordHttpMetrics(app.getHttpAdapter().getInstance());
  // Before init, which mounts the routes: the hooks must see every route.
  guardQueueDashboard(app.getHttpAdapter().getInstance(), app.get(AccountsService));
  guardRequestShape(app.getHttpAdapter().getInstance());
  // Only the evidence upload takes a form; every other route answers multipart with a 415.
  acceptMultipart(app.getHttpAdapter().getInstance(), [`/${API_PREFIX}/contracts/:id/milestones/:key/complete`]);

  serveOpenApiDocument(app);
  // The web pages at `/`; the api's own paths keep their routes.
  await serveWebApp(app, findWebRoot());

  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
