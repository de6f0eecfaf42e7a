import type { Provider } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig } from '@market/config';

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/** The Stripe SDK client, or null when no secret key is configured (deposits are then offline only). */
export const stripeClientProvider: Provider = {
  provide: STRIPE_CLIENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Stripe | null => {
    const { secretKey, api } = config.stripe;
    if (!secretKey) return null;
    return new Stripe(secretKey, {
      ...api,
      // Our own idempotency keys make the SDK's retries of a POST safe.
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: 'xiaoxiang-market' },
    });
  },
};
