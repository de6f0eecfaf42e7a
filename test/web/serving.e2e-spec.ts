import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { API_APP_OPTIONS } from '../../apps/api/src/api-app';
import { findWebRoot, serveWebApp } from '../../apps/api/src/ops/web-app';
import { Module } from '@nestjs/common';
import { Api, http, startApi } from '../support/market';
import { createTestEnvironment, TestEnvironment } from '../support/test-env';

/** The api serves the built pages at `/`, and keeps its own paths. */
describe('web pages served by the api', () => {
  let env: TestEnvironment;
  let api: Api;

  beforeAll(async () => {
    env = await createTestEnvironment();
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  it('serves the app at / and at every page address, not at the api’s paths', async () => {
    expect(findWebRoot()).toBeDefined();
    const home = await request(api.getHttpServer()).get('/').expect(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.text).toContain('<div id="root">');
    expect(home.headers['cache-control']).toBe('no-cache');

    // A page's own address (opened directly, or reloaded) answers the same document.
    const room = await request(api.getHttpServer()).get('/auctions/0b8a2a52-7d0a-4c36-8d0e-3a36b1e1a9f1').expect(200);
    expect(room.text).toBe(home.text);
    await request(api.getHttpServer()).get('/search?q=%E9%94%82').expect(200);

    // The api's paths keep their answers: an unknown api route is a problem, not the page.
    const missing = await request(api.getHttpServer()).get('/api/v1/no-such-thing').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http(api).get('/api/v1/health').expect(200);
    const docs = await request(api.getHttpServer()).get('/docs-json').expect(200);
    expect(docs.body.openapi).toMatch(/^3\./);
    await request(api.getHttpServer()).get('/metrics').expect(200);
    // A file that is not there is not a page.
    await request(api.getHttpServer()).get('/favicon.png').expect(404);
  });

  it('serves hashed assets compressed and cached for a year', async () => {
    const home = await request(api.getHttpServer()).get('/').expect(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(home.text)?.[1];
    expect(script).toBeDefined();
    const gzipped = await request(api.getHttpServer())
      .get(script!)
      .set('accept-encoding', 'gzip')
      .buffer(true)
      .expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gzipped.headers['content-type']).toMatch(/javascript/);
  });

  it('says how to build the pages when they are not built', async () => {
    @Module({})
    class Empty {}
    const bare = await NestFactory.create<NestFastifyApplication>(Empty, new FastifyAdapter(), API_APP_OPTIONS);
    const unbuilt = mkdtempSync(join(tmpdir(), 'no-web-'));
    await serveWebApp(bare, findWebRoot([unbuilt]));
    await bare.init();
    await bare.getHttpAdapter().getInstance().ready();
    try {
      const note = await request(bare.getHttpServer()).get('/').expect(200);
      expect(note.text).toContain('npm run build');
      await request(bare.getHttpServer()).get('/api/v1/anything').expect(404);
    } finally {
      await bare.close();
    }
  });
});
