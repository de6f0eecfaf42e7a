import { Column, Entity, PrimaryColumn } from 'typeorm';
import { fenTransformer } from '@market/database';
import type { StatsDimension } from '../domain/dimensions';

/**
 * Registered contracts per day and per key of one breakdown (contract type, a seller's county …):
 * count, 成交额 and 技术交易额. Kept up to date by each event, never recomputed from the contracts.
 * Read for the days of months a range covers only in part.
 */
@Entity({ name: 'stats_daily' })
export class StatsDaily {
  @PrimaryColumn({ type: 'text' })
  dimension: StatsDimension;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int' })
  contracts: number;

  @Column({ name: 'total_amount_fen', type: 'bigint', transformer: fenTransformer })
  totalAmountFen: number;

  @Column({ name: 'technology_amount_fen', type: 'bigint', transformer: fenTransformer })
  technologyAmountFen: number;
}

/** The same per month (its first day): what whole months of a range are read from. */
@Entity({ name: 'stats_monthly' })
export class StatsMonthly {
  @PrimaryColumn({ type: 'text' })
  dimension: StatsDimension;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int' })
  contracts: number;

  @Column({ name: 'total_amount_fen', type: 'bigint', transformer: fenTransformer })
  totalAmountFen: number;

  @Column({ name: 'technology_amount_fen', type: 'bigint', transformer: fenTransformer })
  technologyAmountFen: number;
}

/**
 * An event the statistics have applied, by its business key (`contract.registered:<registration
 * id>`): the same event delivered again — under the same job id or another — changes nothing.
 */
@Entity({ name: 'stats_event' })
export class StatsEvent {
  @PrimaryColumn({ name: 'event_key', type: 'text' })
  eventKey: string;

  @Column({ name: 'contract_id', type: 'uuid' })
  contractId: string;

  @Column({ name: 'applied_at', type: 'timestamptz', default: () => 'now()' })
  appliedAt: Date;
}
