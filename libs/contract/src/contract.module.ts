import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@market/audit';
import { IdentityModule } from '@market/identity';
import { ListingModule } from '@market/listing';
import { RiskModule } from '@market/risk';
import { PaymentsModule } from '@market/payments';
import { BrokersService } from './brokers.service';
import { CertificateService } from './certificate.service';
import { ContractsService } from './contracts.service';
import { BrokerClient } from './entities/broker-client.entity';
import { ContractRegistration } from './entities/contract-registration.entity';
import { ContractEvidence, ContractMilestone } from './entities/contract-milestone.entity';
import { EvidenceStorage, PostgresEvidenceStorage } from './evidence-storage';
import { PerformanceService } from './performance.service';
import { Contract } from './entities/contract.entity';
import { ContractTermination } from './entities/contract-termination.entity';
import { ContractVersion } from './entities/contract-version.entity';
import { RegistryOffice, RegistryOfficeRegion } from './entities/registry-office.entity';
import { RegistrationCounter, WorkingCalendarDay, WorkingCalendarYear } from './entities/working-calendar.entity';
import { RegistrationQueueCount, RegistrationQueueEntry } from './entities/registration-queue-entry.entity';
import { RegistrationQueue } from './registration-queue';
import { RegistrationService } from './registration.service';
import { TerminationService } from './termination.service';
import { RegistryOfficesService } from './registry-offices.service';
import { WorkingCalendarService } from './working-calendar.service';

export const CONTRACT_ENTITIES = [
  Contract,
  ContractVersion,
  BrokerClient,
  RegistryOffice,
  RegistryOfficeRegion,
  ContractRegistration,
  RegistrationCounter,
  WorkingCalendarYear,
  WorkingCalendarDay,
  ContractMilestone,
  ContractEvidence,
  ContractTermination,
  RegistrationQueueEntry,
  RegistrationQueueCount,
];

/** Contracts: drafting, signing, registration, performance. Controllers are registered by the api app. */
@Module({
  imports: [
    TypeOrmModule.forFeature(CONTRACT_ENTITIES),
    IdentityModule,
    ListingModule,
    AuditModule,
    RiskModule,
    PaymentsModule,
  ],
  providers: [
    ContractsService,
    BrokersService,
    RegistrationService,
    RegistrationQueue,
    RegistryOfficesService,
    WorkingCalendarService,
    CertificateService,
    PerformanceService,
    TerminationService,
    { provide: EvidenceStorage, useClass: PostgresEvidenceStorage },
  ],
  exports: [
    ContractsService,
    BrokersService,
    RegistrationService,
    RegistrationQueue,
    RegistryOfficesService,
    WorkingCalendarService,
    CertificateService,
    PerformanceService,
    TerminationService,
    EvidenceStorage,
  ],
})
export class ContractModule {}
