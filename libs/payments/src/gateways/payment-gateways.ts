import { Injectable } from '@nestjs/common';
import { DepositMethod } from '../domain/deposit-state';
import { PaymentsErrors } from '../payments.errors';
import { OfflineGateway } from './offline.gateway';
import { PaymentGateway } from './payment-gateway';
import { StripeGateway } from './stripe.gateway';

/** Picks the adapter for a way of paying; card payments only when Stripe is configured. */
@Injectable()
export class PaymentGateways {
  constructor(
    private readonly stripe: StripeGateway,
    private readonly offline: OfflineGateway,
  ) {}

  /** Card when the market takes cards, bank transfer otherwise. */
  get defaultMethod(): DepositMethod {
    return this.stripe.configured ? DepositMethod.Stripe : DepositMethod.Offline;
  }

  for(method: DepositMethod): PaymentGateway {
    if (method === DepositMethod.Offline) return this.offline;
    if (!this.stripe.configured) throw PaymentsErrors.stripeNotConfigured();
    return this.stripe;
  }
}
