import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { NotFoundError } from '@market/http';
import { JobName, Outbox } from '@market/queue';
import type { Actor } from './auth/actor';
import {
  OrganizationAdminView,
  OrganizationInput,
  OrganizationPage,
  OrganizationQuery,
  OrganizationRegistryInput,
  OrganizationView,
} from './dto/identity.dto';
import { Organization } from './entities/organization.entity';
import { User } from './entities/user.entity';
import { IdentityErrors } from './identity.errors';

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  private get repository() {
    return this.txHost.tx.getRepository(Organization);
  }

  async create(input: OrganizationInput): Promise<Organization> {
    if (await this.repository.existsBy({ uscc: input.uscc })) throw IdentityErrors.organizationExists(input.uscc);
    return this.repository.save(
      this.repository.create({
        ...input,
        legalRepresentative: input.legalRepresentative?.trim() ?? null,
        registeredAddress: input.registeredAddress?.trim() ?? null,
        verifiedAt: null,
        verifiedBy: null,
      }),
    );
  }

  async get(id: string): Promise<Organization> {
    const organization = await this.repository.findOneBy({ id });
    if (!organization) throw new NotFoundError('organization', id);
    return organization;
  }

  /** Several organizations in one query, by id; like `get`, a missing one is a not-found. */
  async getMany(ids: readonly string[]): Promise<Map<string, Organization>> {
    const unique = [...new Set(ids)];
    const rows = unique.length > 0 ? await this.repository.findBy({ id: In(unique) }) : [];
    const byId = new Map(rows.map((organization) => [organization.id, organization]));
    const missing = unique.find((id) => !byId.has(id));
    if (missing) throw new NotFoundError('organization', missing);
    return byId;
  }

  /** An admin records the legal representative and registered address from the business licence. */
  async updateRegistry(id: string, input: OrganizationRegistryInput): Promise<OrganizationView> {
    return this.txHost.withTransaction(async () => {
      const organization = await this.repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!organization) throw new NotFoundError('organization', id);
      if (input.legalRepresentative !== undefined) organization.legalRepresentative = input.legalRepresentative.trim();
      if (input.registeredAddress !== undefined) organization.registeredAddress = input.registeredAddress.trim();
      return OrganizationsService.toView(await this.repository.save(organization));
    });
  }

  /**
   * Organizations for the admins: those awaiting verification the longest waiting first (the order
   * they are worked through), the verified newest verified first, all newest registered first; each
   * with its member count and its first account, the contact who registered it.
   */
  async list(query: OrganizationQuery): Promise<OrganizationPage> {
    const where = query.verified === undefined ? {} : { verifiedAt: query.verified ? Not(IsNull()) : IsNull() };
    const order =
      query.verified === false
        ? ({ createdAt: 'ASC', id: 'ASC' } as const)
        : query.verified
          ? ({ verifiedAt: 'DESC', id: 'ASC' } as const)
          : ({ createdAt: 'DESC', id: 'ASC' } as const);
    const [organizations, total] = await this.repository.findAndCount({
      where,
      order,
      take: query.limit,
      skip: query.offset,
    });
    const ids = organizations.map((o) => o.id);
    const members =
      ids.length === 0
        ? []
        : await this.txHost.tx
            .getRepository(User)
            .find({ where: { organizationId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const items = organizations.map((organization): OrganizationAdminView => {
      const own = members.filter((m) => m.organizationId === organization.id);
      const first = own[0];
      return {
        ...OrganizationsService.toView(organization),
        createdAt: organization.createdAt.toISOString(),
        memberCount: own.length,
        contact: first ? { id: first.id, email: first.email, displayName: first.displayName } : null,
      };
    });
    return { total, limit: query.limit, offset: query.offset, items };
  }

  async isVerified(id: string): Promise<boolean> {
    return (await this.get(id)).verifiedAt !== null;
  }

  /**
   * An admin confirms the organization is who it says it is. The change and the
   * `organization.verified` job commit together; the job notifies the members.
   */
  async verify(id: string, admin: Actor): Promise<OrganizationView> {
    return this.txHost.withTransaction(async () => {
      const organization = await this.repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!organization) throw new NotFoundError('organization', id);
      if (organization.verifiedAt) throw IdentityErrors.alreadyVerified(id);
      organization.verifiedAt = this.clock.now();
      organization.verifiedBy = admin.userId;
      await this.repository.save(organization);
      await this.audit.append(`organization:${id}`, { actorId: admin.userId, action: 'organization.verified' });
      await this.outbox.add(JobName.OrganizationVerified, {
        organizationId: id,
        verifiedAt: organization.verifiedAt.toISOString(),
      });
      return OrganizationsService.toView(organization);
    });
  }

  static toView(organization: Organization): OrganizationView {
    return {
      id: organization.id,
      name: organization.name,
      uscc: organization.uscc,
      regionCode: organization.regionCode,
      kind: organization.kind,
      legalRepresentative: organization.legalRepresentative ?? null,
      registeredAddress: organization.registeredAddress ?? null,
      verified: organization.verifiedAt !== null,
      verifiedAt: organization.verifiedAt?.toISOString() ?? null,
    };
  }
}
