import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import type { ContractFacts } from '../domain/contract-facts';

export type RiskContractStatus = 'applied' | 'registered' | 'refused' | 'confirmed_false';

/**
 * The risk context's own copy of every contract applied for registration, from the contract
 * context's `registration.applied` and `registration.decided` jobs: what the rules search (parties,
 * amounts, dates, IP numbers, cells of comparables) and the screening's score. The contract tables
 * are never read.
 */
@Entity({ name: 'risk_contract' })
@Index('risk_contract_seller_idx', ['sellerOrganizationId', 'signedOn'])
@Index('risk_contract_buyer_idx', ['buyerOrganizationId', 'signedOn'])
@Index('risk_contract_ip_idx', { synchronize: false })
@Index('risk_contract_cell_idx', ['contractType', 'subKind', 'technicalField', 'signedOn'])
export class RiskContract {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'registry_office_id', type: 'uuid' })
  registryOfficeId: string;

  @Column({ type: 'text' })
  status: RiskContractStatus;

  @Column({ name: 'applied_at', type: 'timestamptz' })
  appliedAt: Date;

  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber: string | null;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @Column({ name: 'contract_type', type: 'text' })
  contractType: string;

  @Column({ name: 'sub_kind', type: 'text' })
  subKind: string;

  @Column({ name: 'technical_field', type: 'text' })
  technicalField: string;

  @Column({ name: 'signed_on', type: 'date' })
  signedOn: string;

  @Column({ name: 'total_amount_fen', type: 'bigint', transformer: fenTransformer })
  totalAmountFen: number;

  @Column({ name: 'technology_amount_fen', type: 'bigint', transformer: fenTransformer })
  technologyAmountFen: number;

  /** The IP numbers it carries, upper case: the double-sale rule looks them up (GIN index). */
  @Column({ name: 'ip_numbers', type: 'text', array: true })
  ipNumbers: string[];

  /** The facts as applied for. */
  @Column({ type: 'jsonb' })
  facts: ContractFacts;

  /** The score of the latest screening; null until screened. */
  @Column({ type: 'int', nullable: true })
  score: number | null;

  @Column({ type: 'boolean', nullable: true })
  flagged: boolean | null;

  @Column({ name: 'screened_at', type: 'timestamptz', nullable: true })
  screenedAt: Date | null;
}
