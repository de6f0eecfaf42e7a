export * from './domain-error';
export * from './idempotency-coverage';
export * from './idempotency-key.entity';
export * from './idempotency.interceptor';
export * from './paging';
export * from './problem-details.filter';
export * from './validation';
