import { DepositMethod, DepositStatus } from './domain/deposit-state';
import { DepositView } from './dto/deposit.dto';
import { Deposit } from './entities/deposit.entity';

export function toDepositView(deposit: Deposit): DepositView {
  return {
    id: deposit.id,
    purpose: deposit.purpose,
    referenceId: deposit.referenceId,
    payerOrganizationId: deposit.payerOrganizationId,
    amountFen: deposit.amountFen,
    currency: 'CNY',
    method: deposit.method,
    status: deposit.status,
    offlineReference: deposit.offlineReference,
    refundDue:
      (deposit.method === DepositMethod.Offline && deposit.status === DepositStatus.Released) ||
      deposit.refundDueAt !== null,
    refundDueAt: deposit.refundDueAt?.toISOString() ?? null,
    failureReason: deposit.failureReason,
    heldAt: deposit.heldAt?.toISOString() ?? null,
    releasedAt: deposit.releasedAt?.toISOString() ?? null,
    capturedAt: deposit.capturedAt?.toISOString() ?? null,
    createdAt: deposit.createdAt.toISOString(),
  };
}
