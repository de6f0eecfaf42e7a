export * from './app-config.service';
export * from './config.module';
export * from './env.schema';
export * from './contract.env';
export * from './risk.env';
