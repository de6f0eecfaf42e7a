import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { MilestoneKind } from '../domain/contract-content';
import { MilestoneStatus } from '../domain/milestone-state';

export class EvidenceInput {
  @ApiProperty({ example: '中试工艺包交付确认单.pdf' })
  @IsString()
  @Length(1, 200)
  fileName: string;

  @ApiProperty({ enum: ['application/pdf', 'image/png', 'image/jpeg'] })
  @IsString()
  @MaxLength(100)
  contentType: string;

  @ApiProperty({ description: 'The file, base64; at most 512 KiB once decoded' })
  @IsBase64()
  @MaxLength(700_000)
  contentBase64: string;
}

export class CompleteMilestoneInput {
  @ApiProperty({ type: EvidenceInput })
  @ValidateNested()
  @Type(() => EvidenceInput)
  evidence: EvidenceInput;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class MilestonePaymentInput {
  @ApiPropertyOptional({
    enum: ['stripe', 'offline'],
    description: 'Card (Stripe) or bank transfer; the market’s default when left out',
  })
  @IsOptional()
  @IsIn(['stripe', 'offline'])
  method?: 'stripe' | 'offline';
}

export class EvidenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty({ type: 'integer' }) sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the file, hex' }) sha256: string;
}

/** A milestone as performance tracking sees it. */
export class MilestoneProgressView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty({ enum: MilestoneKind, enumName: 'MilestoneKind' }) kind: MilestoneKind;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) dueOn: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) amountFen: number | null;
  @ApiProperty({ enum: MilestoneStatus, enumName: 'MilestoneStatus' }) status: MilestoneStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) overdueAt: string | null;
  @ApiProperty({ type: EvidenceView, nullable: true }) evidence: EvidenceView | null;
  @ApiProperty({ type: String, nullable: true }) disputeReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The payment (deposit) asked for' })
  depositId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) paidAt: string | null;
}
