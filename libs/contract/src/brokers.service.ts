import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { In, IsNull } from 'typeorm';
import { Clock } from '@market/clock';
import { AccountsService, Actor, OrganizationsService, Role } from '@market/identity';
import { ContractErrors } from './contract.errors';
import { BrokerRelationshipView } from './dto/contract.dto';
import { BrokerClient } from './entities/broker-client.entity';

/**
 * Client relationships: an organization names a broker organization (an agency with broker
 * members) its broker, and may revoke it. While it stands, the agency's brokers may enter
 * contracts with that organization as a party.
 */
@Injectable()
export class BrokersService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly organizations: OrganizationsService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
  ) {}

  private get relationships() {
    return this.txHost.tx.getRepository(BrokerClient);
  }

  async grant(actor: Actor, brokerOrganizationId: string): Promise<BrokerRelationshipView> {
    await this.organizations.get(brokerOrganizationId);
    const members = await this.accounts.listMembers(brokerOrganizationId);
    if (brokerOrganizationId === actor.organizationId || !members.some((m) => m.roles.includes(Role.Broker))) {
      throw ContractErrors.notABrokerage(brokerOrganizationId);
    }
    if (
      await this.relationships.existsBy({
        clientOrganizationId: actor.organizationId,
        brokerOrganizationId,
        revokedAt: IsNull(),
      })
    ) {
      throw ContractErrors.relationshipExists();
    }
    const row = await this.relationships.save(
      this.relationships.create({
        clientOrganizationId: actor.organizationId,
        brokerOrganizationId,
        grantedBy: actor.userId,
        revokedBy: null,
        revokedAt: null,
      }),
    );
    return toRelationshipView(row);
  }

  /** Only the client organization revokes; to anyone else the relationship does not exist. */
  async revoke(actor: Actor, id: string): Promise<BrokerRelationshipView> {
    const row = await this.relationships.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!row || row.clientOrganizationId !== actor.organizationId) throw ContractErrors.brokerRelationshipNotFound(id);
    if (row.revokedAt) throw ContractErrors.relationshipRevoked();
    row.revokedAt = this.clock.now();
    row.revokedBy = actor.userId;
    return toRelationshipView(await this.relationships.save(row));
  }

  /** The relationships the actor's organization is in, as client or as broker. */
  async mine(actor: Actor): Promise<BrokerRelationshipView[]> {
    const rows = await this.relationships.find({
      where: [{ clientOrganizationId: actor.organizationId }, { brokerOrganizationId: actor.organizationId }],
      order: { grantedAt: 'DESC' },
    });
    return rows.map(toRelationshipView);
  }

  /** Which of these organizations currently name the broker organization their broker. */
  async clientsAmong(brokerOrganizationId: string, organizationIds: string[]): Promise<string[]> {
    const rows = await this.relationships.find({
      where: { brokerOrganizationId, clientOrganizationId: In(organizationIds), revokedAt: IsNull() },
    });
    return rows.map((row) => row.clientOrganizationId);
  }
}

function toRelationshipView(row: BrokerClient): BrokerRelationshipView {
  return {
    id: row.id,
    clientOrganizationId: row.clientOrganizationId,
    brokerOrganizationId: row.brokerOrganizationId,
    grantedAt: row.grantedAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
