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
  @ApiProperty() id: string;
  @ApiProperty() listingId: string;
  @ApiProperty() objectorOrganizationId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ObjectionStatus }) status: ObjectionStatus;
  @ApiPropertyOptional({ type: String, nullable: true }) answer: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) rulingReason: string | null;
  @ApiProperty() createdAt: string;
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
  @ApiProperty() id: string;
  @ApiProperty() listingId: string;
  @ApiProperty() buyerOrganizationId: string;
  @ApiProperty() priceFen: number;
  @ApiProperty() createdAt: string;
}

export class PackageInput {
  @ApiProperty({ example: '2026年新材料领域科技成果包' })
  @IsString()
  @Length(2, 200)
  title: string;

  @ApiProperty({ enum: TechnicalField })
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
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: TechnicalField }) technicalField: TechnicalField;
  @ApiProperty() description: string;
  @ApiProperty() issuedOn: string;
  @ApiProperty() listingCount: number;
}

export class PackageView extends PackageSummaryView {
  @ApiProperty({ type: ListingView, isArray: true }) listings: ListingView[];
}

export class PackageQuery extends PageQuery {
  @ApiPropertyOptional({ default: 0, maximum: MAX_SEARCH_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SEARCH_OFFSET)
  override offset = 0;

  @ApiPropertyOptional({ enum: TechnicalField })
  @IsOptional()
  @IsEnum(TechnicalField)
  field?: TechnicalField;
}
