export * from './logging.module';
export * from './market-logger';
export * from './root-logger';
