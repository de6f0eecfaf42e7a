import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: stop taking jobs, finish the ones in hand, then exit.
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log('worker ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.message.startsWith('Invalid configuration') ? error.message : error);
  process.exit(1);
});
