import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '@market/http';
import { REFUSAL_GROUNDS, RegistrationKind, RegistrationStatus } from '../domain/registration';

const GROUNDS = Object.keys(REFUSAL_GROUNDS);

export class RegistryOfficeInput {
  @ApiProperty({ format: 'uuid', description: 'An organization of kind `registry` with auditor members' })
  @IsUUID()
  organizationId: string;

  @ApiProperty({ example: '02', description: 'Two-digit registration point within the office’s city' })
  @Matches(/^\d{2}$/)
  registrationPoint: string;

  @ApiProperty({ example: ['430100'], description: 'Region codes whose sellers apply to this office' })
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @Matches(/^\d{6}$/, { each: true })
  regionCodes: string[];
}

export class RegistryOfficeView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '430100' }) regionCode: string;
  @ApiProperty({ example: '02' }) registrationPoint: string;
  @ApiProperty({ type: String, isArray: true }) regionCodes: string[];
}

export class CalendarDayInput {
  @ApiProperty({ example: '2027-02-06' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date: string;

  @ApiProperty({ enum: ['holiday', 'workday'] })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiProperty({ example: '春节' })
  @IsString()
  @Length(1, 100)
  name: string;
}

export class CalendarYearInput {
  @ApiProperty({ example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsString()
  @Length(4, 300)
  source: string;

  @ApiProperty({ type: CalendarDayInput, isArray: true, description: 'Every exception to Monday–Friday of the year' })
  @IsArray()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayInput)
  days: CalendarDayInput[];
}

export class CalendarYearView {
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty({
    description: 'False when the year’s notice is not entered: only weekends and fixed-date holidays are known',
  })
  official: boolean;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ type: CalendarDayInput, isArray: true }) days: CalendarDayInput[];
}

export class DecisionInput {
  @ApiProperty({ enum: ['register', 'refuse', 'request_documents', 'confirm_false'] })
  @IsIn(['register', 'refuse', 'request_documents', 'confirm_false'])
  decision: 'register' | 'refuse' | 'request_documents' | 'confirm_false';

  @ApiPropertyOptional({
    enum: GROUNDS,
    isArray: true,
    description: 'Refusal grounds (未予登记), one or more; required to refuse',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(GROUNDS, { each: true })
  grounds?: string[];

  @ApiPropertyOptional({ description: 'Why; required to refuse, confirm false or request documents (which ones)' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  reason?: string;
}

export class ReasonInput {
  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  reason: string;
}

export class ObjectionRulingInput {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'])
  outcome: 'upheld' | 'dismissed';

  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  reason: string;
}

export class RegistrationQueueQuery extends PageQuery {}

export class ScreeningView {
  @ApiProperty({ type: 'object', additionalProperties: true, isArray: true }) findings: Record<string, unknown>[];
  @ApiProperty() note: string;
}

/** An application as the parties, their broker, the office and admins see it. */
export class RegistrationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ type: 'integer' }) contractVersion: number;
  @ApiProperty({ enum: RegistrationKind, enumName: 'RegistrationKind' }) kind: RegistrationKind;
  @ApiProperty({ format: 'uuid' }) officeId: string;
  @ApiProperty({ enum: RegistrationStatus, enumName: 'RegistrationStatus' }) status: RegistrationStatus;
  @ApiProperty({ example: '2026-09-21' }) acceptedOn: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Last working day of the period; null while documents are awaited',
  })
  deadlineOn: string | null;
  @ApiProperty({ type: 'integer' }) workingDays: number;
  @ApiProperty({ type: String, nullable: true }) disputedReason: string | null;
  @ApiProperty({ type: ScreeningView, nullable: true }) screening: ScreeningView | null;
  @ApiProperty({ type: String, nullable: true }) documentsRequested: string | null;
  @ApiProperty({ type: String, isArray: true }) grounds: string[];
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '26430102000123' }) registrationNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) objectionReason: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['upheld', 'dismissed'] }) objectionOutcome: string | null;
  @ApiProperty({ type: String, nullable: true }) objectionRulingReason: string | null;
}

export class RegistrationQueueItemView {
  @ApiProperty({ format: 'uuid' }) registrationId: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ enum: RegistrationKind, enumName: 'RegistrationKind' }) kind: RegistrationKind;
  @ApiProperty({ enum: RegistrationStatus, enumName: 'RegistrationStatus' }) status: RegistrationStatus;
  @ApiProperty() projectName: string;
  @ApiProperty() sellerName: string;
  @ApiProperty() buyerName: string;
  @ApiProperty({ type: 'integer' }) technologyAmountFen: number;
  @ApiProperty() acceptedOn: string;
  @ApiProperty({ type: String, nullable: true }) deadlineOn: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Working days left; negative once overdue' })
  workingDaysLeft: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['overdue', 'due_soon', 'objection'],
    description: 'Why it leads the queue',
  })
  flag: string | null;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: 'integer', description: 'The risk findings of the application being reviewed' })
  screeningFindings: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Risk score 0–100 (null: not screened, or a cancellation)',
  })
  riskScore: number | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'The score reached the configured flag score' })
  riskFlagged: boolean | null;
}

export class RegistrationQueuePage {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: RegistrationQueueItemView, isArray: true }) items: RegistrationQueueItemView[];
}

/** What anyone may check about a registration number: only what its certificate shows. */
export class RegistrationVerificationView {
  @ApiProperty({ example: '26430102000123' }) registrationNumber: string;
  @ApiProperty() projectName: string;
  @ApiProperty({ example: 'transfer' }) contractType: string;
  @ApiProperty({ example: '技术转让' }) contractTypeLabel: string;
  @ApiProperty() sellerName: string;
  @ApiProperty() buyerName: string;
  @ApiProperty({ type: 'integer' }) totalAmountFen: number;
  @ApiProperty({ type: 'integer' }) technologyAmountFen: number;
  @ApiProperty({ type: String, nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) validUntil: string | null;
  @ApiProperty({ example: '2026-10-12' }) registeredOn: string;
  @ApiProperty() officeName: string;
  @ApiProperty({ description: 'Whether the registration still stands (not cancelled)' }) valid: boolean;
}
