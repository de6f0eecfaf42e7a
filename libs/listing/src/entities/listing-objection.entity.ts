import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ObjectionStatus } from '../domain/objection-state';
import { Listing } from './listing.entity';

export { ObjectionStatus, OPEN_OBJECTION_STATUSES } from '../domain/objection-state';

/** An objection (异议) filed during the announcement: it pauses the announcement until ruled on. */
@Entity({ name: 'listing_objection' })
@Index('listing_objection_listing_idx', ['listingId'])
export class ListingObjection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'listing_objection_listing_fk' })
  listing?: Listing;

  @Column({ name: 'objector_organization_id', type: 'uuid' })
  objectorOrganizationId: string;

  @Column({ name: 'objector_user_id', type: 'uuid' })
  objectorUserId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', default: ObjectionStatus.AwaitingAnswer })
  status: ObjectionStatus;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'ruling_reason', type: 'text', nullable: true })
  rulingReason: string | null;

  @Column({ name: 'ruled_by', type: 'uuid', nullable: true })
  ruledBy: string | null;

  @Column({ name: 'ruled_at', type: 'timestamptz', nullable: true })
  ruledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
