import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@market/database';

/**
 * Every decided bid of an English auction, accepted or refused: the audit trail, and the memory
 * of idempotency keys (a retry with the same key gets the same decision back).
 */
@Entity({ name: 'auction_bid' })
@Index('auction_bid_order_idx', ['auctionId', 'seq'])
@Index('auction_bid_key_uq', ['auctionId', 'bidderUserId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
export class AuctionBid {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'auction_id', type: 'uuid' })
  auctionId: string;

  /** Position among accepted bids (1, 2, …); null for a refused bid. */
  @Column({ type: 'int', nullable: true })
  seq: number | null;

  @Column({ name: 'bidder_organization_id', type: 'uuid' })
  bidderOrganizationId: string;

  @Column({ name: 'bidder_user_id', type: 'uuid' })
  bidderUserId: string;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fenTransformer })
  amountFen: number;

  @Column({ type: 'boolean' })
  accepted: boolean;

  @Column({ name: 'refusal_reason', type: 'text', nullable: true })
  refusalReason: string | null;

  @Column({ name: 'minimum_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  minimumFen: number | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
