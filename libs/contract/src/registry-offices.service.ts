import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, Not } from 'typeorm';
import { AuditLog } from '@market/audit';
import { Actor, OrganizationKind, OrganizationsService } from '@market/identity';
import { ContractErrors } from './contract.errors';
import { RegistryOfficeInput, RegistryOfficeView } from './dto/registration.dto';
import { RegistryOffice, RegistryOfficeRegion } from './entities/registry-office.entity';

/** Admins make a registry organization an office: its registration point and the regions it covers. */
@Injectable()
export class RegistryOfficesService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditLog,
  ) {}

  async configure(admin: Actor, input: RegistryOfficeInput): Promise<RegistryOfficeView> {
    const tx = this.txHost.tx;
    const organization = await this.organizations.get(input.organizationId);
    if (organization.kind !== OrganizationKind.Registry) throw ContractErrors.notAnOffice(organization.id);
    const taken = await tx.getRepository(RegistryOfficeRegion).findOne({
      where: { regionCode: In(input.regionCodes), organizationId: Not(organization.id) },
    });
    if (taken) throw ContractErrors.regionTaken(taken.regionCode, taken.organizationId);
    await tx.getRepository(RegistryOffice).save({
      organizationId: organization.id,
      regionCode: organization.regionCode,
      registrationPoint: input.registrationPoint,
    });
    await tx.getRepository(RegistryOfficeRegion).delete({ organizationId: organization.id });
    if (input.regionCodes.length > 0) {
      await tx
        .getRepository(RegistryOfficeRegion)
        .insert(input.regionCodes.map((regionCode) => ({ regionCode, organizationId: organization.id })));
    }
    await this.audit.append(`organization:${organization.id}`, {
      actorId: admin.userId,
      action: 'registry_office.configured',
      detail: { registrationPoint: input.registrationPoint, regionCodes: input.regionCodes },
    });
    return {
      organizationId: organization.id,
      name: organization.name,
      regionCode: organization.regionCode,
      registrationPoint: input.registrationPoint,
      regionCodes: input.regionCodes,
    };
  }

  async list(): Promise<RegistryOfficeView[]> {
    const tx = this.txHost.tx;
    // One after the other: inside a transaction they share one connection.
    const offices = await tx.getRepository(RegistryOffice).find({ order: { organizationId: 'ASC' } });
    const regions = await tx.getRepository(RegistryOfficeRegion).find({ order: { regionCode: 'ASC' } });
    const organizations = await this.organizations.getMany(offices.map((office) => office.organizationId));
    return offices.map((office) => ({
      organizationId: office.organizationId,
      name: organizations.get(office.organizationId)!.name,
      regionCode: office.regionCode,
      registrationPoint: office.registrationPoint,
      regionCodes: regions.filter((r) => r.organizationId === office.organizationId).map((r) => r.regionCode),
    }));
  }
}
