import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CreditEventKind } from '../domain/rating';

export type CreditSubject = 'organization' | 'broker';

/** One fact on a credit record (信用档案): a registration decision, an objection upheld, a deal annulled. */
@Entity({ name: 'credit_event' })
@Index('credit_event_subject_idx', ['subject', 'subjectId', 'occurredAt'])
@Index('credit_event_source_uq', ['sourceKey', 'subject', 'subjectId'], { unique: true })
export class CreditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  subject: CreditSubject;

  /** The organization (a party, or the broker's agency). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'text' })
  kind: CreditEventKind;

  @Column({ type: 'int' })
  points: number;

  /** The contract the event is about; null for an event about a listing or a deal before any contract. */
  @Column({ name: 'contract_id', type: 'uuid', nullable: true })
  contractId: string | null;

  /** The listing an objection was upheld against, or whose deal was annulled. */
  @Column({ name: 'listing_id', type: 'uuid', nullable: true })
  listingId: string | null;

  /** The negotiation whose deal was annulled after its price announcement (its announcement's id). */
  @Column({ name: 'negotiation_id', type: 'uuid', nullable: true })
  negotiationId: string | null;

  /** The registration number, when there is one: a public fact. */
  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber: string | null;

  /** What happened, in one sentence that names no other party (it may be disclosed). */
  @Column({ type: 'text' })
  fact: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** The event it came from (`registration.decided:<contract>:<decidedAt>`, `listing.objection_upheld:<objection>` …): one record per event and subject. */
  @Column({ name: 'source_key', type: 'text' })
  sourceKey: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
