import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { fenTransformer } from '@market/database';

/** A buyer's one sealed bid, revisable until the close and shown to nobody before it. */
@Entity({ name: 'sealed_bid' })
export class SealedBid {
  @PrimaryColumn({ name: 'auction_id', type: 'uuid' })
  auctionId: string;

  @PrimaryColumn({ name: 'bidder_organization_id', type: 'uuid' })
  bidderOrganizationId: string;

  @Column({ name: 'bidder_user_id', type: 'uuid' })
  bidderUserId: string;

  @Column({ name: 'amount_fen', type: 'bigint', transformer: fenTransformer })
  amountFen: number;

  /** Revisions count; ties on amount go to the bid placed first. */
  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'first_placed_at', type: 'timestamptz' })
  firstPlacedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
