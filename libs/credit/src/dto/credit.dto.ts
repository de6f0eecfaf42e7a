import { ApiProperty } from '@nestjs/swagger';
import { CreditEventKind } from '../domain/rating';

export class CreditEventView {
  @ApiProperty({ enum: CreditEventKind, enumName: 'CreditEventKind' }) kind: CreditEventKind;
  @ApiProperty({ type: 'integer' }) points: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The contract, for an event about one' })
  contractId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The listing an objection was upheld against, or whose deal was annulled',
  })
  listingId: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The price announcement (negotiation) whose deal was annulled',
  })
  priceAnnouncementId: string | null;
  @ApiProperty({ type: String, nullable: true }) registrationNumber: string | null;
  @ApiProperty() fact: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: string;
}

export class CreditRecordView {
  @ApiProperty({ enum: ['organization', 'broker'] }) subject: 'organization' | 'broker';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['A', 'B', 'C', 'D'] }) rating: 'A' | 'B' | 'C' | 'D';
  @ApiProperty({
    type: 'integer',
    description: '100 less the points of the events of the last three years (at most 100)',
  })
  points: number;
  @ApiProperty({ type: CreditEventView, isArray: true, description: 'The events behind the rating, newest first' })
  events: CreditEventView[];
}

export class DisclosureView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['D'] }) rating: 'D';
  @ApiProperty({
    type: String,
    isArray: true,
    description: 'The confirmed facts (contracts confirmed false), nothing private',
  })
  facts: string[];
}
