import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { API_APP_OPTIONS, setApiPrefix } from './api-app';
import { ApiModule } from './api.module';
import { buildOpenApiDocument } from './openapi';

/**
 * Writes the api's OpenAPI document (what `/docs-json` serves) to the file named by the first
 * argument, or to stdout. The app is built in preview mode: modules and routes are scanned, no
 * provider is instantiated, so neither a database nor Redis nor any setting is needed.
 */
async function main(): Promise<void> {
  // A bare adapter: the market's reads the settings, and routes do not depend on it.
  const app = await NestFactory.create(ApiModule, new FastifyAdapter(), {
    ...API_APP_OPTIONS,
    preview: true,
    abortOnError: false,
  });
  setApiPrefix(app);
  const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  const target = process.argv[2];
  if (target) writeFileSync(target, json);
  else process.stdout.write(json);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
