import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AgreedTerms, BrokerCommission } from '@market/queue';
import { fenTransformer } from '@market/database';
import { NegotiationStatus, Side } from '../domain/negotiation-state';

/** What an invited broker earns, as the party that invited it set it. */
export type CommissionTerms = Pick<BrokerCommission, 'rateBasisPoints' | 'fixedFen' | 'paidBy'>;

/** A negotiation (协议定价) between a buyer organization and the seller of one listing. */
@Entity({ name: 'negotiation' })
@Index('negotiation_listing_idx', ['listingId', 'status'])
@Index('negotiation_buyer_idx', ['buyerOrganizationId', 'createdAt'])
@Index('negotiation_seller_idx', ['sellerOrganizationId', 'createdAt'])
@Index('negotiation_broker_idx', ['brokerUserId'])
@Index('negotiation_live_uq', ['listingId', 'buyerOrganizationId'], {
  unique: true,
  where: `status IN ('open', 'agreed', 'announced')`,
})
@Index('negotiation_announced_idx', ['announcementStartedAt'])
export class Negotiation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  /** The achievement's name when the negotiation opened (a listing's title is fixed once it is public). */
  @Column({ name: 'listing_title', type: 'text' })
  listingTitle: string;

  @Column({ name: 'seller_organization_id', type: 'uuid' })
  sellerOrganizationId: string;

  @Column({ name: 'seller_name', type: 'text' })
  sellerName: string;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @Column({ name: 'buyer_name', type: 'text' })
  buyerName: string;

  @Column({ name: 'opened_by', type: 'uuid' })
  openedBy: string;

  @Column({ type: 'text', default: NegotiationStatus.Open })
  status: NegotiationStatus;

  /** The offer the other side must answer; null once none stands. */
  @Column({ name: 'current_offer_id', type: 'uuid', nullable: true })
  currentOfferId: string | null;

  /** Who made the standing offer: that side may not offer again before the other answers. */
  @Column({ name: 'last_offer_side', type: 'text', nullable: true })
  lastOfferSide: Side | null;

  @Column({ name: 'offer_count', type: 'int', default: 0 })
  offerCount: number;

  @Column({ name: 'broker_user_id', type: 'uuid', nullable: true })
  brokerUserId: string | null;

  @Column({ name: 'broker_organization_id', type: 'uuid', nullable: true })
  brokerOrganizationId: string | null;

  /** The party that invited the broker: its proposals are that side's, once confirmed. */
  @Column({ name: 'broker_client_side', type: 'text', nullable: true })
  brokerClientSide: Side | null;

  @Column({ name: 'broker_commission', type: 'jsonb', nullable: true })
  brokerCommission: CommissionTerms | null;

  @Column({ name: 'agreed_offer_id', type: 'uuid', nullable: true })
  agreedOfferId: string | null;

  @Column({ name: 'agreed_at', type: 'timestamptz', nullable: true })
  agreedAt: Date | null;

  @Column({ name: 'agreed_price_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  agreedPriceFen: number | null;

  /** The deal as `trade.agreed` carries it. */
  @Column({ name: 'agreed_terms', type: 'jsonb', nullable: true })
  agreedTerms: AgreedTerms | null;

  /** The price announcement (交易价格公示) of a public institution's deal. */
  @Column({ name: 'announcement_started_at', type: 'timestamptz', nullable: true })
  announcementStartedAt: Date | null;

  @Column({ name: 'announcement_ends_at', type: 'timestamptz', nullable: true })
  announcementEndsAt: Date | null;

  /** Set while an objection is open: the announcement clock is stopped. */
  @Column({ name: 'announcement_paused_at', type: 'timestamptz', nullable: true })
  announcementPausedAt: Date | null;

  @Column({ name: 'announcement_remaining_ms', type: 'bigint', nullable: true, transformer: fenTransformer })
  announcementRemainingMs: number | null;

  @Column({ name: 'final_at', type: 'timestamptz', nullable: true })
  finalAt: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'ended_reason', type: 'text', nullable: true })
  endedReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
