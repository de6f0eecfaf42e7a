import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A mutating request already answered, kept so that a retry with the same key gets the same answer. */
@Entity({ name: 'idempotency_key' })
export class IdempotencyKey {
  /** The caller: a user id, or `anonymous:<request hash>` for public endpoints. */
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'status_code', type: 'smallint', nullable: true })
  statusCode: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
