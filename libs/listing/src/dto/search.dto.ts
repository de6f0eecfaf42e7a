import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '@market/http';
import { IsRegionCode } from '@market/identity';
import { IpKind } from '../domain/ip-item';
import { Maturity, PricingMode, TechnicalField } from '../domain/vocabulary';
import { ListingView, MAX_PRICE_FEN } from './listing.dto';

export const SEARCH_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/**
 * The deepest page a search serves: past it, a buyer narrows the search (as search engines do).
 * Also keeps an offset such as 1e20 from reaching PostgreSQL, where it overflows a bigint.
 */
export const MAX_SEARCH_OFFSET = 10_000;

export class ListingSearchQuery extends PageQuery {
  // Redeclared with its bound: a subclass's validators on a property replace the parent's.
  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_SEARCH_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEARCH_OFFSET)
  override offset: number = 0;

  @ApiPropertyOptional({
    description: 'Words or phrases, Chinese or English; every term must match',
    example: '锂电池',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: TechnicalField, enumName: 'TechnicalField' })
  @IsOptional()
  @IsEnum(TechnicalField)
  field?: TechnicalField;

  @ApiPropertyOptional({ enum: Maturity, enumName: 'Maturity' })
  @IsOptional()
  @IsEnum(Maturity)
  maturity?: Maturity;

  @ApiPropertyOptional({ enum: PricingMode, enumName: 'PricingMode' })
  @IsOptional()
  @IsEnum(PricingMode)
  pricingMode?: PricingMode;

  @ApiPropertyOptional({ description: '6-digit division code; 430000 matches all of Hunan, 430100 all of Changsha' })
  @IsOptional()
  @IsRegionCode()
  region?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_FEN)
  minPriceFen?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_FEN)
  maxPriceFen?: number;

  @ApiPropertyOptional({ enum: IpKind, enumName: 'IpKind' })
  @IsOptional()
  @IsEnum(IpKind)
  ipKind?: IpKind;

  @ApiPropertyOptional({ enum: SEARCH_SORTS, description: 'Default: relevance when q is given, else newest' })
  @IsOptional()
  @IsIn(SEARCH_SORTS)
  sort?: SearchSort;
}

export class ListingPage {
  @ApiProperty({
    type: 'integer',
    description:
      'How many listings match: exact when totalIsExact, else an estimate rounded to two significant figures',
  })
  total: number;
  @ApiProperty({
    description:
      'False when many listings match (about 300 or more, by relevance or newest): total is then an estimate, as search engines give',
  })
  totalIsExact: boolean;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: ListingView, isArray: true }) items: ListingView[];
}
