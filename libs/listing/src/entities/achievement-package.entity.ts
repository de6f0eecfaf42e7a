import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Listing } from './listing.entity';
import type { TechnicalField } from '../domain/vocabulary';

/** An achievement package (科技成果包): a named, dated set of listings an admin publishes for an industry. */
@Entity({ name: 'achievement_package' })
@Index('achievement_package_issued_idx', ['issuedOn'])
export class AchievementPackage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'technical_field', type: 'text' })
  technicalField: TechnicalField;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The date the package is issued under (发布日期). */
  @Column({ name: 'issued_on', type: 'date' })
  issuedOn: string;

  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'achievement_package_item' })
export class AchievementPackageItem {
  @PrimaryColumn({ name: 'package_id', type: 'uuid' })
  packageId: string;

  @PrimaryColumn({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => AchievementPackage)
  @JoinColumn({ name: 'package_id', foreignKeyConstraintName: 'achievement_package_item_package_fk' })
  package?: AchievementPackage;

  @ManyToOne(() => Listing)
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'achievement_package_item_listing_fk' })
  listing?: Listing;

  @Column({ type: 'int' })
  position: number;
}
