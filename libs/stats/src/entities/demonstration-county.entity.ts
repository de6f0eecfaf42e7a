import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface FeaturedIndustry {
  /** 特色产业, as the county's construction plan names it. */
  name: string;
  /** The technical field its contracts are counted in, if one fits. */
  technicalField: string | null;
}

/**
 * A demonstration county (科技成果转移转化示范县) as an admin designated it: its county code, its
 * three-year construction period (the county guideline: 示范县的建设期为三年) and its featured industries.
 */
@Entity({ name: 'demonstration_county' })
export class DemonstrationCounty {
  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  name: string;

  /** The first year of construction; the period runs to the end of the second year after it. */
  @Column({ name: 'construction_start_year', type: 'int' })
  constructionStartYear: number;

  @Column({ name: 'featured_industries', type: 'jsonb' })
  featuredIndustries: FeaturedIndustry[];

  @Column({ name: 'designated_by', type: 'uuid' })
  designatedBy: string;

  @CreateDateColumn({ name: 'designated_at', type: 'timestamptz' })
  designatedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
