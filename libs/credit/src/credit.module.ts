import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { CreditService } from './credit.service';
import { CreditEvent } from './entities/credit-event.entity';

/** Credit records (信用档案) of organizations and brokers, fed by registration decisions on the `credit` queue. */
@Module({
  imports: [TypeOrmModule.forFeature([CreditEvent]), IdentityModule],
  providers: [CreditService],
  exports: [CreditService],
})
export class CreditModule {}
