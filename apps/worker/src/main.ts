import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MarketLogger } from '@market/logging';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
  app.useLogger(app.get(MarketLogger));
  // SIGTERM/SIGINT: stop taking jobs, finish the ones in hand, then exit.
  app.enableShutdownHooks();
  await app.init();
  app.get(MarketLogger).log('worker ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.message.startsWith('Invalid configuration') ? error.message : error);
  process.exit(1);
});
