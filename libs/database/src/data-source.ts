/**
 * Entry point of the TypeORM CLI (`npm run migration:run`, `npm run migration:generate`).
 * The CLI runs outside Nest, so this is the one place that reads DATABASE_URL directly.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
// The entity list is composed with the apps, not here: the plumbing does not import every context.
import { MARKET_ENTITIES } from '../../../apps/api/src/entities';
import { postgresOptions } from './postgres-options';

const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: point it at the PostgreSQL to migrate (npm start sets one up for you)');
}

export default new DataSource({ ...postgresOptions(url, 2), entities: MARKET_ENTITIES });
