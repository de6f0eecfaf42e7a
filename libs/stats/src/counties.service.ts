import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AuditLog } from '@market/audit';
import { Clock } from '@market/clock';
import { AppConfig } from '@market/config';
import { preparedQuery } from '@market/database';
import type { Actor } from '@market/identity';
import type { RegisteredContractFacts } from '@market/queue';
import { constructionYearOf, CONSTRUCTION_YEARS, countyFigures, growthPercent } from './domain/county-report';
import { toCsv } from './domain/csv';
import { StatsDimension } from './domain/dimensions';
import {
  CountyDesignationInput,
  CountyDesignationUpdate,
  CountyReportView,
  CountyView,
  FiguresView,
  RankingView,
} from './dto/counties.dto';
import { DemonstrationCounty } from './entities/demonstration-county.entity';
import { StatsErrors } from './stats.errors';
import { FiguresCache, RAISE_STATS_GENERATION, READ_STATS_GENERATION } from './figures-cache';

const shanghaiToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function toView(county: DemonstrationCounty): CountyView {
  return {
    regionCode: county.regionCode,
    name: county.name,
    constructionStartYear: county.constructionStartYear,
    constructionEndYear: county.constructionStartYear + CONSTRUCTION_YEARS - 1,
    featuredIndustries: county.featuredIndustries.map((i) => ({ name: i.name, technicalField: i.technicalField })),
    designatedAt: county.designatedAt.toISOString(),
  };
}

function designationOf(county: DemonstrationCounty) {
  return {
    name: county.name,
    constructionStartYear: county.constructionStartYear,
    featuredIndustries: county.featuredIndustries,
  };
}

/**
 * Demonstration counties (示范县): admins designate them; each has an annual report of the
 * figures the county guideline asks for, and the province's counties are ranked. Figures come from
 * the statistics' own copy of registered contracts and from the rollups — never the contract tables.
 */
