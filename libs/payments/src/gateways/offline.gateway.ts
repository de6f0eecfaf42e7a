import { Injectable } from '@nestjs/common';
import { DepositMethod } from '../domain/deposit-state';
import { GatewayDeposit, GatewayOpening, PaymentGateway } from './payment-gateway';

/**
 * Bank transfer (线下转账). Money moves outside the system: the payer quotes the reference on the
 * transfer, a broker or admin records its arrival, and a released deposit is refunded by the
 * market's finance staff. So every call here is bookkeeping only.
 */
@Injectable()
export class OfflineGateway implements PaymentGateway {
  readonly method = DepositMethod.Offline;

  async open(deposit: GatewayDeposit): Promise<GatewayOpening> {
    return { bankTransfer: { reference: OfflineGateway.referenceOf(deposit.id) } };
  }

  async release(): Promise<'released'> {
    return 'released';
  }

  async capture(): Promise<void> {}

  /** Short enough to type into a bank's remark field, derived from the id so a retry quotes the same. */
  static referenceOf(depositId: string): string {
    return `BZJ-${depositId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  }
}
