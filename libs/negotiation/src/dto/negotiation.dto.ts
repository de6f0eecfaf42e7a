import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@market/http';
import { regionCodeProblem } from '@market/identity';
import { ObjectionStatus, TransferMode } from '@market/listing';
import { NegotiationStatus, Side } from '../domain/negotiation-state';
import { OfferStatus } from '../domain/offer-state';

const MAX_FEN = 10_000_000_000_000;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** `nationwide`, or a list of 6-digit administrative division codes. */
function IsTerritory() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTerritory',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) =>
          value === 'nationwide' ||
          (Array.isArray(value) &&
            value.length > 0 &&
            value.length <= 50 &&
            value.every((code) => typeof code === 'string' && regionCodeProblem(code) === null)),
        defaultMessage: (args) =>
          `${args?.property} must be "nationwide" or a list of 1 to 50 six-digit region codes (430100 …)`,
      },
    });
}

const territorySchema = {
  oneOf: [
    { type: 'string', enum: ['nationwide'] },
    { type: 'array', items: { type: 'string', pattern: '^\\d{6}$' } },
  ],
  description: '`nationwide`, or 6-digit region codes (430000 covers all of Hunan)',
};

export class LicenseInput {
  @ApiProperty({
    example: '动力电池正极材料生产',
    description: 'Field of use; `all fields` (全部领域) covers every one',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fieldOfUse: string;

  @ApiProperty(territorySchema)
  @IsTerritory()
  territory: string[] | 'nationwide';

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1200 })
  @IsInt()
  @Min(1)
  @Max(1200)
  termMonths: number;

  @ApiProperty({ enum: ['exclusive', 'sole', 'non_exclusive'] })
  @IsIn(['exclusive', 'sole', 'non_exclusive'])
  exclusivity: 'exclusive' | 'sole' | 'non_exclusive';
}

export class InstalmentInput {
  @ApiProperty({ type: 'integer', minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen: number;

  @ApiProperty({ example: '2027-03-31', description: 'A calendar date (Asia/Shanghai)' })
  @Matches(DATE, { message: 'dueOn must be a date, YYYY-MM-DD' })
  dueOn: string;
}

/**
 * One of three schedules, by `kind`: `lump_sum` (optional `dueOn`), `instalments` (summing to the
 * price) or `royalty` (入门费 + 提成: `downPaymentFen` equal to the price, then
 * `royaltyBasisPoints` of sales for `royaltyTermMonths`).
 */
export class PaymentScheduleInput {
  @ApiProperty({ enum: ['lump_sum', 'instalments', 'royalty'] })
  @IsIn(['lump_sum', 'instalments', 'royalty'])
  kind: 'lump_sum' | 'instalments' | 'royalty';

  @ApiPropertyOptional({ example: '2027-01-31', description: 'lump_sum: when it is due' })
  @IsOptional()
  @Matches(DATE, { message: 'dueOn must be a date, YYYY-MM-DD' })
  dueOn?: string;

  @ApiPropertyOptional({ type: InstalmentInput, isArray: true, description: 'instalments: summing to the price' })
  @ValidateIf((o: PaymentScheduleInput) => o.kind === 'instalments' || o.instalments !== undefined)
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => InstalmentInput)
  instalments?: InstalmentInput[];

  @ApiPropertyOptional({ type: 'integer', description: 'royalty: the down payment (入门费), equal to the price' })
  @ValidateIf((o: PaymentScheduleInput) => o.kind === 'royalty' || o.downPaymentFen !== undefined)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  downPaymentFen?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, description: 'royalty: share of sales (提成)' })
  @ValidateIf((o: PaymentScheduleInput) => o.kind === 'royalty' || o.royaltyBasisPoints !== undefined)
  @IsInt()
  @Min(1)
  @Max(10_000)
  royaltyBasisPoints?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1200 })
  @ValidateIf((o: PaymentScheduleInput) => o.kind === 'royalty' || o.royaltyTermMonths !== undefined)
  @IsInt()
  @Min(1)
  @Max(1200)
  royaltyTermMonths?: number;
}

export class OfferInput {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Integer fen' })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  priceFen: number;

  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode', description: 'One the listing offers' })
  @IsEnum(TransferMode)
  transferMode: TransferMode;

