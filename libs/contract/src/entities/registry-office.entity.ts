import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A registry office (技术合同登记机构) is an organization with auditor members; admins give it its
 * two-digit registration point within its city (positions 7–8 of the numbers it issues).
 */
@Entity({ name: 'registry_office' })
export class RegistryOffice {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** Province and city of the numbers (the office organization's region code, first four digits). */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'registration_point', type: 'char', length: 2 })
  registrationPoint: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A region code an office covers: applications from sellers of that region go to it. One office per code. */
@Entity({ name: 'registry_office_region' })
@Index('registry_office_region_office_idx', ['organizationId'])
export class RegistryOfficeRegion {
  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;
}
