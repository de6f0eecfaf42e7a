import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { OrganizationRelationKind } from '../domain/screening-input';

/**
 * A relation between two organizations that admins record from business-registry extracts, annual
 * reports and the like (or import as CSV), for the related-parties rule. The organizations are
 * named by their unified social credit codes: a holder that is not a member of the market (the
 * parent of two sister companies) can be recorded too.
 */
@Entity({ name: 'organization_relation' })
@Unique('organization_relation_uq', ['partyAUscc', 'partyBUscc', 'kind'])
@Index('organization_relation_b_idx', ['partyBUscc'])
export class OrganizationRelationRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'party_a_uscc', type: 'char', length: 18 })
  partyAUscc: string;

  @Column({ name: 'party_a_name', type: 'text' })
  partyAName: string;

  @Column({ name: 'party_b_uscc', type: 'char', length: 18 })
  partyBUscc: string;

  @Column({ name: 'party_b_name', type: 'text' })
  partyBName: string;

  @Column({ type: 'text' })
  kind: OrganizationRelationKind;

  /** Shareholding: A holds this percentage of B. */
  @Column({
    name: 'share_percent',
    type: 'numeric',
    precision: 5,
    scale: 2,
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  sharePercent: number | null;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
