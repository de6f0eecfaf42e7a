import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DepositMethod, DepositPurpose, DepositStatus } from '../domain/deposit-state';

const timestamp = { type: String, format: 'date-time', nullable: true } as const;

export class DepositView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DepositPurpose, enumName: 'DepositPurpose' }) purpose: DepositPurpose;
  @ApiProperty({ format: 'uuid', description: 'What the deposit is for (an auction)' }) referenceId: string;
  @ApiProperty({ format: 'uuid' }) payerOrganizationId: string;
  @ApiProperty({ type: 'integer', description: 'integer fen (分)' }) amountFen: number;
  @ApiProperty({ enum: ['CNY'] }) currency: 'CNY';
  @ApiProperty({ enum: DepositMethod, enumName: 'DepositMethod' }) method: DepositMethod;
  @ApiProperty({ enum: DepositStatus, enumName: 'DepositStatus' }) status: DepositStatus;
  @ApiProperty({ type: String, nullable: true, description: 'to quote on a bank transfer' })
  offlineReference: string | null;
  @ApiProperty({
    description:
      'money the market still has to pay back: a released bank-transfer deposit, or a payment taken for something called off or ended before it arrived (refundDueAt)',
  })
  refundDue: boolean;
  @ApiProperty({ ...timestamp, description: 'when a captured payment was found to be owed back' })
  refundDueAt: string | null;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty(timestamp) heldAt: string | null;
  @ApiProperty(timestamp) releasedAt: string | null;
  @ApiProperty(timestamp) capturedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class StripeDepositOpening {
  @ApiProperty() paymentIntentId: string;
  @ApiProperty({ description: "for Stripe.js in the payer's browser to confirm the card; shown once" })
  clientSecret: string;
}

export class BankTransferInstructions {
  @ApiProperty({ description: 'to quote in the remark of the transfer' }) reference: string;
  @ApiProperty({ type: 'integer' }) amountFen: number;
  @ApiProperty() instructions: string;
}

/** A new deposit and how its payer completes it: `stripe` for a card, `bankTransfer` for a transfer. */
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
