import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { AppConfig } from '@market/config';
import { withoutClsEnhancers } from './cls-without-enhancers';
import { postgresOptions } from './postgres-options';

/**
 * PostgreSQL through TypeORM, and the request- or job-scoped transaction that repositories
 * follow: a service asks `TransactionHost.tx` for its manager and joins whatever transaction
 * the endpoint or job boundary opened. Schema changes only through migrations.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...postgresOptions(config.database.url, config.database.poolSize),
        autoLoadEntities: true,
      }),
    }),
    withoutClsEnhancers(
      ClsModule.forRoot({
        global: true,
        // No context per request: a transaction opens its own (withTransaction), and a read outside
        // one uses the pool directly. Mounting it would cost every request a middleware round.
        middleware: { mount: false },
        plugins: [
          new ClsPluginTransactional({
            imports: [TypeOrmModule],
            adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
          }),
        ],
      }),
    ),
  ],
})
export class DatabaseModule {}
