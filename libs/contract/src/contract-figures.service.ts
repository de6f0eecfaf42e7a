import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ContractStatus } from './domain/contract-state';

/** Contract value of one month (China Standard Time) and one technical field. */
export interface ContractValueRow {
  /** `2026-03` */
  month: string;
  /** The contract's technical field, or null when it names none. */
  technicalField: string | null;
  valueFen: number;
  count: number;
}

/** Contracts that did not happen: abandoned or ended (terminated) and found false. */
const NOT_COUNTED = [ContractStatus.Terminated, ContractStatus.ConfirmedFalse];

/** The contract context's share of the market's public figures. */
@Injectable()
export class ContractFiguresService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * Contract value by month of the contract's making (China Standard Time) and by the technical
   * field its current version names, for contracts made in [from, to): every agreed trade (listed,
   * auction, negotiated) and every broker-entered contract, less those terminated or found false.
   */
  async valueByMonthAndField(from: Date, to: Date): Promise<ContractValueRow[]> {
    const rows = await this.txHost.tx.query<
      { month: string; technical_field: string | null; value_fen: string; count: number }[]
    >(
      `SELECT to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
              v.content->>'technicalField' AS technical_field,
              sum(c.total_amount_fen)::text AS value_fen,
              count(*)::int AS count
         FROM contract c
         JOIN contract_version v ON v.contract_id = c.id AND v.version = c.current_version
        WHERE c.created_at >= $1 AND c.created_at < $2 AND c.status <> ALL($3)
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [from, to, NOT_COUNTED],
    );
    return rows.map((row) => ({
      month: row.month,
      technicalField: row.technical_field,
      valueFen: Number(row.value_fen),
      count: row.count,
    }));
  }
}
