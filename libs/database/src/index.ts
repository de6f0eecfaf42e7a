export * from './database.module';
export * from './postgres-options';
export * from './run-migrations';
export * from './fen.transformer';
export * from './prepared-query';
