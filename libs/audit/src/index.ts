export * from './audit-entry.entity';
export * from './audit-log.service';
export * from './audit.dto';
export * from './audit.module';
export * from './domain/audit-chain';
