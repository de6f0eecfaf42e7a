import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';

const ENHANCERS: unknown[] = [APP_GUARD, APP_INTERCEPTOR];

const isEnhancer = (provider: Provider) =>
  typeof provider === 'object' && 'provide' in provider && ENHANCERS.includes(provider.provide);

const isDynamicModule = (value: unknown): value is DynamicModule =>
  typeof value === 'object' && value !== null && 'module' in value;

/**
 * `module` (ClsModule.forRoot's) without the global guard and interceptor nestjs-cls registers
 * even when neither is mounted. Unmounted they do nothing, but a route with any interceptor pays
 * for Nest's interceptor chain (observables, an async resource) on every request, and with them
 * gone, a route without interceptors of its own (bids) pays nothing.
 */
export function withoutClsEnhancers(module: DynamicModule): DynamicModule {
  return {
    ...module,
    providers: module.providers?.filter((provider) => !isEnhancer(provider)),
    imports: module.imports?.map((imported) => (isDynamicModule(imported) ? withoutClsEnhancers(imported) : imported)),
  };
}
