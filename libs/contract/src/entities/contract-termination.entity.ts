import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ContractSide } from '../domain/contract-state';
import { TerminationStatus } from '../domain/termination';

/** A proposal to end a contract in force by agreement (协商解除), and its answer. */
@Entity({ name: 'contract_termination' })
@Index('contract_termination_contract_idx', ['contractId', 'proposedAt'])
@Index('contract_termination_waiting_uq', ['contractId'], { unique: true, where: `status = 'proposed'` })
export class ContractTermination {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ type: 'text' })
  status: TerminationStatus;

  @Column({ name: 'proposed_by_side', type: 'text' })
  proposedBySide: ContractSide;

  @Column({ name: 'proposed_by', type: 'uuid' })
  proposedBy: string;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt: Date;

  /** Why the contract should end: the reason it ends with once the cancellation is registered. */
  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** Why it was declined or withdrawn. */
  @Column({ name: 'answer_reason', type: 'text', nullable: true })
  answerReason: string | null;

  /** The cancellation registration (注销登记) an agreed termination opened. */
  @Column({ name: 'registration_id', type: 'uuid', nullable: true })
  registrationId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
