import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EvidenceRow } from '../domain/finding';

/** What the auditors decided about the contract a finding is about. */
export type FindingDecision = 'confirmed' | 'dismissed' | 'refused';

/** A rule's finding on a contract, with its evidence, and the auditors' decision once taken. */
@Entity({ name: 'risk_finding' })
@Index('risk_finding_contract_idx', ['contractId'])
@Index('risk_finding_rule_idx', ['rule', 'decision'])
export class RiskFinding {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ type: 'text' })
  rule: string;

  @Column({ type: 'int' })
  weight: number;

  @Column({ type: 'jsonb' })
  evidence: EvidenceRow[];

  @Column({ name: 'sentence_zh', type: 'text' })
  sentenceZh: string;

  @Column({ name: 'sentence_en', type: 'text' })
  sentenceEn: string;

  @Column({ type: 'text', nullable: true })
  decision: FindingDecision | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
