import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ObjectionStatus } from '@market/listing';

/**
 * An objection (异议) to a deal's price announcement. Its states and their rules are the listing
 * context's (`moveObjection`): only the table is the negotiation's, as the deal is.
 */
@Entity({ name: 'price_objection' })
@Index('price_objection_negotiation_idx', ['negotiationId', 'status'])
export class PriceObjection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'negotiation_id', type: 'uuid' })
  negotiationId: string;

  @Column({ name: 'objector_organization_id', type: 'uuid' })
  objectorOrganizationId: string;

  @Column({ name: 'objector_user_id', type: 'uuid' })
  objectorUserId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text' })
  status: ObjectionStatus;

  @Column({ name: 'ruling_reason', type: 'text', nullable: true })
  rulingReason: string | null;

  @Column({ name: 'ruled_by', type: 'uuid', nullable: true })
  ruledBy: string | null;

  @Column({ name: 'ruled_at', type: 'timestamptz', nullable: true })
  ruledAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
