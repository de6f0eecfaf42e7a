import 'reflect-metadata';
import { AppConfig } from '@market/config';
import { createApiApp } from './api-app';

async function main(): Promise<void> {
  const app = await createApiApp();
  const { host, port } = app.get(AppConfig).http;
  await app.listen(port, host);
}

main().catch((error: unknown) => {
  // A configuration error is one readable line; anything else keeps its stack.
  console.error(error instanceof Error && error.message.startsWith('Invalid configuration') ? error.message : error);
  process.exit(1);
});
