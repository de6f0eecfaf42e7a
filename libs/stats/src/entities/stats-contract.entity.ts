import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RegisteredContractFacts } from '@market/queue';

/**
 * The statistics context's own copy of a registered contract, from the contract context's events:
 * what it counts in the rollups now (so a change or a cancellation takes back exactly what was
 * added), and what the county reports list. A cancellation that arrives before its registration
 * leaves a row that counts nothing, so the late registration adds nothing either.
 */
@Entity({ name: 'stats_contract' })
@Index('stats_contract_seller_region_idx', ['sellerRegionCode', 'registeredOn'])
@Index('stats_contract_buyer_region_idx', ['buyerRegionCode', 'registeredOn'])
export class StatsContract {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  /** Whether the contract counts: false once its registration is cancelled (注销登记). */
  @Column({ type: 'boolean' })
  counted: boolean;

  /** The contract version the figures come from (a change registration registers a later one). */
  @Column({ type: 'int', default: 0 })
  version: number;

  /** The registration day (Asia/Shanghai); null for a cancellation heard before its registration. */
  @Column({ name: 'registered_on', type: 'date', nullable: true })
  registeredOn: string | null;

  @Column({ name: 'seller_region_code', type: 'char', length: 6, nullable: true })
  sellerRegionCode: string | null;

  @Column({ name: 'buyer_region_code', type: 'char', length: 6, nullable: true })
  buyerRegionCode: string | null;

  @Column({ type: 'jsonb', nullable: true })
  facts: RegisteredContractFacts | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
