import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@market/audit';
import { CountiesService } from './counties.service';
import { CountyReportPdf } from './county-report-pdf.service';
import { DemonstrationCounty } from './entities/demonstration-county.entity';
import { StatsContract } from './entities/stats-contract.entity';
import { StatsDaily, StatsEvent, StatsMonthly } from './entities/stats-rollup.entity';
import { StatsLedger } from './stats-ledger.service';
import { StatsQueryService } from './stats-query.service';

export const STATS_ENTITIES = [StatsContract, StatsDaily, StatsMonthly, StatsEvent, DemonstrationCounty];

/** Market statistics, fed by the contract context's events on the `stats` queue. Controllers are registered by the api app. */
@Module({
  imports: [TypeOrmModule.forFeature(STATS_ENTITIES), AuditModule],
  providers: [StatsLedger, StatsQueryService, CountiesService, CountyReportPdf],
  exports: [StatsLedger, StatsQueryService, CountiesService, CountyReportPdf],
})
export class StatsModule {}