@Injectable()
export class CountiesService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.rankings = new FiguresCache(config.stats.cacheEntries);
  }

  private readonly rankings: FiguresCache<RankingView>;

  private get counties() {
    return this.txHost.tx.getRepository(DemonstrationCounty);
  }

  async list(): Promise<CountyView[]> {
    return (await this.counties.find({ order: { regionCode: 'ASC' } })).map(toView);
  }

  async designate(actor: Actor, input: CountyDesignationInput): Promise<CountyView> {
    if (await this.counties.existsBy({ regionCode: input.regionCode })) {
      throw StatsErrors.alreadyDesignated(input.regionCode);
    }
    const county = await this.counties.save(
      this.counties.create({
        regionCode: input.regionCode,
        name: input.name,
        constructionStartYear: input.constructionStartYear,
        featuredIndustries: input.featuredIndustries.map((i) => ({
          name: i.name,
          technicalField: i.technicalField ?? null,
        })),
        designatedBy: actor.userId,
      }),
    );
    await this.txHost.tx.query(RAISE_STATS_GENERATION);
    await this.audit.append(`county:${county.regionCode}`, {
      actorId: actor.userId,
      action: 'county.designated',
      detail: designationOf(county),
    });
    return toView(county);
  }

  async update(actor: Actor, regionCode: string, input: CountyDesignationUpdate): Promise<CountyView> {
    const county = await this.get(regionCode, true);
    if (input.name !== undefined) county.name = input.name;
    if (input.constructionStartYear !== undefined) county.constructionStartYear = input.constructionStartYear;
    if (input.featuredIndustries !== undefined) {
      county.featuredIndustries = input.featuredIndustries.map((i) => ({
        name: i.name,
        technicalField: i.technicalField ?? null,
      }));
    }
    await this.counties.save(county);
    await this.txHost.tx.query(RAISE_STATS_GENERATION);
    await this.audit.append(`county:${regionCode}`, {
      actorId: actor.userId,
      action: 'county.changed',
      detail: designationOf(county),
    });
    return toView(county);
  }

  /** The designation is withdrawn (撤销, after the province's evaluation): the county leaves the list and the ranking. */
  async withdraw(actor: Actor, regionCode: string): Promise<CountyView> {
    const county = await this.get(regionCode, true);
    await this.counties.delete({ regionCode });
    await this.txHost.tx.query(RAISE_STATS_GENERATION);
    await this.audit.append(`county:${regionCode}`, { actorId: actor.userId, action: 'county.withdrawn' });
    return toView(county);
  }

  async report(regionCode: string, year?: number): Promise<CountyReportView> {
    const county = await this.get(regionCode, false);
    const reportYear = year ?? this.thisYear();
    const rows = (await this.txHost.tx.query(
      `SELECT registered_on::text AS registered_on, facts FROM stats_contract
        WHERE counted AND registered_on >= $2 AND registered_on < $3
          AND (seller_region_code = $1 OR buyer_region_code = $1)`,
      [regionCode, `${reportYear - 1}-01-01`, `${reportYear + 1}-01-01`],
    )) as { registered_on: string; facts: RegisteredContractFacts }[];
    const figures = countyFigures({
      regionCode,
      year: reportYear,
      constructionStartYear: county.constructionStartYear,
      featuredIndustries: county.featuredIndustries,
      contracts: rows.map((r) => ({ registeredOn: r.registered_on, facts: r.facts })),
    });
    return { county: toView(county), year: reportYear, ...figures };
  }

  /** The report as CSV: one line per figure, `section` saying which part of the report it is. */
  reportCsv(report: CountyReportView): string {
    const lines: (string | number | null)[][] = [];
    const figures = (section: string, key: string, label: string, f: FiguresView, detail: string | null = null) =>
      lines.push([section, key, label, f.contracts, f.totalAmountFen, f.technologyAmountFen, detail]);
    for (const [section, side] of [
      ['output', report.output],
      ['absorption', report.absorption],
    ] as const) {
      figures(section, 'total', '合计', side, `${report.year}`);
      for (const t of side.byType) figures(`${section}_by_type`, t.contractType, t.label, t);
      figures(section, 'previous_year', '上年', side.previousYear, `${report.year - 1}`);
      lines.push([`${section}_growth`, 'contracts', '项数同比(%)', side.growth.contractsPercent, null, null, null]);
      lines.push([
        `${section}_growth`,
        'technology_amount',
        '技术交易额同比(%)',
        null,
        null,
        side.growth.technologyAmountPercent,
        null,
      ]);
    }
    for (const a of report.achievementsTransferred) {
      lines.push([
        'achievement',
        a.listingId,
        a.projectName,
        1,
        null,
        a.technologyAmountFen,
        `${a.sellerName} ${a.registeredOn}`,
      ]);
    }
    for (const i of report.featuredIndustries) figures('featured_industry', i.technicalField ?? '', i.name, i);
    for (const i of report.institutions) {
      lines.push([
        'institution',
        i.organizationId,
        i.name,
        i.asSeller + i.asBuyer,
        null,
        null,
        `seller ${i.asSeller}; buyer ${i.asBuyer}`,
      ]);
    }
    for (const b of report.brokers) lines.push(['broker', b.organizationId, b.name, b.contracts, null, null, null]);
    return toCsv(['section', 'key', 'label', 'contracts', 'totalAmountFen', 'technologyAmountFen', 'detail'], lines);
  }

  /**
   * The province's demonstration counties ranked by the technology transaction amount of their
   * contracts in the year, output plus absorption (from the county rollups), with growth on the
   * previous year. Ties share a rank.
   */
  async ranking(year?: number, province = '43'): Promise<RankingView> {
    const rankingYear = year ?? this.thisYear();
    if (!this.rankings.keeps) return this.computeRanking(rankingYear, province);
    const [{ n }] = await preparedQuery<{ n: string }>(this.txHost.tx, 'stats-generation', READ_STATS_GENERATION, []);
    return this.rankings.get(Number(n), `${rankingYear}:${province}`, () => this.computeRanking(rankingYear, province));
  }

  private async computeRanking(rankingYear: number, province: string): Promise<RankingView> {
    const counties = (await this.counties.find({ order: { regionCode: 'ASC' } })).filter((c) =>
      c.regionCode.startsWith(province),
    );
    const rows = (await this.txHost.tx.query(
      `SELECT dimension, key, extract(year FROM month)::int AS year, sum(contracts)::int AS contracts,
              sum(total_amount_fen)::text AS total, sum(technology_amount_fen)::text AS technology
         FROM stats_monthly
        WHERE dimension IN ($1, $2) AND key = ANY($3) AND month >= $4 AND month < $5
        GROUP BY 1, 2, 3`,
      [
        StatsDimension.SellerCounty,
        StatsDimension.BuyerCounty,
        counties.map((c) => c.regionCode),
        `${rankingYear - 1}-01-01`,
        `${rankingYear + 1}-01-01`,
      ],
    )) as { dimension: string; key: string; year: number; contracts: number; total: string; technology: string }[];
    const figuresOf = (dimension: StatsDimension, key: string, y: number): FiguresView => {
      const row = rows.find((r) => r.dimension === dimension && r.key === key && r.year === y);
      return {
        contracts: row?.contracts ?? 0,
        totalAmountFen: Number(row?.total ?? 0),
        technologyAmountFen: Number(row?.technology ?? 0),
      };
    };
    const ranked = counties
      .map((county) => {
        const output = figuresOf(StatsDimension.SellerCounty, county.regionCode, rankingYear);
        const absorption = figuresOf(StatsDimension.BuyerCounty, county.regionCode, rankingYear);
        const previous =
          figuresOf(StatsDimension.SellerCounty, county.regionCode, rankingYear - 1).technologyAmountFen +
          figuresOf(StatsDimension.BuyerCounty, county.regionCode, rankingYear - 1).technologyAmountFen;
        const technologyAmountFen = output.technologyAmountFen + absorption.technologyAmountFen;
        return {
          rank: 0,
          regionCode: county.regionCode,
          name: county.name,
          constructionYear: constructionYearOf(county.constructionStartYear, rankingYear),
          output,
          absorption,
          technologyAmountFen,
          previousYearTechnologyAmountFen: previous,
          growthPercent: growthPercent(technologyAmountFen, previous),
        };
      })
      .sort(
        (a, b) =>
          b.technologyAmountFen - a.technologyAmountFen ||
          b.output.contracts + b.absorption.contracts - (a.output.contracts + a.absorption.contracts) ||
          a.regionCode.localeCompare(b.regionCode),
      );
    ranked.forEach((row, i) => {
      const before = ranked[i - 1];
      row.rank = before && before.technologyAmountFen === row.technologyAmountFen ? before.rank : i + 1;
    });
    return { year: rankingYear, province, rows: ranked };
  }

  private thisYear(): number {
    return Number(shanghaiToday(this.clock.now()).slice(0, 4));
  }

  private async get(regionCode: string, lock: boolean): Promise<DemonstrationCounty> {
    const county = /^\d{6}$/.test(regionCode)
      ? await this.counties.findOne({ where: { regionCode }, ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}) })
      : null;
    if (!county) throw StatsErrors.countyNotFound(regionCode);
    return county;
  }
}
