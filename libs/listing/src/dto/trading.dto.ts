import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQuery } from '@market/http';
import { TechnicalField } from '../domain/vocabulary';
import { ObjectionStatus } from '../entities/listing-objection.entity';
import { ListingView, MAX_PRICE_FEN } from './listing.dto';
import { MAX_SEARCH_OFFSET } from './search.dto';

export class ObjectionInput {
  @ApiProperty({ description: 'What is wrong with the listing (ownership, IP status, …)' })
  @IsString()
  @Length(10, 2000)
  reason: string;
}

export class ObjectionAnswerInput {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  answer: string;
}

export class ObjectionRulingInput {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  decision: 'upheld' | 'dismissed';

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class ObjectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ format: 'uuid' }) objectorOrganizationId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ObjectionStatus, enumName: 'ObjectionStatus' }) status: ObjectionStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The seller’s answer' }) answer: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why an admin upheld or dismissed it' })
  rulingReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class RejectionInput {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class IntentInput {
  @ApiPropertyOptional({ description: 'If given, must equal the asking price' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_FEN)
  priceFen?: number;
}

export class IntentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) listingId: string;
  @ApiProperty({ format: 'uuid' }) buyerOrganizationId: string;
  @ApiProperty({ type: 'integer' }) priceFen: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PackageInput {
  @ApiProperty({ example: '2026年新材料领域科技成果包' })
  @IsString()
  @Length(2, 200)
  title: string;

  @ApiProperty({ enum: TechnicalField, enumName: 'TechnicalField' })
  @IsEnum(TechnicalField)
  technicalField: TechnicalField;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'Issue date; today in Asia/Shanghai when omitted' })
  @IsOptional()
  @IsDateString({ strict: true })
  issuedOn?: string;

  @ApiProperty({ type: String, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  listingIds: string[];
}

export class PackageSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: TechnicalField, enumName: 'TechnicalField' }) technicalField: TechnicalField;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date', example: '2026-11-22' }) issuedOn: string;
  @ApiProperty({ type: 'integer' }) listingCount: number;
}

export class PackageView extends PackageSummaryView {
  @ApiProperty({ type: ListingView, isArray: true }) listings: ListingView[];
}

export class PackagePage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: PackageSummaryView, isArray: true }) items: PackageSummaryView[];
}

export class PackageQuery extends PageQuery {
  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_SEARCH_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEARCH_OFFSET)
  override offset: number = 0;

  @ApiPropertyOptional({ enum: TechnicalField, enumName: 'TechnicalField' })
  @IsOptional()
  @IsEnum(TechnicalField)
  field?: TechnicalField;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only the packages holding this listing while it is public (its page lists them)',
  })
  @IsOptional()
  @IsUUID()
  listingId?: string;
}
