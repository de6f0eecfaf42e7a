import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { AuctionModule, AuctionsController, BidsController } from '@market/auction';
import { AuditModule } from '@market/audit';
import { ClockModule } from '@market/clock';
import {
  BrokerRelationshipsController,
  ContractModule,
  ContractsController,
  RegistrationsController,
  RegistryOfficesController,
  TerminationsController,
  WorkingCalendarController,
} from '@market/contract';
import { ListingModule, ListingsController, PackagesController } from '@market/listing';
import { AppConfig, AppConfigModule } from '@market/config';
import { DatabaseModule } from '@market/database';
import { IdempotencyCoverage, RedisThrottlerStorage } from '@market/http';
import {
  AuthController,
  IdentityModule,
  JwtAuthGuard,
  MeController,
  OrganizationsController,
  RateLimit,
  RolesGuard,
} from '@market/identity';
import { LoggingModule } from '@market/logging';
import { NegotiationModule, NegotiationsController, PriceAnnouncementsController } from '@market/negotiation';
import { NotificationModule, NotificationsController } from '@market/notification';
import {
  DepositsController,
  PaymentMethodsController,
  PaymentsModule,
  StripeWebhookController,
} from '@market/payments';
import { QueueModule } from '@market/queue';
import { RelationsController, RiskController, RiskModule } from '@market/risk';
import { CreditController, CreditModule } from '@market/credit';
import { CountiesController, StatsController, StatsModule } from '@market/stats';
import { AuditController } from './ops/audit.controller';
import { MarketFiguresController } from './figures/market-figures.controller';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { QueueDashboardModule, QueueDashboardQueues, QueueDashboardSessionController } from './ops/queue-dashboard';
import { RedisHealthIndicator } from './ops/redis.health';

/** The rate limits' counters, shared by every api process through Redis. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class RateLimitStorageModule {}

/** The HTTP API: every controller of every context is registered here, and only here. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    IdentityModule,
    ClockModule,
    ListingModule,
    AuctionModule,
    NegotiationModule,
    NotificationModule,
    PaymentsModule,
    ContractModule,
    RiskModule,
    CreditModule,
    StatsModule,
    AuditModule,
    TerminusModule,
    DiscoveryModule,
    PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } }),
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        // Routes name the limit they take (@Throttled); counted per client address, in Redis.
        throttlers: [
          { name: RateLimit.Login, ttl: 60_000, limit: config.auth.loginRateLimitPerMinute },
          { name: RateLimit.Registration, ttl: 3_600_000, limit: config.auth.registrationRateLimitPerHour },
        ],
        storage,
      }),
    }),
    QueueDashboardModule,
    QueueDashboardQueues,
  ],
  controllers: [
    AuthController,
    MeController,
    OrganizationsController,
    NotificationsController,
    ListingsController,
    PackagesController,
    AuctionsController,
    BidsController,
    NegotiationsController,
    PriceAnnouncementsController,
    DepositsController,
    PaymentMethodsController,
    StripeWebhookController,
    ContractsController,
    TerminationsController,
    BrokerRelationshipsController,
    RelationsController,
    RegistrationsController,
    RegistryOfficesController,
    WorkingCalendarController,
    StatsController,
    CountiesController,
    AuditController,
    RiskController,
    CreditController,
    MarketFiguresController,
    HealthController,
    QueueDashboardSessionController,
  ],
  providers: [
    RedisHealthIndicator,
    // Order matters: authenticate, then check roles.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    // Idempotency-Key is honoured per controller (@IdempotentPosts); this checks none is missed.
    IdempotencyCoverage,
  ],
})
export class ApiModule {}
