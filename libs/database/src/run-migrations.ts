import { DataSource } from 'typeorm';
import { postgresOptions } from './postgres-options';

/** Applies pending migrations to the database at `url`; used by the launcher, the tests and docker. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(postgresOptions(url, 1));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
