import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@market/identity';
import { ListingModule } from '@market/listing';
import { BrokersService } from './brokers.service';
import { ContractsService } from './contracts.service';
import { BrokerClient } from './entities/broker-client.entity';
import { Contract } from './entities/contract.entity';
import { ContractVersion } from './entities/contract-version.entity';

/** Contracts: drafting, signing, registration, performance. Controllers are registered by the api app. */
@Module({
  imports: [TypeOrmModule.forFeature([Contract, ContractVersion, BrokerClient]), IdentityModule, ListingModule],
  providers: [ContractsService, BrokersService],
  exports: [ContractsService, BrokersService],
})
export class ContractModule {}
