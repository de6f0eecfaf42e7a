import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import { MilestoneKind } from '../domain/contract-content';
import { MilestoneStatus } from '../domain/milestone-state';

/** A milestone of a contract in performance, copied from the version in force (re-derived by a registered change). */
@Entity({ name: 'contract_milestone' })
// Unique among the milestones still tracked: a superseded one is history (see domain/milestone-state.ts).
@Index('contract_milestone_key_uq', ['contractId', 'key'], { unique: true, where: `status <> 'superseded'` })
export class ContractMilestone {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  kind: MilestoneKind;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ name: 'amount_fen', type: 'bigint', nullable: true, transformer: fenTransformer })
  amountFen: number | null;

  @Column({ type: 'text' })
  status: MilestoneStatus;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt: Date | null;

  @Column({ name: 'evidence_id', type: 'uuid', nullable: true })
  evidenceId: string | null;

  /** The organization that delivered (the other party accepts or disputes). */
  @Column({ name: 'submitted_by_organization_id', type: 'uuid', nullable: true })
  submittedByOrganizationId: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'dispute_reason', type: 'text', nullable: true })
  disputeReason: string | null;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** The latest payment (deposit of purpose contract_milestone) asked for. */
  @Column({ name: 'deposit_id', type: 'uuid', nullable: true })
  depositId: string | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A file kept as evidence of a delivered milestone, with its hash and size (storage port: PostgreSQL). */
@Entity({ name: 'contract_evidence' })
@Index('contract_evidence_contract_idx', ['contractId'])
export class ContractEvidence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'milestone_id', type: 'uuid' })
  milestoneId: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'bytea', select: false })
  bytes: Buffer;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
