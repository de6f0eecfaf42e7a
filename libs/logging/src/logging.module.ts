import { Global, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import type { Logger } from 'pino';
import { AppConfig } from '@market/config';
import { MarketLogger } from './market-logger';
import { requestLogging } from './request-logging';
import { createRootLogger, logFormatFor } from './root-logger';

export const REQUEST_ID_HEADER = 'x-request-id';
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Logs through pino: JSON lines, or readable lines when standard output is a terminal. The app
 * uses `MarketLogger` as Nest's logger (`app.useLogger(app.get(MarketLogger))`); in the api every
 * request is logged once, at its end, and lines logged while serving it carry its id.
 */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRootLogger(config.logLevel, logFormatFor(process.stdout)),
    },
    { provide: MarketLogger, inject: [ROOT_LOGGER], useFactory: (root: Logger) => new MarketLogger(root) },
  ],
  exports: [ROOT_LOGGER, MarketLogger],
})
export class LoggingModule implements NestModule {
  constructor(
    private readonly appConfig: ApplicationConfig,
    @Inject(ROOT_LOGGER) private readonly root: Logger,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    // `{/*path}` (no leading slash) matches the global prefix itself as well as everything below
    // it; paths served outside the prefix (metrics, the queue dashboard) are added back by name.
    const excluded = (this.appConfig.getGlobalPrefixOptions().exclude ?? []).map(({ path, requestMethod }) => ({
      path,
      method: requestMethod,
    }));
    consumer.apply(requestLogging(this.root)).forRoutes({ path: '{/*path}', method: RequestMethod.ALL }, ...excluded);
  }
}
