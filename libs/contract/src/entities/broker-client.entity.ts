import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An organization has named a broker organization (a technology transfer agency) its broker: the
 * agency's brokers may then enter contracts on its behalf. Revoking ends that for new contracts.
 */
@Entity({ name: 'broker_client' })
@Index('broker_client_live_uq', ['clientOrganizationId', 'brokerOrganizationId'], {
  unique: true,
  where: 'revoked_at IS NULL',
})
@Index('broker_client_broker_idx', ['brokerOrganizationId'])
export class BrokerClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'client_organization_id', type: 'uuid' })
  clientOrganizationId: string;

  @Column({ name: 'broker_organization_id', type: 'uuid' })
  brokerOrganizationId: string;

  @Column({ name: 'granted_by', type: 'uuid' })
  grantedBy: string;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
