import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { IpKind, IpLegalStatus } from '../domain/ip-item';
import { ListingStatus } from '../domain/listing-state';
import type { Maturity, PricingMode, TechnicalField, TransferMode } from '../domain/vocabulary';
import { fenTransformer } from '@market/database';

export interface IpItem {
  kind: IpKind;
  number: string | null;
  legalStatus: IpLegalStatus;
  /** 申请日 (YYYY-MM-DD); absent on items entered before it was asked for, null when not given. */
  filingDate?: string | null;
}

/** A technology achievement offered on the market (科技成果挂牌). */
@Entity({ name: 'listing' })
@Index('listing_public_newest_idx', ['status', 'approvedAt'])
@Index('listing_organization_idx', ['organizationId'])
// GIN indexes TypeORM cannot describe: created by hand in the migrations, left alone by the diff.
@Index('listing_ip_kinds_idx', { synchronize: false })
export class Listing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The seller's organization. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The seller's name as it was when the listing was created (for display without a join). */
  @Column({ name: 'seller_name', type: 'text' })
  sellerName: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ name: 'technical_field', type: 'text' })
  technicalField: TechnicalField;

  @Column({ type: 'text' })
  maturity: Maturity;

  @Column({ name: 'ip_items', type: 'jsonb' })
  ipItems: IpItem[];

  @Column({ name: 'ip_kinds', type: 'text', array: true })
  ipKinds: IpKind[];

  @Column({ name: 'transfer_modes', type: 'text', array: true })
  transferModes: TransferMode[];

  @Column({ name: 'pricing_mode', type: 'text' })
  pricingMode: PricingMode;

  @Column({ name: 'asking_price_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  askingPriceFen: number | null;

  /** The seller's region (6-digit division code), for the region filter and statistics. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'text', default: ListingStatus.Draft })
  status: ListingStatus;

  /** Seller-only: never shown to other organizations. */
  @Column({ name: 'internal_note', type: 'text', nullable: true })
  internalNote: string | null;

  /** Lower-cased title, summary and IP numbers: the text a search term must be a substring of. */
  @Column({ name: 'search_text', type: 'text', select: false })
  searchText: string;

  /** Tokens of the search text (see domain/search-text.ts); copied to `listing_search` for its GIN index. */
  @Column({ name: 'search_tokens', type: 'text', array: true, select: false })
  searchTokens: string[];

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /** Approval starts the announcement: the moment the listing became public. */
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'announcement_ends_at', type: 'timestamptz', nullable: true })
  announcementEndsAt: Date | null;

  /** Set while an objection is open: the announcement clock is stopped. */
  @Column({ name: 'announcement_paused_at', type: 'timestamptz', nullable: true })
  announcementPausedAt: Date | null;

  /** Time the announcement had left when it was paused. */
  @Column({ name: 'announcement_remaining_ms', type: 'bigint', nullable: true, transformer: fenTransformer })
  announcementRemainingMs: number | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt: Date | null;

  /** For listed-price listings: when intents close and are resolved. */
  @Column({ name: 'listing_period_ends_at', type: 'timestamptz', nullable: true })
  listingPeriodEndsAt: Date | null;

  /** Why an admin sent a submission back to draft. */
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /**
   * The listing's latest auction, recorded by the auction context when it schedules one (the
   * listing never reads the auction's tables, nor imports its library), so a listing names its auction.
   */
  @Column({ name: 'auction_id', type: 'uuid', nullable: true })
  auctionId: string | null;

  /** True from the auction's scheduling until it is settled or failed: the listing cannot be withdrawn meanwhile. */
  @Column({ name: 'auction_live', type: 'boolean', default: false })
  auctionLive: boolean;

  /**
   * How many negotiations (协议定价) are open on the listing: the one thing the public learns of
   * them. Kept by the negotiation context through `ListingsService.countOpenNegotiations`, as the
   * auction context records its auction, so the listing never reads another context's tables.
   */
  @Column({ name: 'open_negotiations', type: 'int', default: 0 })
  openNegotiations: number;

  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
