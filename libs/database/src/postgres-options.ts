import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** The connection settings shared by the app, the migration CLI and the tests. */
export function postgresOptions(url: string, poolSize = 10): DataSourceOptions & { type: 'postgres' } {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: poolSize },
  };
}
