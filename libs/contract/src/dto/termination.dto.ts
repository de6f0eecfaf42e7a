import { ApiProperty } from '@nestjs/swagger';
import { TerminationStatus } from '../domain/termination';
import { RegistrationView } from './registration.dto';

/** A proposal to end a contract in force by agreement, its answer and the cancellation it opened. */
export class TerminationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ enum: TerminationStatus, enumName: 'TerminationStatus' }) status: TerminationStatus;
  @ApiProperty({ enum: ['seller', 'buyer'] }) proposedBySide: 'seller' | 'buyer';
  @ApiProperty({ format: 'uuid' }) proposedBy: string;
  @ApiProperty({ format: 'date-time' }) proposedAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) answeredBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt: string | null;
  @ApiProperty({ type: String, nullable: true }) answerReason: string | null;
  @ApiProperty({
    type: RegistrationView,
    nullable: true,
    description:
      'The cancellation registration (注销登记) an agreed termination opened; the contract ends when it is registered',
  })
  cancellation: RegistrationView | null;
}
