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

  @ApiProperty({ enum: AuctionKind })
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

export class AuctionView {
  @ApiProperty() id: string;
  @ApiProperty() listingId: string;
  @ApiProperty() listingTitle: string;
  @ApiPropertyOptional({ enum: TechnicalField, nullable: true }) technicalField: string | null;
  @ApiProperty() sellerOrganizationId: string;
  @ApiProperty({ enum: AuctionKind }) kind: AuctionKind;
  @ApiProperty({ enum: AuctionStatus }) status: AuctionStatus;
  @ApiProperty() startingPriceFen: number;
  @ApiPropertyOptional({ description: 'Only to the seller and admins', type: Number, nullable: true })
  reservePriceFen?: number | null;
  @ApiProperty() incrementFen: number;
  @ApiProperty() depositFen: number;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'English: the highest accepted bid; sealed: hidden until the close',
  })
  currentPriceFen: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) minimumNextBidFen: number | null;
  @ApiProperty() bidCount: number;
  @ApiProperty({ type: String, isArray: true, nullable: true }) allowedBuyerOrganizationIds: string[] | null;
  @ApiPropertyOptional({ type: String, nullable: true }) winnerOrganizationId: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) finalPriceFen: number | null;
}

export class BidView {
  @ApiProperty() id: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) seq: number | null;
  @ApiProperty() amountFen: number;
  @ApiProperty() bidderOrganizationId: string;
  @ApiProperty() createdAt: string;
}

/** `GET /auctions`: every filter optional, newest start first. */
export class AuctionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AuctionStatus })
  @IsOptional()
  @IsEnum(AuctionStatus)
  status?: AuctionStatus;

  @ApiPropertyOptional({ enum: AuctionKind })
  @IsOptional()
  @IsEnum(AuctionKind)
  kind?: AuctionKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  listingId?: string;

  @ApiPropertyOptional({ enum: TechnicalField, description: 'The listing’s technical field' })
  @IsOptional()
  @IsEnum(TechnicalField)
  field?: TechnicalField;
}

export class AuctionPage {
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: AuctionView, isArray: true }) items: AuctionView[];
}

export class BidPage {
  @ApiProperty({ description: 'Bids the caller may see, over every page' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: BidView, isArray: true }) items: BidView[];
}
