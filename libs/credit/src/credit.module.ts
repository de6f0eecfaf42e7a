import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { CreditService } from './credit.service';
import { CreditEvent } from './entities/credit-event.entity';
import { MarketCreditEventsService } from './market-credit-events.service';

/** Credit records (信用档案) of organizations and brokers, fed on the `credit` queue by registration decisions, upheld objections and annulled deals. */
@Module({
  imports: [TypeOrmModule.forFeature([CreditEvent]), IdentityModule],
  providers: [CreditService, MarketCreditEventsService],
  exports: [CreditService],
})
export class CreditModule {}
