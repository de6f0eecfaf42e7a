import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { OrganizationRelationRecord } from './entities/organization-relation.entity';
import { RelationsService } from './relations.service';

/** False-contract detection: the rules (domain/), the relations table, screening. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationRelationRecord]), IdentityModule],
  providers: [RelationsService],
  exports: [RelationsService],
})
export class RiskModule {}