  @ApiPropertyOptional({ type: LicenseInput, description: 'Required for a license, refused otherwise' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenseInput)
  license?: LicenseInput;

  @ApiProperty({ type: PaymentScheduleInput })
  @ValidateNested()
  @Type(() => PaymentScheduleInput)
  paymentSchedule: PaymentScheduleInput;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'How many days the offer stands; at most (and by default) OFFER_VALIDITY_DAYS',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  validityDays?: number;
}

export class OpenNegotiationInput extends OfferInput {
  @ApiProperty({ format: 'uuid', description: 'An open listing priced by negotiation' })
  @IsUUID()
  listingId: string;
}

export class CounterOfferInput extends OfferInput {
  @ApiProperty({ format: 'uuid', description: 'The standing offer this one answers' })
  @IsUUID()
  replyToOfferId: string;
}

export class RejectOfferInput {
  @ApiProperty({ example: '价格与评估值差距过大，暂不考虑转让' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class WithdrawInput {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The standing offer as the caller saw it: refused (OFFER_SUPERSEDED) if another replaced it',
  })
  @IsOptional()
  @IsUUID()
  offerId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class MessageInput {
  @ApiProperty({ example: '专利年费已缴至2027年，可提供缴费凭证。' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body: string;
}

export class CommissionInput {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, description: 'A rate of the price' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  rateBasisPoints?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Or a fixed sum, in fen' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  fixedFen?: number;

  @ApiProperty({ enum: ['seller', 'buyer'] })
  @IsIn(['seller', 'buyer'])
  paidBy: 'seller' | 'buyer';
}

export class InviteBrokerInput {
  @ApiProperty({ format: 'uuid', description: 'A user with the broker role in a technology transfer agency' })
  @IsUUID()
  brokerUserId: string;

  @ApiProperty({ type: CommissionInput, description: 'Exactly one of rateBasisPoints and fixedFen' })
  @ValidateNested()
  @Type(() => CommissionInput)
  commission: CommissionInput;
}

export class NegotiationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NegotiationStatus, enumName: 'NegotiationStatus' })
  @IsOptional()
  @IsEnum(NegotiationStatus)
  state?: NegotiationStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  listingId?: string;
}

export class PriceObjectionInput {
  @ApiProperty({ example: '成交价明显低于同类专利评估值' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class PriceObjectionRulingInput {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  decision: 'upheld' | 'dismissed';

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export const PRICE_ANNOUNCEMENT_STATES = ['running', 'final', 'annulled'] as const;
export type PriceAnnouncementState = (typeof PRICE_ANNOUNCEMENT_STATES)[number];

export class PriceAnnouncementQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PRICE_ANNOUNCEMENT_STATES, description: 'Running now, or ended final or annulled' })
  @IsOptional()
  @IsIn(PRICE_ANNOUNCEMENT_STATES)
  state?: PriceAnnouncementState;
}

// ---- views ----

const uuid = { format: 'uuid' } as const;
const fen = { type: 'integer', description: 'Integer fen' } as const;
const nullableDate = { type: String, format: 'date-time', nullable: true } as const;

export class LicenseView {
  @ApiProperty() fieldOfUse: string;
  @ApiProperty(territorySchema) territory: string[] | 'nationwide';
  @ApiProperty({ type: 'integer' }) termMonths: number;
  @ApiProperty({ enum: ['exclusive', 'sole', 'non_exclusive'] }) exclusivity: 'exclusive' | 'sole' | 'non_exclusive';
}

export class InstalmentView {
  @ApiProperty(fen) amountFen: number;
  @ApiProperty({ example: '2027-03-31' }) dueOn: string;
}

export class PaymentScheduleView {
  @ApiProperty({ enum: ['lump_sum', 'instalments', 'royalty'] }) kind: 'lump_sum' | 'instalments' | 'royalty';
  @ApiPropertyOptional({ type: String, nullable: true, description: 'lump_sum' }) dueOn?: string | null;
  @ApiPropertyOptional({ type: InstalmentView, isArray: true, description: 'instalments' })
  instalments?: InstalmentView[];
  @ApiPropertyOptional({ ...fen, description: 'royalty' }) downPaymentFen?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'royalty' }) royaltyBasisPoints?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'royalty' }) royaltyTermMonths?: number;
}

export class CommissionView {
  @ApiProperty(uuid) brokerOrganizationId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) brokerUserId: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) rateBasisPoints: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) fixedFen: number | null;
  @ApiProperty({ enum: ['seller', 'buyer'] }) paidBy: 'seller' | 'buyer';
}

/** The deal as `trade.agreed` carries it (`AgreedTerms`). */
export class AgreedTermsView {
  @ApiProperty(fen) priceFen: number;
  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode' }) transferMode: string;
  @ApiProperty({ type: LicenseView, nullable: true }) license: LicenseView | null;
  @ApiProperty({ type: PaymentScheduleView }) paymentSchedule: PaymentScheduleView;
  @ApiProperty({ type: CommissionView, nullable: true }) commission: CommissionView | null;
  @ApiProperty(fen) depositAppliedFen: number;
}

