import { Module } from '@nestjs/common';
import { AuctionModule } from '@market/auction';
import { ClockModule } from '@market/clock';
import { ContractModule } from '@market/contract';
import { ListingModule } from '@market/listing';
import { AppConfigModule } from '@market/config';
import { DatabaseModule } from '@market/database';
import { IdentityModule } from '@market/identity';
import { LoggingModule } from '@market/logging';
import { NegotiationModule } from '@market/negotiation';
import { NotificationModule } from '@market/notification';
import { QueueConsumerModule, QueueModule } from '@market/queue';
import { RiskModule } from '@market/risk';
import { CreditModule } from '@market/credit';
import { StatsModule } from '@market/stats';

/** The worker: relays the outbox and runs every job handler. Processors are registered only here. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    QueueConsumerModule,
    IdentityModule,
    ClockModule,
    ListingModule,
    AuctionModule,
    NegotiationModule,
    NotificationModule,
    ContractModule,
    RiskModule,
    CreditModule,
    StatsModule,
  ],
})
export class WorkerModule {}
