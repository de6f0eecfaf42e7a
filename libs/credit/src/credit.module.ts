import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { CreditService } from './credit.service';
import { CreditEvent } from './entities/credit-event.entity';
import { MarketCreditEventsService } from './market-credit-events.service';
import { MilestoneCreditEventsService } from './milestone-credit-events.service';

/** Credit records (信用档案) of organizations and brokers, fed on the `credit` queue by registration decisions, upheld objections, annulled deals and milestones kept or missed. */
@Module({
  imports: [TypeOrmModule.forFeature([CreditEvent]), IdentityModule],
  providers: [CreditService, MarketCreditEventsService, MilestoneCreditEventsService],
  exports: [CreditService],
})
export class CreditModule {}
