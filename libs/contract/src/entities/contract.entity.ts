import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import { ContractStatus } from '../domain/contract-state';

export type ContractSource = 'listed' | 'auction' | 'negotiation' | 'broker';

/**
 * A technology contract (技术合同). Its content lives in its versions; this row holds what the
 * market finds contracts by (parties, broker, office, status) and which version is current.
 */
@Entity({ name: 'contract' })
@Index('contract_seller_idx', ['sellerOrganizationId'])
@Index('contract_buyer_idx', ['buyerOrganizationId'])
@Index('contract_broker_idx', ['brokerOrganizationId'])
@Index('contract_trade_uq', ['tradeId'], { unique: true })
export class Contract {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The deal it was drafted from (unique: one draft per trade, however often it is announced). */
  @Column({ name: 'trade_id', type: 'uuid', nullable: true })
  tradeId: string | null;

  @Column({ type: 'text' })
  source: ContractSource;

  @Column({ name: 'listing_id', type: 'uuid', nullable: true })
  listingId: string | null;

  @Column({ type: 'text', default: ContractStatus.Draft })
  status: ContractStatus;

  /** The version in force (or being drafted). */
  @Column({ name: 'current_version', type: 'int', default: 1 })
  currentVersion: number;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @Column({ name: 'broker_organization_id', type: 'uuid', nullable: true })
  brokerOrganizationId: string | null;

  /** The registry office in charge, from the seller side's application on. */
  @Column({ name: 'registry_office_id', type: 'uuid', nullable: true })
  registryOfficeId: string | null;

  @Column({ name: 'project_name', type: 'text' })
  projectName: string;

  @Column({ name: 'total_amount_fen', type: 'bigint', transformer: fenTransformer })
  totalAmountFen: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
