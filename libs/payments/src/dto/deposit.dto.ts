import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DepositMethod, DepositPurpose, DepositStatus } from '../domain/deposit-state';

export class DepositView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DepositPurpose }) purpose: DepositPurpose;
  @ApiProperty({ format: 'uuid' }) referenceId: string;
  @ApiProperty({ format: 'uuid' }) payerOrganizationId: string;
  @ApiProperty({ description: 'integer fen (分)' }) amountFen: number;
  @ApiProperty({ example: 'CNY' }) currency: 'CNY';
  @ApiProperty({ enum: DepositMethod }) method: DepositMethod;
  @ApiProperty({ enum: DepositStatus }) status: DepositStatus;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'to quote on a bank transfer' })
  offlineReference: string | null;
  @ApiProperty({ description: 'a released bank-transfer deposit the market still has to pay back' })
  refundDue: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) failureReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) heldAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) releasedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) capturedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class StripeDepositOpening {
  @ApiProperty() paymentIntentId: string;
  @ApiProperty({ description: "for Stripe.js in the payer's browser to confirm the card; shown once" })
  clientSecret: string;
}

export class BankTransferInstructions {
  @ApiProperty({ description: 'to quote in the remark of the transfer' }) reference: string;
  @ApiProperty() amountFen: number;
  @ApiProperty() instructions: string;
}

/** A new deposit and how its payer completes it. */
export class DepositOpening {
  @ApiProperty({ type: DepositView }) deposit: DepositView;
  @ApiPropertyOptional({ type: StripeDepositOpening }) stripe?: StripeDepositOpening;
  @ApiPropertyOptional({ type: BankTransferInstructions }) bankTransfer?: BankTransferInstructions;
}

/** What another context asks for when it needs a deposit. */
export interface DepositRequest {
  purpose: DepositPurpose | `${DepositPurpose}`;
  referenceId: string;
  payerOrganizationId: string;
  amountFen: number;
  /** Defaults to card when Stripe is configured, else bank transfer. */
  method?: DepositMethod | `${DepositMethod}`;
}
