import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import { Side } from '../domain/negotiation-state';
import { OfferStatus } from '../domain/offer-state';
import type { OfferTerms } from '../domain/terms';

/** One offer of a negotiation: a price and its terms, valid until `expiresAt`. */
@Entity({ name: 'negotiation_offer' })
@Index('negotiation_offer_seq_uq', ['negotiationId', 'seq'], { unique: true })
export class NegotiationOffer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'negotiation_id', type: 'uuid' })
  negotiationId: string;

  /** Order of the offers in the negotiation, 1 for the opening one. */
  @Column({ type: 'int' })
  seq: number;

  /** Whose offer it is (a broker's proposal is its client's side). */
  @Column({ type: 'text' })
  side: Side;

  @Column({ type: 'text' })
  status: OfferStatus;

  @Column({ name: 'proposed_by', type: 'uuid' })
  proposedBy: string;

  /** Proposed by the invited broker: it takes effect only when its client confirms it. */
  @Column({ name: 'via_broker', type: 'boolean', default: false })
  viaBroker: boolean;

  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true })
  confirmedBy: string | null;

  /** The offer this one answers (null for the opening offer). */
  @Column({ name: 'reply_to_offer_id', type: 'uuid', nullable: true })
  replyToOfferId: string | null;

  @Column({ name: 'price_fen', type: 'bigint', transformer: fenTransformer })
  priceFen: number;

  @Column({ type: 'jsonb' })
  terms: OfferTerms;

  @Column({ name: 'validity_days', type: 'int' })
  validityDays: number;

  /** Set when the offer takes effect (at once, or when a broker's proposal is confirmed). */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy: string | null;

  /** A rejection's reason. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
