import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message in a negotiation's thread, seen by its parties, its broker and admins. */
@Entity({ name: 'negotiation_message' })
@Index('negotiation_message_thread_idx', ['negotiationId', 'createdAt'])
export class NegotiationMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'negotiation_id', type: 'uuid' })
  negotiationId: string;

  @Column({ name: 'author_user_id', type: 'uuid' })
  authorUserId: string;

  @Column({ name: 'author_organization_id', type: 'uuid' })
  authorOrganizationId: string;

  /** `buyer`, `seller` or `broker`: in which capacity it was written. */
  @Column({ name: 'author_role', type: 'text' })
  authorRole: string;

  @Column({ type: 'text' })
  body: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
