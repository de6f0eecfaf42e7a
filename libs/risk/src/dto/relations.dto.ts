import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '@market/http';
import { IsUscc } from '@market/identity';
import { RELATION_KINDS } from '../domain/relations-csv';
import type { OrganizationRelationKind } from '../domain/screening-input';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class RelationInput {
  @ApiProperty({
    example: '91430100MA4L0X0X0X',
    description: 'Unified social credit code of organization A (the holder, for a shareholding)',
  })
  @Transform(upper)
  @IsUscc()
  partyAUscc: string;

  @ApiProperty({ example: '湖南某控股集团有限公司' })
  @IsString()
  @Length(1, 200)
  partyAName: string;

  @ApiProperty({
    example: '91430100MA4L0Y0Y0Y',
    description: 'Unified social credit code of organization B (the one held)',
  })
  @Transform(upper)
  @IsUscc()
  partyBUscc: string;

  @ApiProperty({ example: '湖南某科技有限公司' })
  @IsString()
  @Length(1, 200)
  partyBName: string;

  @ApiProperty({ enum: RELATION_KINDS, enumName: 'OrganizationRelationKind' })
  @IsIn(RELATION_KINDS)
  kind: OrganizationRelationKind;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: 'Shareholding only: the percentage A holds of B',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  sharePercent?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '国家企业信用信息公示系统, 2026-11-20' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  source?: string | null;
}

export class RelationUpdate {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  sharePercent?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  source?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  partyAName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  partyBName?: string;
}

export class RelationQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only relations naming this credit code, on either side' })
  @IsOptional()
  @Transform(upper)
  @IsUscc()
  uscc?: string;
}

export class RelationsImportInput {
  @ApiProperty({
    description:
      'CSV text, UTF-8, first line `party_a_uscc,party_a_name,party_b_uscc,party_b_name,kind,share_percent,source`',
    example: 'party_a_uscc,party_a_name,party_b_uscc,party_b_name,kind,share_percent,source\n',
  })
  @IsString()
  @MaxLength(5_000_000)
  csv: string;
}

export class RelationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() partyAUscc: string;
  @ApiProperty() partyAName: string;
  @ApiProperty() partyBUscc: string;
  @ApiProperty() partyBName: string;
  @ApiProperty({ enum: RELATION_KINDS, enumName: 'OrganizationRelationKind' }) kind: OrganizationRelationKind;
  @ApiProperty({ type: Number, nullable: true }) sharePercent: number | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ format: 'uuid' }) recordedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class RelationPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: RelationView, isArray: true }) items: RelationView[];
}

export class RelationsImportView {
  @ApiProperty({ type: 'integer', description: 'Relations new to the table' }) created: number;
  @ApiProperty({ type: 'integer', description: 'Relations already there, their share, names and source replaced' })
  updated: number;
}
