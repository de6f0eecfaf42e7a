import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import { RegistrationKind, RegistrationStatus } from '../domain/registration';

/**
 * One application to a registry office: the first registration (认定登记), a change registration
 * (变更登记) or a cancellation (注销登记), with its screening, deadline, decision and objection.
 */
@Entity({ name: 'contract_registration' })
@Index('contract_registration_contract_idx', ['contractId'])
@Index('contract_registration_number_uq', ['registrationNumber'], { unique: true })
export class ContractRegistration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'contract_version', type: 'int' })
  contractVersion: number;

  @Column({ type: 'text' })
  kind: RegistrationKind;

  @Column({ name: 'office_id', type: 'uuid' })
  officeId: string;

  @Column({ type: 'text' })
  status: RegistrationStatus;

  @Column({ name: 'submitted_by', type: 'uuid' })
  submittedBy: string;

  /** The day the period runs from: acceptance, or the day requested documents arrived. */
  @Column({ name: 'accepted_on', type: 'date' })
  acceptedOn: string;

  /** The last working day of the period; null while documents are awaited. */
  @Column({ name: 'deadline_on', type: 'date', nullable: true })
  deadlineOn: string | null;

  @Column({ name: 'working_days', type: 'int' })
  workingDays: number;

  @Column({ name: 'technology_amount_fen', type: 'bigint', transformer: fenTransformer })
  technologyAmountFen: number;

  @Column({ name: 'disputed_reason', type: 'text', nullable: true })
  disputedReason: string | null;

  /** What screening found (`{ findings: [], note }` until risk rules are connected). */
  @Column({ type: 'jsonb', nullable: true })
  screening: Record<string, unknown> | null;

  @Column({ name: 'screened_at', type: 'timestamptz', nullable: true })
  screenedAt: Date | null;

  @Column({ name: 'documents_requested', type: 'text', nullable: true })
  documentsRequested: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  grounds: string[];

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber: string | null;

  @Column({ name: 'objection_reason', type: 'text', nullable: true })
  objectionReason: string | null;

  @Column({ name: 'objected_at', type: 'timestamptz', nullable: true })
  objectedAt: Date | null;

  @Column({ name: 'objection_outcome', type: 'text', nullable: true })
  objectionOutcome: 'upheld' | 'dismissed' | null;

  @Column({ name: 'objection_ruled_by', type: 'uuid', nullable: true })
  objectionRuledBy: string | null;

  @Column({ name: 'objection_ruling_reason', type: 'text', nullable: true })
  objectionRulingReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
