import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@market/http';
import {
  ContractType,
  MilestoneKind,
  NonTechnicalKind,
  PartyKind,
  Pricing,
  TECHNICAL_FIELDS,
} from '../domain/contract-content';
import { ContractStatus } from '../domain/contract-state';
import { RegistrationView } from './registration.dto';

/** 100 billion yuan: more than any technology contract, well inside a safe integer. */
export const MAX_AMOUNT_FEN = 10_000_000_000_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date, YYYY-MM-DD';
/** Sent: validated (null refused); left out: unchanged. */
const Sent = () => ValidateIf((_, value) => value !== undefined);
const nullableInt = { type: 'integer', nullable: true } as const;

export class NonTechnicalItemInput {
  @ApiProperty({ enum: NonTechnicalKind, enumName: 'NonTechnicalKind' })
  @IsEnum(NonTechnicalKind)
  kind: NonTechnicalKind;

  @ApiProperty({ example: '中试生产线设备一套' })
  @IsString()
  @Length(1, 500)
  description: string;

  @ApiProperty({ type: 'integer', description: 'Integer fen' })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_FEN)
  amountFen: number;
}

export class ContractIpItemInput {
  @ApiProperty({ example: 'invention_patent', description: 'IP kind (listing vocabulary)' })
  @IsString()
  @Length(1, 50)
  kind: string;

  @ApiProperty({ type: String, nullable: true, example: 'ZL202310000001.5' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  number: string | null;

  @ApiProperty({ example: 'granted', description: 'pending, granted, lapsed or invalidated' })
  @IsIn(['pending', 'granted', 'lapsed', 'invalidated'])
  legalStatus: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2023-01-05',
    description: '申请日 (filing date): the statutory term runs from it; without it the number’s year stands in',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  filingDate?: string | null;
}

export class LicenseTermsInput {
  @ApiProperty({ example: '动力电池正极材料生产' })
  @IsString()
  @Length(1, 500)
  fieldOfUse: string;

  @ApiProperty({
    oneOf: [
      { type: 'array', items: { type: 'string', pattern: '^\\d{6}$' } },
      { type: 'string', enum: ['nationwide'] },
    ],
    description: 'Region codes, or "nationwide"',
  })
  @ValidateIf((_, value) => value !== 'nationwide')
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{6}$/, { each: true })
  territory: string[] | 'nationwide';

  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1200)
  termMonths: number;

  @ApiProperty({ enum: ['exclusive', 'sole', 'non_exclusive'] })
  @IsIn(['exclusive', 'sole', 'non_exclusive'])
  exclusivity: 'exclusive' | 'sole' | 'non_exclusive';
}

