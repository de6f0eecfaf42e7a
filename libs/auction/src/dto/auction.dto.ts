import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsEnum, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQuery } from '@market/http';
import { TechnicalField } from '@market/listing';
import { AuctionKind, AuctionStatus } from '../domain/auction-state';

const MAX_FEN = 10_000_000_000_000;

export class CreateAuctionInput {
  @ApiProperty()
  @IsUUID()
  listingId: string;

  @ApiProperty({ enum: AuctionKind, enumName: 'AuctionKind' })
  @IsEnum(AuctionKind)
  kind: AuctionKind;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  startingPriceFen: number;

  @ApiPropertyOptional({ description: 'Hidden from bidders; below it the auction fails' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  reservePriceFen?: number;

  @ApiPropertyOptional({ description: 'Minimum raise of an English auction' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  incrementFen?: number;

  @ApiProperty({ description: 'Deposit (保证金) each bidder must have held; at least 1 fen (every auction takes one)' })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  depositFen: number;

  @ApiProperty({ example: '2026-12-01T02:00:00Z' })
  @IsDateString({ strict: true })
  startsAt: string;

  @ApiProperty({ example: '2026-12-01T04:00:00Z' })
  @IsDateString({ strict: true })
  endsAt: string;
}

export class BidInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen: number;
}

export class DepositInput {
  @ApiPropertyOptional({
    enum: ['stripe', 'offline'],
    description: 'Card (Stripe) or bank transfer; card when Stripe is configured',
  })
  @IsOptional()
  @IsIn(['stripe', 'offline'])
  method?: 'stripe' | 'offline';
}

const uuid = { format: 'uuid' } as const;
const fen = { type: 'integer', description: 'Integer fen' } as const;

export class AuctionView {
  @ApiProperty(uuid) id: string;
  @ApiProperty(uuid) listingId: string;
  @ApiProperty() listingTitle: string;
  @ApiProperty({
    enum: TechnicalField,
    nullable: true,
    description: 'The listing’s technical field (the TechnicalField values)',
  })
  technicalField: string | null;
  @ApiProperty(uuid) sellerOrganizationId: string;
  @ApiProperty({ enum: AuctionKind, enumName: 'AuctionKind' }) kind: AuctionKind;
  @ApiProperty({ enum: AuctionStatus, enumName: 'AuctionStatus' }) status: AuctionStatus;
  @ApiProperty(fen) startingPriceFen: number;
  @ApiPropertyOptional({
    ...fen,
    nullable: true,
    description: 'Present for the seller and admins, and for everyone once the auction is over; null when none was set',
  })
  reservePriceFen?: number | null;
  @ApiProperty({ ...fen, description: 'Minimum raise of an English auction (1 for sealed)' }) incrementFen: number;
  @ApiProperty(fen) depositFen: number;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time', description: 'Moves later when a bid comes in the last minutes' }) endsAt: string;
  @ApiProperty({
    ...fen,
    nullable: true,
    description: 'English: the highest accepted bid; sealed: hidden (null) until the close',
  })
  currentPriceFen: number | null;
  @ApiProperty({ ...fen, nullable: true, description: 'English: the least the next bid may be' })
  minimumNextBidFen: number | null;
  @ApiProperty({ type: 'integer', description: 'Sealed: 0 until the close' }) bidCount: number;
  @ApiProperty({
    type: String,
    format: 'uuid',
    isArray: true,
    nullable: true,
    description: 'The only buyers who may bid (an auction converted from listed trading); null: any verified buyer',
  })
  allowedBuyerOrganizationIds: string[] | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) winnerOrganizationId: string | null;
  @ApiProperty({ ...fen, nullable: true }) finalPriceFen: number | null;
}

export class BidView {
  @ApiProperty({ description: 'English: the bid’s UUID; sealed: `auctionId:bidderOrganizationId`' }) id: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Order of acceptance (English); null for sealed bids' })
  seq: number | null;
  @ApiProperty(fen) amountFen: number;
  @ApiProperty(uuid) bidderOrganizationId: string;
  @ApiProperty({ format: 'date-time', description: 'When it was accepted, or a sealed bid last revised' })
  createdAt: string;
}

export class AcceptedBidView {
  @ApiProperty(uuid) id: string;
  @ApiProperty({ type: 'integer', description: 'Order of acceptance on the auction' }) seq: number;
  @ApiProperty(fen) amountFen: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuctionAfterBidView {
  @ApiProperty(uuid) id: string;
  @ApiProperty(fen) currentPriceFen: number;
  @ApiProperty({ type: 'integer' }) bidCount: number;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
}

/** An English bid accepted: the bid and the auction as it left it. */
export class BidAcceptedView {
  @ApiProperty({ type: AcceptedBidView }) bid: AcceptedBidView;
  @ApiProperty({ type: AuctionAfterBidView }) auction: AuctionAfterBidView;
}

/** A sealed bid placed or revised: only the caller's own bid. */
export class SealedBidPlacedView {
  @ApiProperty(fen) amountFen: number;
  @ApiProperty({ type: 'integer', description: '1 when first placed, then one more per revision' }) revision: number;
}

/** `GET /auctions`: every filter optional, newest start first. */
export class AuctionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AuctionStatus, enumName: 'AuctionStatus' })
  @IsOptional()
  @IsEnum(AuctionStatus)
  status?: AuctionStatus;

  @ApiPropertyOptional({ enum: AuctionKind, enumName: 'AuctionKind' })
  @IsOptional()
  @IsEnum(AuctionKind)
  kind?: AuctionKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  listingId?: string;

  @ApiPropertyOptional({
    enum: TechnicalField,
    enumName: 'TechnicalField',
    description: 'The listing’s technical field',
  })
  @IsOptional()
  @IsEnum(TechnicalField)
  field?: TechnicalField;
}

export class AuctionPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: AuctionView, isArray: true }) items: AuctionView[];
}

export class BidPage {
  @ApiProperty({ type: 'integer', description: 'Bids the caller may see, over every page' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: BidView, isArray: true }) items: BidView[];
}
