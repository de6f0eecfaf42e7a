import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { OrganizationKind } from '../domain/role';

@Entity({ name: 'organization' })
@Unique('organization_uscc_uq', ['uscc'])
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Unified social credit code, validated against GB 32100-2015. */
  @Column({ type: 'char', length: 18 })
  uscc: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  /** 法定代表人, as on the business licence: the related-parties rule compares it. */
  @Column({ name: 'legal_representative', type: 'text', nullable: true })
  legalRepresentative: string | null;

  /** 注册地址 (住所), as on the business licence. */
  @Column({ name: 'registered_address', type: 'text', nullable: true })
  registeredAddress: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
