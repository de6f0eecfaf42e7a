import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DepositsService } from './deposits.service';
import { Deposit } from './entities/deposit.entity';
import { StripeEvent } from './entities/stripe-event.entity';
import { OfflineGateway } from './gateways/offline.gateway';
import { PaymentGateways } from './gateways/payment-gateways';
import { stripeClientProvider } from './gateways/stripe-client';
import { StripeGateway } from './gateways/stripe.gateway';
import { StripeWebhooksService } from './stripe-webhooks.service';

/** Deposits behind a payments port (Stripe or bank transfer). Controllers are registered by the api app. */
@Module({
  imports: [TypeOrmModule.forFeature([Deposit, StripeEvent])],
  providers: [
    stripeClientProvider,
    StripeGateway,
    OfflineGateway,
    PaymentGateways,
    DepositsService,
    StripeWebhooksService,
  ],
  exports: [DepositsService, StripeWebhooksService],
})
export class PaymentsModule {}
