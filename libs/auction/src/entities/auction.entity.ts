import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AuctionKind, AuctionStatus } from '../domain/auction-state';
import { fenTransformer } from '@market/database';

@Entity({ name: 'auction' })
@Index('auction_listing_idx', ['listingId'])
@Index('auction_status_starts_idx', ['status', 'startsAt'])
@Index('auction_live_listing_uq', ['listingId'], { unique: true, where: `status IN ('scheduled', 'open', 'closed')` })
export class Auction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @Column({ name: 'listing_title', type: 'text' })
  listingTitle: string;

  /** The listing's technical field, copied at scheduling (a listing's field is fixed once it is open), for filtering. */
  @Column({ name: 'technical_field', type: 'text', nullable: true })
  technicalField: string | null;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @Column({ type: 'text' })
  kind: AuctionKind;

  @Column({ type: 'text', default: AuctionStatus.Scheduled })
  status: AuctionStatus;

  @Column({ name: 'starting_price_fen', type: 'bigint', transformer: fenTransformer })
  startingPriceFen: number;

  /** Hidden from everyone but the seller and admins until the close. */
  @Column({ name: 'reserve_price_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  reservePriceFen: number | null;

  @Column({ name: 'increment_fen', type: 'bigint', transformer: fenTransformer })
  incrementFen: number;

  @Column({ name: 'deposit_fen', type: 'bigint', transformer: fenTransformer })
  depositFen: number;

  /** Null: any verified buyer may bid; otherwise only these organizations (from a listed trade). */
  @Column({ name: 'allowed_buyer_organization_ids', type: 'uuid', array: true, nullable: true })
  allowedBuyerOrganizationIds: string[] | null;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  /** Moves later when a bid comes in the last minutes (anti-sniping). */
  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({ name: 'current_price_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  currentPriceFen: number | null;

  @Column({ name: 'leading_bidder_organization_id', type: 'uuid', nullable: true })
  leadingBidderOrganizationId: string | null;

  @Column({ name: 'bid_count', type: 'int', default: 0 })
  bidCount: number;

  /** Sequence number of the last accepted bid: bids on one auction are totally ordered by it. */
  @Column({ name: 'last_seq', type: 'int', default: 0 })
  lastSeq: number;

  /** Raised by a trigger on every update of the row; the bid batcher writes only over the version it read. */
  @Column({ type: 'int', default: 0 })
  version: number;

  @Column({ name: 'winner_organization_id', type: 'uuid', nullable: true })
  winnerOrganizationId: string | null;

  @Column({ name: 'final_price_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  finalPriceFen: number | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
