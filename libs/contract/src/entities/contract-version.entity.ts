import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ContractContent } from '../domain/contract-content';

/**
 * One version of a contract's content. Editing a draft changes its current version in place
 * until someone signs; after that a change is an amendment, a new version both sides sign again,
 * and the old one is kept as it was signed.
 */
@Entity({ name: 'contract_version' })
export class ContractVersion {
  @PrimaryColumn({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  content: ContractContent;

  /** SHA-256 of the canonical content, set at the first signature: from then on the content is frozen. */
  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash: string | null;

  @Column({ name: 'seller_signed_by', type: 'uuid', nullable: true })
  sellerSignedBy: string | null;

  @Column({ name: 'seller_signed_at', type: 'timestamptz', nullable: true })
  sellerSignedAt: Date | null;

  @Column({ name: 'buyer_signed_by', type: 'uuid', nullable: true })
  buyerSignedBy: string | null;

  @Column({ name: 'buyer_signed_at', type: 'timestamptz', nullable: true })
  buyerSignedAt: Date | null;

  /** Why this version was made (an amendment's reason); null for the first. */
  @Column({ name: 'amendment_reason', type: 'text', nullable: true })
  amendmentReason: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
