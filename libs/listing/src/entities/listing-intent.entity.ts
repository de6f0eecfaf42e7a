import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Listing } from './listing.entity';
import { fenTransformer } from '@market/database';

/** A buyer's intent (意向) to take a listed-price listing at its asking price. One per organization. */
@Entity({ name: 'listing_intent' })
@Unique('listing_intent_buyer_uq', ['listingId', 'buyerOrganizationId'])
export class ListingIntent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'listing_intent_listing_fk' })
  listing?: Listing;

  @Column({ name: 'buyer_organization_id', type: 'uuid' })
  buyerOrganizationId: string;

  @Column({ name: 'buyer_user_id', type: 'uuid' })
  buyerUserId: string;

  @Column({ name: 'price_fen', type: 'bigint', transformer: fenTransformer })
  priceFen: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
