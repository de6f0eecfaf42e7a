import { ApiProperty } from '@nestjs/swagger';

export class AuditBrokenLinkView {
  @ApiProperty({ example: 'contract:5f0c…' }) chain: string;
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ enum: ['hash_mismatch', 'previous_hash_mismatch', 'sequence_gap'] }) problem: string;
}

export class AuditVerificationView {
  @ApiProperty({ type: 'integer' }) checkedEntries: number;
  @ApiProperty({ type: 'integer' }) chains: number;
  @ApiProperty({
    type: AuditBrokenLinkView,
    nullable: true,
    description: 'The first broken link; null when every chain holds',
  })
  firstBroken: AuditBrokenLinkView | null;
}

export class AuditEntryView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ example: 'registration.registered' }) action: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) prevHash: string | null;
  @ApiProperty() hash: string;
}
