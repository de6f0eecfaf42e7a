import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { filingDateProblem, IpKind, ipNumberProblem, IpLegalStatus } from '../domain/ip-item';
import { ListingStatus } from '../domain/listing-state';
import { Maturity, PricingMode, TechnicalField, TransferMode } from '../domain/vocabulary';

/** 100 billion yuan: far above any real deal, low enough to be safe in JSON numbers. */
export const MAX_PRICE_FEN = 10_000_000_000_000;

/** Why an IP item's number is refused, or null; a number that is not a string is refused as such (JSON 123). */
function numberProblem(item: IpItemInput, value: unknown): string | null {
  if (value !== undefined && value !== null && typeof value !== 'string') return 'must be a string';
  return ipNumberProblem(item.kind, (value as string | null | undefined) ?? undefined);
}

function IsIpNumberForKind() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIpNumberForKind',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          numberProblem(args.object as IpItemInput, value) === null,
        defaultMessage: (args: ValidationArguments) =>
          `number ${numberProblem(args.object as IpItemInput, args.value) ?? 'is invalid'}`,
      },
    });
}

function IsFilingDateForItem() {
  const problem = (args: ValidationArguments) => {
    const item = args.object as IpItemInput;
    return filingDateProblem(item.kind, item.number, args.value);
  };
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isFilingDateForItem',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problem(args) === null,
        defaultMessage: (args: ValidationArguments) => `filingDate ${problem(args) ?? 'is invalid'}`,
      },
    });
}

export class IpItemInput {
  @ApiProperty({ enum: IpKind, enumName: 'IpKind' })
  @IsEnum(IpKind)
  kind: IpKind;

  @ApiPropertyOptional({
    example: 'ZL202310123456.6',
    description: 'Checked by kind; a patent number’s check character is verified',
  })
  @IsOptional()
  @IsIpNumberForKind()
  number?: string;

  @ApiProperty({ enum: IpLegalStatus, enumName: 'IpLegalStatus' })
  @IsEnum(IpLegalStatus)
  legalStatus: IpLegalStatus;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    format: 'date',
    example: '2023-03-15',
    description:
      '申请日 (filing date): the statutory term of a patent runs from it (the contract drafted from a deal carries it); a patent number’s year must match; never on know-how',
  })
  @IsOptional()
  @IsFilingDateForItem()
  filingDate?: string | null;
}

export class CreateListingInput {
  @ApiProperty({ example: '高能量密度锂电池正极材料制备技术' })
  @IsString()
  @Length(4, 200)
  title: string;

  @ApiProperty()
  @IsString()
  @Length(10, 5000)
  summary: string;

  @ApiProperty({ enum: TechnicalField, enumName: 'TechnicalField' })
  @IsEnum(TechnicalField)
  technicalField: TechnicalField;

  @ApiProperty({ enum: Maturity, enumName: 'Maturity' })
  @IsEnum(Maturity)
  maturity: Maturity;

  @ApiProperty({ type: IpItemInput, isArray: true })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IpItemInput)
  ipItems: IpItemInput[];

  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(TransferMode, { each: true })
  transferModes: TransferMode[];

  @ApiProperty({ enum: PricingMode, enumName: 'PricingMode' })
  @IsEnum(PricingMode)
  pricingMode: PricingMode;

  @ApiPropertyOptional({ description: 'Integer fen; required to submit a listed-price or auction listing' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PRICE_FEN)
  askingPriceFen?: number;

  @ApiPropertyOptional({ description: 'Seen by the seller’s organization only' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  internalNote?: string;
}

/**
 * Every field may be left out of an edit, but a field that is sent is validated as on creation:
 * `null` for a required field (title, ipItems …) is refused by name rather than reaching the
 * NOT NULL column. The optional fields (askingPriceFen, internalNote) may be cleared with null.
 */
export class UpdateListingInput extends PartialType(CreateListingInput, { skipNullProperties: false }) {}

export class SellerView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
}

const timestamp = { type: String, format: 'date-time', nullable: true } as const;

export class ListingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ enum: TechnicalField, enumName: 'TechnicalField' }) technicalField: TechnicalField;
  @ApiProperty({ example: '新材料' }) technicalFieldLabel: string;
  @ApiProperty({ enum: Maturity, enumName: 'Maturity' }) maturity: Maturity;
  @ApiProperty({ type: IpItemInput, isArray: true }) ipItems: IpItemInput[];
  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode', isArray: true }) transferModes: TransferMode[];
  @ApiProperty({ enum: PricingMode, enumName: 'PricingMode' }) pricingMode: PricingMode;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Integer fen' }) askingPriceFen: number | null;
  @ApiProperty({ example: '430100' }) regionCode: string;
  @ApiProperty({ enum: ListingStatus, enumName: 'ListingStatus' }) status: ListingStatus;
  @ApiProperty({ type: SellerView }) seller: SellerView;
  @ApiProperty({ ...timestamp, description: 'When an admin approved it' }) publishedAt: string | null;
  @ApiProperty(timestamp) announcementEndsAt: string | null;
  @ApiProperty({ description: 'True while an objection stops the announcement clock' }) announcementPaused: boolean;
  @ApiProperty(timestamp) openedAt: string | null;
  @ApiProperty(timestamp) listingPeriodEndsAt: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The listing’s latest auction (GET /auctions/:id); null if it was never auctioned',
  })
  auctionId: string | null;
  @ApiProperty({
    type: 'integer',
    description: 'How many negotiations (协议定价) are open on it; never with whom or at what price',
  })
  openNegotiations: number;
}

/** What the seller's own organization (and admins) see in addition. */
export class OwnListingView extends ListingView {
  @ApiProperty({ type: String, nullable: true }) internalNote: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected, withdrawn or closed' })
  closedReason: string | null;
}