export class RoyaltyTermInput {
  @ApiProperty({ type: 'integer', description: 'Rate in basis points (500 = 5%)' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  rateBasisPoints: number;

  @ApiProperty({ example: '净销售额 (net sales)' })
  @IsString()
  @MaxLength(200)
  basis: string;

  @ApiProperty({ type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(1200)
  periodMonths: number;
}

export class MilestoneInput {
  @ApiProperty({ example: 'm1', description: 'Stable key, unique within the contract' })
  @Matches(/^[a-z0-9_-]{1,20}$/)
  key: string;

  @ApiProperty({ enum: MilestoneKind, enumName: 'MilestoneKind' })
  @IsEnum(MilestoneKind)
  kind: MilestoneKind;

  @ApiProperty({ example: '交付中试工艺包' })
  @IsString()
  @Length(1, 500)
  title: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE, { message: `dueOn ${DATE_MESSAGE}` })
  dueOn: string | null;

  @ApiProperty({ ...nullableInt, description: 'Integer fen; payment milestones only' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_FEN)
  amountFen: number | null;

  @ApiPropertyOptional({ description: 'Paid before the contract (a deposit applied to the price)' })
  @IsOptional()
  @IsBoolean()
  prepaid?: boolean;
}

/**
 * The content of a contract (registration form JJ-001 fields). Every field may be left out of an
 * edit; a field that is sent replaces the old value. The parties themselves are not edited here.
 */
export class ContractContentInput {
  @ApiPropertyOptional({ enum: ContractType, enumName: 'ContractType' })
  @Sent()
  @IsEnum(ContractType)
  contractType?: ContractType;

  @ApiPropertyOptional({ example: 'patent_right', description: 'Sub-kind of the type (see docs/contract.md)' })
  @Sent()
  @IsString()
  @MaxLength(50)
  subKind?: string;

  @ApiPropertyOptional({ example: '高镍三元正极材料制备技术专利权转让' })
  @Sent()
  @IsString()
  @Length(1, 200)
  projectName?: string;

  @ApiPropertyOptional({ enum: TECHNICAL_FIELDS, enumName: 'TechnicalField' })
  @Sent()
  @IsIn(TECHNICAL_FIELDS)
  technicalField?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: `validFrom ${DATE_MESSAGE}` })
  validFrom?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-12-31' })
  @IsOptional()
  @Matches(DATE, { message: `validUntil ${DATE_MESSAGE}` })
  validUntil?: string | null;

  @ApiPropertyOptional({ type: 'integer', description: '成交额, integer fen' })
  @Sent()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  totalAmountFen?: number;

  @ApiPropertyOptional({ type: 'integer', description: '技术交易额, integer fen' })
  @Sent()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  technologyAmountFen?: number;

  @ApiPropertyOptional({ type: NonTechnicalItemInput, isArray: true })
  @Sent()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => NonTechnicalItemInput)
  nonTechnicalItems?: NonTechnicalItemInput[];

  @ApiPropertyOptional({ ...nullableInt, description: 'Integer fen; mandatory for transfers' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  expectedNewInvestmentFen?: number | null;

  @ApiPropertyOptional({ ...nullableInt, description: 'Integer fen; mandatory for transfers' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  expectedNewOutputFen?: number | null;

  @ApiPropertyOptional({ type: ContractIpItemInput, isArray: true })
  @Sent()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContractIpItemInput)
  ipItems?: ContractIpItemInput[];

  @ApiPropertyOptional({ type: String, nullable: true, description: '政府计划类别' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  governmentPlan?: string | null;

  @ApiPropertyOptional({ type: LicenseTermsInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenseTermsInput)
  license?: LicenseTermsInput | null;

  @ApiPropertyOptional({ enum: Pricing, enumName: 'ContractPricing' })
  @Sent()
  @IsEnum(Pricing)
  pricing?: Pricing;

  @ApiPropertyOptional({ type: RoyaltyTermInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RoyaltyTermInput)
  royalty?: RoyaltyTermInput | null;

  @ApiPropertyOptional({ type: MilestoneInput, isArray: true })
  @Sent()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones?: MilestoneInput[];
}

/** A broker enters a contract for its client(s). */
export class CreateContractInput extends ContractContentInput {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sellerOrganizationId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  buyerOrganizationId: string;

  @ApiPropertyOptional({ ...nullableInt, description: 'Commission rate in basis points of the total' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  commissionRateBasisPoints?: number | null;

  @ApiPropertyOptional({ ...nullableInt, description: 'Fixed commission, integer fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_FEN)
  commissionFixedFen?: number | null;

  @ApiPropertyOptional({ enum: ['seller', 'buyer'], default: 'seller' })
  @IsOptional()
  @IsIn(['seller', 'buyer'])
  commissionPaidBy?: 'seller' | 'buyer';
}

export class AmendContractInput extends ContractContentInput {
  @ApiProperty({ description: 'Why the contract is amended' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class SignContractInput {
  @ApiProperty({ type: 'integer', description: 'The version the signer read: a newer one is a 409' })
  @IsInt()
  @Min(1)
  version: number;
}

export class ContractListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ContractStatus, enumName: 'ContractStatus' })
  @IsOptional()
  @IsEnum(ContractStatus)
  status?: ContractStatus;
}

// ---- views ----

export class ContractPartyView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PartyKind, enumName: 'ContractPartyKind' }) kind: PartyKind;
  @ApiProperty({ example: '430100' }) regionCode: string;
}

export class ContractBrokerView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) userId: string | null;
  @ApiProperty() name: string;
  @ApiProperty(nullableInt) commissionRateBasisPoints: number | null;
  @ApiProperty(nullableInt) commissionFixedFen: number | null;
  @ApiProperty({ enum: ['seller', 'buyer'] }) commissionPaidBy: 'seller' | 'buyer';
}

export class MilestoneView {
  @ApiProperty() key: string;
  @ApiProperty({ enum: MilestoneKind, enumName: 'MilestoneKind' }) kind: MilestoneKind;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) dueOn: string | null;
  @ApiProperty(nullableInt) amountFen: number | null;
  @ApiProperty() prepaid: boolean;
}

export class ContractContentView {
  @ApiProperty({ type: String, enum: Object.values(ContractType), nullable: true })
  contractType: ContractType | null;
  @ApiProperty({ type: String, nullable: true }) subKind: string | null;
  @ApiProperty() projectName: string;
  @ApiProperty({ type: String, nullable: true }) technicalField: string | null;
  @ApiProperty({ type: ContractPartyView }) seller: ContractPartyView;
  @ApiProperty({ type: ContractPartyView }) buyer: ContractPartyView;
  @ApiProperty({ type: ContractBrokerView, nullable: true }) broker: ContractBrokerView | null;
  @ApiProperty({ type: String, nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) validUntil: string | null;
  @ApiProperty({ type: 'integer' }) totalAmountFen: number;
  @ApiProperty({ type: 'integer' }) technologyAmountFen: number;
  @ApiProperty({ type: NonTechnicalItemInput, isArray: true }) nonTechnicalItems: NonTechnicalItemInput[];
  @ApiProperty(nullableInt) expectedNewInvestmentFen: number | null;
  @ApiProperty(nullableInt) expectedNewOutputFen: number | null;
  @ApiProperty({ type: ContractIpItemInput, isArray: true }) ipItems: ContractIpItemInput[];
  @ApiProperty({ type: String, nullable: true }) governmentPlan: string | null;
  @ApiProperty({ type: String, nullable: true }) transferMode: string | null;
  @ApiProperty({ type: LicenseTermsInput, nullable: true }) license: LicenseTermsInput | null;
  @ApiProperty({ enum: Pricing, enumName: 'ContractPricing' }) pricing: Pricing;
  @ApiProperty({ type: RoyaltyTermInput, nullable: true }) royalty: RoyaltyTermInput | null;
  @ApiProperty({ type: MilestoneView, isArray: true }) milestones: MilestoneView[];
}

export class RuleViolationView {
  @ApiProperty({ example: 'TECH_AMOUNT_WITHIN_TOTAL' }) rule: string;
  @ApiProperty({ example: 'technologyAmountFen' }) field: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'The rule’s source (measure, article, form)' }) source: string;
}

export class ContractVersionView {
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'SHA-256 of the canonical content, once signed by either side',
  })
  contentHash: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) sellerSignedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sellerSignedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) buyerSignedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) buyerSignedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) amendmentReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A contract as its parties, broker, office in charge and admins see it. */
