import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FieldError, isUploadedFile, UploadedFile, ValidationFailedError } from '@market/http';
import { MilestoneKind } from '../domain/contract-content';
import { MilestoneStatus } from '../domain/milestone-state';

/**
 * The deliverable's evidence, as multipart/form-data: the file part `file` (PDF, PNG or JPEG by its
 * bytes, at most 512 KiB) and an optional `note`. Documents the request; `readEvidenceForm` checks it.
 */
export class EvidenceUploadForm {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The evidence file (application/pdf, image/png or image/jpeg, ≤ 512 KiB); its part’s filename is kept',
  })
  file: unknown;

  @ApiPropertyOptional({ maxLength: 2000, description: 'What was delivered, for the record' })
  note?: string;
}

/** The evidence as read from the form. */
export interface EvidenceUpload {
  file: UploadedFile;
  note?: string;
}

/** The form's fields, checked as the validation pipe would check a JSON body (every problem named). */
export function readEvidenceForm(body: unknown): EvidenceUpload {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: FieldError[] = [];
  const file = fields.file;
  if (!isUploadedFile(file)) {
    problems.push({ field: 'file', message: 'file is required: the evidence, as a multipart/form-data file part' });
  } else if (file.fileName.length < 1 || file.fileName.length > 200) {
    problems.push({ field: 'file', message: 'the file part’s filename must be 1 to 200 characters' });
  }
  const note = fields.note;
  if (note !== undefined && (typeof note !== 'string' || note.length > 2000)) {
    problems.push({ field: 'note', message: 'note must be a text field of at most 2000 characters' });
  }
  for (const name of Object.keys(fields)) {
    if (name !== 'file' && name !== 'note')
      problems.push({ field: name, message: `property ${name} should not exist` });
  }
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return { file: file as UploadedFile, ...(note !== undefined && { note: note as string }) };
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