export class OfferView {
  @ApiProperty(uuid) id: string;
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ enum: Side, description: 'Whose offer it is' }) side: Side;
  @ApiProperty({ enum: OfferStatus, enumName: 'OfferStatus' }) status: OfferStatus;
  @ApiProperty(fen) priceFen: number;
  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode' }) transferMode: string;
  @ApiProperty({ type: LicenseView, nullable: true }) license: LicenseView | null;
  @ApiProperty({ type: PaymentScheduleView }) paymentSchedule: PaymentScheduleView;
  @ApiProperty({ type: 'integer' }) validityDays: number;
  @ApiProperty({ ...nullableDate, description: 'Null while a broker’s proposal awaits confirmation' })
  expiresAt: string | null;
  @ApiProperty({ description: 'Proposed by the invited broker on its client’s behalf' }) viaBroker: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) replyToOfferId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected' }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PartyView {
  @ApiProperty(uuid) organizationId: string;
  @ApiProperty() name: string;
}

export class CommissionTermsView {
  @ApiProperty({ type: 'integer', nullable: true }) rateBasisPoints: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) fixedFen: number | null;
  @ApiProperty({ enum: ['seller', 'buyer'] }) paidBy: 'seller' | 'buyer';
}

export class BrokerView {
  @ApiProperty(uuid) userId: string;
  @ApiProperty(uuid) organizationId: string;
  @ApiProperty({ enum: Side, description: 'The party it acts for' }) clientSide: Side;
  @ApiProperty({ type: CommissionTermsView }) commission: CommissionTermsView;
}

export class NegotiationSummaryView {
  @ApiProperty(uuid) id: string;
  @ApiProperty(uuid) listingId: string;
  @ApiProperty() listingTitle: string;
  @ApiProperty({ enum: NegotiationStatus, enumName: 'NegotiationStatus' }) status: NegotiationStatus;
  @ApiProperty({ type: PartyView }) seller: PartyView;
  @ApiProperty({ type: PartyView }) buyer: PartyView;
  @ApiProperty({ enum: ['buyer', 'seller', 'broker', 'admin'], description: 'In which capacity the caller sees it' })
  yourRole: 'buyer' | 'seller' | 'broker' | 'admin';
  @ApiProperty({
    type: String,
    enum: Side,
    nullable: true,
    description: 'Who must answer now',
  })
  awaitingAnswerFrom: Side | null;
  @ApiProperty({ type: OfferView, nullable: true, description: 'The standing offer' }) currentOffer: OfferView | null;
  @ApiProperty({ type: BrokerView, nullable: true }) broker: BrokerView | null;
  @ApiProperty({ type: AgreedTermsView, nullable: true }) agreedTerms: AgreedTermsView | null;
  @ApiProperty(nullableDate) agreedAt: string | null;
  @ApiProperty({ ...nullableDate, description: 'When the price announcement ends (public institutions)' })
  announcementEndsAt: string | null;
  @ApiProperty({ description: 'True while an objection stops the announcement clock' }) announcementPaused: boolean;
  @ApiProperty(nullableDate) finalAt: string | null;
  @ApiProperty(nullableDate) endedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) endedReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class NegotiationView extends NegotiationSummaryView {
  @ApiProperty({
    type: OfferView,
    isArray: true,
    description:
      'Every offer, oldest first; a broker’s unconfirmed proposals only to its client, the broker and admins',
  })
  offers: OfferView[];
}

export class NegotiationPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: NegotiationSummaryView, isArray: true }) items: NegotiationSummaryView[];
}

export class MessageView {
  @ApiProperty(uuid) id: string;
  @ApiProperty(uuid) authorUserId: string;
  @ApiProperty(uuid) authorOrganizationId: string;
  @ApiProperty({ enum: ['buyer', 'seller', 'broker'] }) authorRole: string;
  @ApiProperty() body: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A deal's price announcement (交易价格公示): public by law. */
export class PriceAnnouncementView {
  @ApiProperty({ ...uuid, description: 'The negotiation whose deal is announced' }) id: string;
  @ApiProperty(uuid) listingId: string;
  @ApiProperty({ description: 'The achievement’s name' }) achievement: string;
  @ApiProperty() sellerName: string;
  @ApiProperty() buyerName: string;
  @ApiProperty({ enum: TransferMode, enumName: 'TransferMode' }) transferMode: string;
  @ApiProperty(fen) priceFen: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ ...nullableDate, description: 'Null while an objection stops the clock' }) endsAt: string | null;
  @ApiProperty() paused: boolean;
  @ApiProperty({ enum: PRICE_ANNOUNCEMENT_STATES }) state: PriceAnnouncementState;
  @ApiProperty({ type: 'integer' }) openObjections: number;
}

export class PriceAnnouncementPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) offset: number;
  @ApiProperty({ type: PriceAnnouncementView, isArray: true }) items: PriceAnnouncementView[];
}

export class PriceObjectionView {
  @ApiProperty(uuid) id: string;
  @ApiProperty({ ...uuid, description: 'The announcement (its negotiation)' }) announcementId: string;
  @ApiProperty(uuid) objectorOrganizationId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ObjectionStatus, enumName: 'ObjectionStatus' }) status: ObjectionStatus;
  @ApiProperty({ type: String, nullable: true }) rulingReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
