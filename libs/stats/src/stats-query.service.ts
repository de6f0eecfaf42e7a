import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { preparedQuery } from '@market/database';
import { toCsv } from './domain/csv';
import { GROUP_BY_DIMENSIONS, GroupByDimension, labelOf, planRange, StatsDimension } from './domain/dimensions';
import { ContractStatsQuery, ContractStatsRowView, ContractStatsView } from './dto/stats.dto';
import { StatsErrors } from './stats.errors';
import { FiguresCache, READ_STATS_GENERATION } from './figures-cache';

const shanghaiToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function realDay(day: string): boolean {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}

interface Row {
  month: string | null;
  key: string;
  contracts: number;
  total: string;
  technology: string;
}

/**
 * Public figures of registered contracts (`GET /stats/contracts`): read from the rollups, whole
 * months from the monthly one and the days of partly covered months from the daily one — never
 * from the contracts. They name no party: a key is a type, a field, a kind or a region.
 */
@Injectable()
export class StatsQueryService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.answers = new FiguresCache(config.stats.cacheEntries);
  }

  private readonly answers: FiguresCache<ContractStatsView>;

  async contracts(query: ContractStatsQuery): Promise<ContractStatsView> {
    const to = query.to ?? shanghaiToday(this.clock.now());
    const from = query.from ?? `${to.slice(0, 4)}-01-01`;
    if (!realDay(from)) throw StatsErrors.badRange('from', `${from} is not a day of the calendar`);
    if (!realDay(to)) throw StatsErrors.badRange('to', `${to} is not a day of the calendar`);
    if (from > to) throw StatsErrors.badRange('to', `the range ends (${to}) before it starts (${from})`);
    const groupBy = query.groupBy.split(',');
    if (!this.answers.keeps) return this.compute(groupBy, from, to);
    // Figures change only when a contract event is applied: an answer is kept until then.
    const [{ n }] = await preparedQuery<{ n: string }>(this.txHost.tx, 'stats-generation', READ_STATS_GENERATION, []);
    return this.answers.get(Number(n), `${groupBy.join(',')}|${from}|${to}`, () => this.compute(groupBy, from, to));
  }

  private async compute(groupBy: string[], from: string, to: string): Promise<ContractStatsView> {
    const byMonth = groupBy.includes('month');
    const breakdown = groupBy.find((g) => g !== 'month') as GroupByDimension | undefined;
    const dimension = breakdown ? GROUP_BY_DIMENSIONS[breakdown] : StatsDimension.All;
    const rows = await this.read(dimension, from, to, byMonth);
    const names = await this.regionNames(dimension);
    const views: ContractStatsRowView[] = rows.map((row) => ({
      month: row.month,
      key: breakdown ? row.key : null,
      label: breakdown ? labelOf(dimension, row.key, names) : null,
      contracts: row.contracts,
      totalAmountFen: Number(row.total),
      technologyAmountFen: Number(row.technology),
    }));
    return {
      from,
      to,
      groupBy,
      rows: views,
      totals: {
        contracts: views.reduce((sum, r) => sum + r.contracts, 0),
        totalAmountFen: views.reduce((sum, r) => sum + r.totalAmountFen, 0),
        technologyAmountFen: views.reduce((sum, r) => sum + r.technologyAmountFen, 0),
      },
    };
  }

  /** The same rows as CSV (UTF-8 with BOM), columns as the JSON rows' fields. */
  csv(view: ContractStatsView): string {
    return toCsv(
      ['month', 'key', 'label', 'contracts', 'totalAmountFen', 'technologyAmountFen'],
      view.rows.map((r) => [r.month, r.key, r.label, r.contracts, r.totalAmountFen, r.technologyAmountFen]),
    );
  }

  /**
   * One statement over one breakdown's rows: the range's whole months, plus the days of its partial
   * months (at most two stretches), summed per key (and month). A key a cancellation brought back
   * to nothing is left out.
   */
  private async read(dimension: StatsDimension, from: string, to: string, byMonth: boolean): Promise<Row[]> {
    const plan = planRange(from, to);
    const [first, second] = plan.days;
    const month = byMonth ? `to_char(bucket, 'YYYY-MM')` : 'NULL::text';
    return preparedQuery<Row>(
      this.txHost.tx,
      byMonth ? 'stats-read-by-month' : 'stats-read',
      `SELECT ${month} AS month, key, sum(contracts)::int AS contracts,
              sum(total_amount_fen)::text AS total, sum(technology_amount_fen)::text AS technology
         FROM (
           SELECT month AS bucket, key, contracts, total_amount_fen, technology_amount_fen
             FROM stats_monthly WHERE dimension = $1 AND month >= $2 AND month < $3
           UNION ALL
           SELECT date_trunc('month', day)::date, key, contracts, total_amount_fen, technology_amount_fen
             FROM stats_daily WHERE dimension = $1 AND day BETWEEN $4 AND $5
           UNION ALL
           SELECT date_trunc('month', day)::date, key, contracts, total_amount_fen, technology_amount_fen
             FROM stats_daily WHERE dimension = $1 AND day BETWEEN $6 AND $7
         ) r
        GROUP BY 1, key
       HAVING sum(contracts) <> 0 OR sum(total_amount_fen) <> 0 OR sum(technology_amount_fen) <> 0
        ORDER BY 1, sum(technology_amount_fen) DESC, key`,
      [
        dimension,
        plan.monthsFrom,
        plan.monthsUntil,
        first?.[0] ?? null,
        first?.[1] ?? null,
        second?.[0] ?? null,
        second?.[1] ?? null,
      ],
    );
  }

  /** Names of demonstration counties, for county keys the built-in list does not know. */
  private async regionNames(dimension: StatsDimension): Promise<Map<string, string>> {
    if (dimension !== StatsDimension.SellerCounty && dimension !== StatsDimension.BuyerCounty) return new Map();
    const rows = await preparedQuery<{ region_code: string; name: string }>(
      this.txHost.tx,
      'stats-county-names',
      `SELECT region_code, name FROM demonstration_county`,
      [],
    );
    return new Map(rows.map((r) => [r.region_code, r.name]));
  }
}
