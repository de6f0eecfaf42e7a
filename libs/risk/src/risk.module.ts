import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreditModule } from '@market/credit';
import { IdentityModule } from '@market/identity';
import { OrganizationRelationRecord } from './entities/organization-relation.entity';
import { RiskContract } from './entities/risk-contract.entity';
import { RiskFinding } from './entities/risk-finding.entity';
import { ScreeningService } from './screening.service';
import { RelationsService } from './relations.service';

/** False-contract detection: the rules (domain/), the relations table, screening. */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrganizationRelationRecord, RiskContract, RiskFinding]),
    IdentityModule,
    CreditModule,
  ],
  providers: [RelationsService, ScreeningService],
  exports: [RelationsService, ScreeningService],
})
export class RiskModule {}