export class ContractView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ContractStatus, enumName: 'ContractStatus' }) status: ContractStatus;
  @ApiProperty({ enum: ['listed', 'auction', 'negotiation', 'broker'] }) source: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tradeId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) listingId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The registry office in charge' })
  registryOfficeId: string | null;
  @ApiProperty({ type: 'integer', description: 'The current version' }) version: number;
  @ApiProperty({ type: ContractContentView }) content: ContractContentView;
  @ApiProperty({ type: ContractVersionView, description: 'The current version’s hash and signatures' })
  current: ContractVersionView;
  @ApiProperty({ type: ContractVersionView, isArray: true, description: 'Every version, oldest first' })
  versions: ContractVersionView[];
  @ApiProperty({
    type: RuleViolationView,
    isArray: true,
    description: 'Rules the current content breaks; signing needs none',
  })
  violations: RuleViolationView[];
  @ApiProperty({ type: RegistrationView, nullable: true, description: 'The newest registration application, if any' })
  registration: RegistrationView | null;
  @ApiProperty({ type: String, nullable: true }) closedReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ContractSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ContractStatus, enumName: 'ContractStatus' }) status: ContractStatus;
  @ApiProperty({ enum: ['listed', 'auction', 'negotiation', 'broker'] }) source: string;
  @ApiProperty() projectName: string;
  @ApiProperty({ format: 'uuid' }) sellerOrganizationId: string;
  @ApiProperty({ format: 'uuid' }) buyerOrganizationId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) brokerOrganizationId: string | null;
  @ApiProperty({ type: 'integer' }) totalAmountFen: number;
  @ApiProperty({ type: 'integer' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ContractPage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: ContractSummaryView, isArray: true }) items: ContractSummaryView[];
}

export class BrokerRelationshipInput {
  @ApiProperty({ format: 'uuid', description: 'The agency your organization names its broker' })
  @IsUUID()
  brokerOrganizationId: string;
}

export class BrokerRelationshipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) clientOrganizationId: string;
  @ApiProperty({ format: 'uuid' }) brokerOrganizationId: string;
  @ApiProperty({ format: 'date-time' }) grantedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
}
