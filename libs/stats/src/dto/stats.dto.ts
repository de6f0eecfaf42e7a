import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { GROUP_BY_DIMENSIONS } from '../domain/dimensions';

const DIMENSIONS = Object.keys(GROUP_BY_DIMENSIONS).join('|');
/** One breakdown, month, or a breakdown per month (either order). */
const GROUP_BY = new RegExp(`^(?:(?:${DIMENSIONS})(?:,month)?|month(?:,(?:${DIMENSIONS}))?)$`);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ContractStatsQuery {
  @ApiPropertyOptional({
    description:
      'A breakdown, `month`, or a breakdown per month (`contractType,month`). Breakdowns: ' +
      `${Object.keys(GROUP_BY_DIMENSIONS).join(', ')}. Seller regions are technology output (技术输出), ` +
      'buyer regions absorption (技术吸纳).',
    default: 'month',
    example: 'contractType,month',
  })
  @IsOptional()
  @Matches(GROUP_BY, { message: 'groupBy must be a breakdown, month, or a breakdown and month, comma-separated' })
  groupBy: string = 'month';

  @ApiPropertyOptional({
    description: 'First registration day counted (YYYY-MM-DD, Beijing time); default 1 January of `to`’s year',
    example: '2026-01-15',
  })
  @IsOptional()
  @Matches(DAY, { message: 'from must be a date, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({
    description: 'Last registration day counted (YYYY-MM-DD); default today',
    example: '2026-06-20',
  })
  @IsOptional()
  @Matches(DAY, { message: 'to must be a date, YYYY-MM-DD' })
  to?: string;
}

@ApiSchema({ name: 'ContractStatsRow' })
export class ContractStatsRowView {
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-03',
    description: 'The month (YYYY-MM), when grouped by month',
  })
  month: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'transfer',
    description: 'The breakdown’s key (a contract type, a 6-digit region code …), when grouped by one',
  })
  key: string | null;

  @ApiProperty({ nullable: true, type: String, example: '技术转让', description: 'The key in words' })
  label: string | null;

  @ApiProperty({ type: 'integer', example: 12 })
  contracts: number;

  @ApiProperty({ type: 'integer', description: '成交额, fen', example: 360_000_000 })
  totalAmountFen: number;

  @ApiProperty({ type: 'integer', description: '技术交易额, fen', example: 300_000_000 })
  technologyAmountFen: number;
}

@ApiSchema({ name: 'ContractStatsTotals' })
export class ContractStatsTotalsView {
  @ApiProperty({ type: 'integer' })
  contracts: number;

  @ApiProperty({ type: 'integer' })
  totalAmountFen: number;

  @ApiProperty({ type: 'integer' })
  technologyAmountFen: number;
}

@ApiSchema({ name: 'ContractStats' })
export class ContractStatsView {
  @ApiProperty({ example: '2026-01-15' })
  from: string;

  @ApiProperty({ example: '2026-06-20' })
  to: string;

  @ApiProperty({ type: String, isArray: true, example: ['contractType', 'month'] })
  groupBy: string[];

  @ApiProperty({ type: ContractStatsRowView, isArray: true })
  rows: ContractStatsRowView[];

  @ApiProperty({ type: ContractStatsTotalsView, description: 'Every registered contract of the range, counted once' })
  totals: ContractStatsTotalsView;
}
