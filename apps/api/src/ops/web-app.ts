import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerParameterTooLong, MAX_PARAM_LENGTH } from '@market/http';

/**
 * Where the built web app is: `dist/web`, seen from the built api (dist/apps/api/src/ops) or from
 * its sources (apps/api/src/ops, as the tests run it).
 */
export const WEB_ROOT_CANDIDATES = [join(__dirname, '../../../../web'), join(__dirname, '../../../../dist/web')];

/** The demo logins the sign-in page lists on a demo start (see tools/market.ts). */
export const DEMO_LOGINS = 'demo-logins.json';

/** Paths the api keeps for itself: never answered with the web app's page. */
const API_PATHS = /^\/(api|docs|docs-json|admin\/queues|metrics)(\/|$|\?)/;

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>潇湘技术大市场</title></head>
<body><main><h1>潇湘技术大市场 · Xiaoxiang Technology Market</h1>
<p>网页尚未构建：运行 <code>npm run build</code>。The web pages are not built: run <code>npm run build</code>.</p>
<p><a href="/docs">API</a></p></main></body></html>
`;

export function findWebRoot(candidates = WEB_ROOT_CANDIDATES): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * The web app at `/`: its files as built (hashed assets cached for a year, gzip and brotli copies
 * served to browsers that take them), and `index.html` for every other GET that is not the api's,
 * so a page's address can be opened directly. Without a build, a short note says how to make one.
 */
export async function serveWebApp(app: NestFastifyApplication, root: string | undefined): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (root) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      globIgnore: [DEMO_LOGINS],
      preCompressed: true,
      setHeaders: (reply, path) => {
        const hashed = path.startsWith(join(root, 'assets'));
        void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // Written by `npm start` when it loads the demo data, maybe after this api started: read on each request.
  fastify.get('/demo-logins.json', (_request, reply) => {
    const file = root && join(root, DEMO_LOGINS);
    if (!file || !existsSync(file)) return reply.callNotFound();
    return reply.header('cache-control', 'no-store').type('application/json').send(readFileSync(file));
  });
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    if (API_PATHS.test(request.url)) {
      // An api path whose parameter is over the router's limit finds no api route and falls through
      // to this one (a wildcard knows no limit): it gets the router's own 414, not a 404.
      if (path.split('/').some((segment) => segment.length > MAX_PARAM_LENGTH))
        return answerParameterTooLong(request, reply);
      return reply.callNotFound();
    }
    // Files that are not there (`/favicon.png`) are not pages.
    if (/\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    if (!root) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  };
  fastify.get('/', page);
  fastify.get('/*', page);
}
