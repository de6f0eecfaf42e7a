import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuctionFiguresService } from '@market/auction';
import { Clock } from '@market/clock';
import { ContractFiguresService } from '@market/contract';
import { Public } from '@market/identity';
import { ListingFiguresService, TechnicalField } from '@market/listing';

export class MonthValueView {
  @ApiProperty({ example: '2026-03', description: 'Month in China Standard Time' }) month: string;
  @ApiProperty({ type: 'integer', description: 'Integer fen' }) valueFen: number;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class FieldValueView {
  @ApiProperty({
    type: 'string',
    enum: [...Object.values(TechnicalField), 'unspecified'],
    description: 'The contract’s technical field; `unspecified` when it names none',
  })
  technicalField: string;
  @ApiProperty({ type: 'integer', description: 'Integer fen' }) valueFen: number;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class MarketFiguresView {
  @ApiProperty({ type: 'integer', description: 'Listings announced (公示中) or open (交易中)' }) listingsOpen: number;
  @ApiProperty({ type: 'integer', description: 'Auctions taking bids now' }) auctionsRunning: number;
  @ApiProperty({ type: 'integer', example: 2026, description: 'The year in China Standard Time' }) year: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Value of this year’s contracts (integer fen): agreed trades and broker-entered contracts, less terminated or false ones',
  })
  contractValueFen: number;
  @ApiProperty({ type: 'integer' }) contractCount: number;
  @ApiProperty({ type: MonthValueView, isArray: true, description: 'Every month of the year so far, January first' })
  byMonth: MonthValueView[];
  @ApiProperty({ type: FieldValueView, isArray: true, description: 'Fields with contracts this year, largest first' })
  byField: FieldValueView[];
  @ApiProperty({ format: 'date-time' }) asOf: string;
}

const CST_OFFSET_MS = 8 * 3600_000;

/**
 * The market's public figures for its home page: what is on offer now and the contract value of
 * the year (China Standard Time). Each context counts its own; nothing here reads a table.
 */
@ApiTags('market')
@Controller('market')
export class MarketFiguresController {
  constructor(
    private readonly listings: ListingFiguresService,
    private readonly auctions: AuctionFiguresService,
    private readonly contracts: ContractFiguresService,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Get('figures')
  @ApiOperation({ summary: 'Listings open, auctions running, and this year’s contract value by month and field' })
  @ApiOkResponse({ type: MarketFiguresView })
  async figures(): Promise<MarketFiguresView> {
    const now = this.clock.now();
    const local = new Date(now.getTime() + CST_OFFSET_MS);
    const year = local.getUTCFullYear();
    const from = new Date(Date.UTC(year, 0, 1) - CST_OFFSET_MS);
    const to = new Date(Date.UTC(year + 1, 0, 1) - CST_OFFSET_MS);
    const [listingsOpen, auctionsRunning, rows] = await Promise.all([
      this.listings.publicCount(),
      this.auctions.runningCount(),
      this.contracts.valueByMonthAndField(from, to),
    ]);
    const months = Array.from({ length: local.getUTCMonth() + 1 }, (_, index) => ({
      month: `${year}-${String(index + 1).padStart(2, '0')}`,
      valueFen: 0,
      count: 0,
    }));
    const fields = new Map<string, FieldValueView>();
    for (const row of rows) {
      const month = months.find((m) => m.month === row.month);
      if (month) {
        month.valueFen += row.valueFen;
        month.count += row.count;
      }
      const key = row.technicalField ?? 'unspecified';
      const field = fields.get(key) ?? { technicalField: key, valueFen: 0, count: 0 };
      field.valueFen += row.valueFen;
      field.count += row.count;
      fields.set(key, field);
    }
    return {
      listingsOpen,
      auctionsRunning,
      year,
      contractValueFen: months.reduce((sum, m) => sum + m.valueFen, 0),
      contractCount: months.reduce((sum, m) => sum + m.count, 0),
      byMonth: months,
      byField: [...fields.values()].sort((a, b) => b.valueFen - a.valueFen),
      asOf: now.toISOString(),
    };
  }
}
