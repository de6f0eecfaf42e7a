import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { TECHNICAL_FIELD_LABELS } from '../domain/labels';

const FIELDS = Object.keys(TECHNICAL_FIELD_LABELS).filter((f) => f !== 'unspecified');
/** A county-level division: six digits, not a province (xx0000) or a prefecture (xxxx00). */
export const COUNTY_CODE = /^\d{4}(?!00)\d{2}$/;
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export class FeaturedIndustryInput {
  @ApiProperty({ example: '生物医药', description: '特色产业, as the construction plan names it' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiPropertyOptional({
    enum: FIELDS,
    nullable: true,
    description: 'The technical field its contracts are counted in, if one fits',
  })
  @IsOptional()
  @IsIn(FIELDS)
  technicalField?: string | null;
}

export class CountyDesignationInput {
  @ApiProperty({ example: '430181', description: 'The county’s 6-digit division code (a county, not a city)' })
  @Matches(COUNTY_CODE, { message: 'regionCode must be a county-level code: 6 digits, not ending in 00' })
  regionCode: string;

  @ApiProperty({ example: '浏阳市' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiProperty({ example: 2026, description: 'First year of the three-year construction period (建设期)' })
  @Type(() => Number)
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  constructionStartYear: number;

  @ApiProperty({ type: FeaturedIndustryInput, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FeaturedIndustryInput)
  featuredIndustries: FeaturedIndustryInput[];
}

export class CountyDesignationUpdate {
  @ApiPropertyOptional({ example: '浏阳市' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;

  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  constructionStartYear?: number;

  @ApiPropertyOptional({ type: FeaturedIndustryInput, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FeaturedIndustryInput)
  featuredIndustries?: FeaturedIndustryInput[];
}

export class YearQuery {
  @ApiPropertyOptional({ type: 'integer', example: 2026, description: 'Default: this year (Beijing time)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year?: number;
}

export class RankingQuery extends YearQuery {
  @ApiPropertyOptional({ example: '43', description: 'Province (first two digits of the code); default 43, Hunan' })
  @IsOptional()
  @Matches(/^\d{2}$/)
  province?: string;
}

@ApiSchema({ name: 'FeaturedIndustry' })
export class FeaturedIndustryView {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) technicalField: string | null;
}

@ApiSchema({ name: 'DemonstrationCounty' })
export class CountyView {
  @ApiProperty({ example: '430181' }) regionCode: string;
  @ApiProperty({ example: '浏阳市' }) name: string;
  @ApiProperty({ type: 'integer', example: 2026 }) constructionStartYear: number;
  @ApiProperty({ type: 'integer', example: 2028, description: 'Last year of the three-year period' })
  constructionEndYear: number;
  @ApiProperty({ type: FeaturedIndustryView, isArray: true }) featuredIndustries: FeaturedIndustryView[];
  @ApiProperty({ format: 'date-time' }) designatedAt: string;
}

@ApiSchema({ name: 'CountyFigures' })
export class FiguresView {
  @ApiProperty({ type: 'integer' }) contracts: number;
  @ApiProperty({ type: 'integer', description: '成交额, fen' }) totalAmountFen: number;
  @ApiProperty({ type: 'integer', description: '技术交易额, fen' }) technologyAmountFen: number;
}

@ApiSchema({ name: 'CountyFiguresByType' })
export class TypeFiguresView extends FiguresView {
  @ApiProperty({ example: 'transfer' }) contractType: string;
  @ApiProperty({ example: '技术转让' }) label: string;
}

@ApiSchema({ name: 'CountyGrowth' })
export class GrowthView {
  @ApiProperty({ type: Number, nullable: true, description: 'Per cent on the previous year; null when it had none' })
  contractsPercent: number | null;
  @ApiProperty({ type: Number, nullable: true }) technologyAmountPercent: number | null;
}

@ApiSchema({ name: 'CountySide' })
export class CountySideView extends FiguresView {
  @ApiProperty({ type: TypeFiguresView, isArray: true }) byType: TypeFiguresView[];
  @ApiProperty({ type: FiguresView }) previousYear: FiguresView;
  @ApiProperty({ type: GrowthView }) growth: GrowthView;
}

@ApiSchema({ name: 'TransferredAchievement' })
export class AchievementView {
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty() projectName: string;
  @ApiProperty() sellerName: string;
  @ApiProperty({ example: 'transfer' }) contractType: string;
  @ApiProperty({ type: 'integer' }) technologyAmountFen: number;
  @ApiProperty({ example: '2026-03-14' }) registeredOn: string;
}

@ApiSchema({ name: 'FeaturedIndustryFigures' })
export class IndustryFiguresView extends FiguresView {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) technicalField: string | null;
}

@ApiSchema({ name: 'ParticipatingInstitution' })
export class InstitutionView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'research_institute' }) kind: string;
  @ApiProperty({ type: 'integer', description: 'Registered contracts as seller (技术输出)' }) asSeller: number;
  @ApiProperty({ type: 'integer', description: 'Registered contracts as buyer (技术吸纳)' }) asBuyer: number;
}

@ApiSchema({ name: 'ParticipatingBroker' })
export class BrokerView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer' }) contracts: number;
}

@ApiSchema({ name: 'CountyReport' })
export class CountyReportView {
  @ApiProperty({ type: CountyView }) county: CountyView;
  @ApiProperty({ type: 'integer', example: 2026 }) year: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Which year of construction (1–3), null outside the period',
  })
  constructionYear: number | null;
  @ApiProperty({ type: CountySideView, description: 'Contracts whose seller is in the county (技术输出)' })
  output: CountySideView;
  @ApiProperty({ type: CountySideView, description: 'Contracts whose buyer is in the county (技术吸纳)' })
  absorption: CountySideView;
  @ApiProperty({
    type: AchievementView,
    isArray: true,
    description: 'Listings of the county’s organizations that reached a contract registered in the year',
  })
  achievementsTransferred: AchievementView[];
  @ApiProperty({
    type: IndustryFiguresView,
    isArray: true,
    description: 'The county’s contracts in each featured industry’s field',
  })
  featuredIndustries: IndustryFiguresView[];
  @ApiProperty({ type: InstitutionView, isArray: true }) institutions: InstitutionView[];
  @ApiProperty({ type: BrokerView, isArray: true }) brokers: BrokerView[];
}

@ApiSchema({ name: 'CountyRankingRow' })
export class RankingRowView {
  @ApiProperty({ type: 'integer' }) rank: number;
  @ApiProperty({ example: '430181' }) regionCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'integer', nullable: true }) constructionYear: number | null;
  @ApiProperty({ type: FiguresView }) output: FiguresView;
  @ApiProperty({ type: FiguresView }) absorption: FiguresView;
  @ApiProperty({ type: 'integer', description: 'Output plus absorption, 技术交易额 (fen): what the ranking orders by' })
  technologyAmountFen: number;
  @ApiProperty({ type: 'integer' }) previousYearTechnologyAmountFen: number;
  @ApiProperty({ type: Number, nullable: true }) growthPercent: number | null;
}

@ApiSchema({ name: 'CountyRanking' })
export class RankingView {
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty({ example: '43' }) province: string;
  @ApiProperty({ type: RankingRowView, isArray: true }) rows: RankingRowView[];
}
