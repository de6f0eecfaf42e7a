import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { AuctionModule, AuctionsController, BidsController } from '@market/auction';
import { ClockModule } from '@market/clock';
import { ListingModule, ListingsController, PackagesController } from '@market/listing';
import { AppConfig, AppConfigModule } from '@market/config';
import { DatabaseModule } from '@market/database';
import { IdempotencyCoverage } from '@market/http';
import {
  AuthController,
  IdentityModule,
  JwtAuthGuard,
  MeController,
  OrganizationsController,
  RolesGuard,
} from '@market/identity';
import { LoggingModule } from '@market/logging';
import { NotificationModule, NotificationsController } from '@market/notification';
import { DepositsController, PaymentsModule, StripeWebhookController } from '@market/payments';
import { QueueModule } from '@market/queue';
import { HealthController } from './ops/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { QueueDashboardModule, QueueDashboardQueues, QueueDashboardSessionController } from './ops/queue-dashboard';
import { RedisHealthIndicator } from './ops/redis.health';

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
    NotificationModule,
    PaymentsModule,
    TerminusModule,
    DiscoveryModule,
    PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.auth.loginRateLimitPerMinute }],
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
    DepositsController,
    StripeWebhookController,
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
