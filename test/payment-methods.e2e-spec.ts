import { randomBytes } from 'node:crypto';
import { Role } from '@market/identity';
import { Account, createAdmin, registerAccount } from './support/accounts';
import { bearer } from './support/listings';
import { Api, http, startApi } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const PUBLISHABLE_KEY = `pk_test_${randomBytes(12).toString('hex')}`;

/**
 * `GET /api/v1/payments/methods` (public): what the auction room offers a buyer to pay a deposit
 * with. A card needs both Stripe keys: the secret one for the api, the publishable one for Stripe.js.
 */
describe('payment methods (GET /api/v1/payments/methods)', () => {
  let env: TestEnvironment | undefined;
  let api: Api | undefined;

  async function market(overrides: Record<string, string>): Promise<{ api: Api; accounts: (Account | undefined)[] }> {
    await api?.close();
    await env?.close();
    env = await createTestEnvironment({
      STRIPE_SECRET_KEY: '',
      STRIPE_WEBHOOK_SECRET: '',
      STRIPE_PUBLISHABLE_KEY: '',
      ...overrides,
    });
    api = await startApi();
    const admin = await createAdmin(api, env);
    const buyer = await registerAccount(api, { roles: [Role.Buyer] });
    const outsider = await registerAccount(api, { roles: [Role.Seller, Role.Broker] });
    return { api, accounts: [undefined, admin, buyer, outsider] };
  }

  afterAll(async () => {
    await api?.close();
    await env?.close();
  });

  const methods = (on: Api, as?: Account) => {
    const request = http(on).get('/api/v1/payments/methods');
    return (as ? request.set(bearer(as)) : request).expect(200).then((r) => r.body);
  };

  it('offers bank transfers only without Stripe, to everyone', async () => {
    const { api, accounts } = await market({});
    for (const as of accounts) expect(await methods(api, as)).toEqual({ card: null, bankTransfer: true });
  });

  it('offers no card with a secret key but no publishable key (the browser could not confirm it)', async () => {
    const { api } = await market({ STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
    expect(await methods(api)).toEqual({ card: null, bankTransfer: true });
  });

  it('offers a card with both keys, giving the publishable one (never the secret) to everyone', async () => {
    const { api, accounts } = await market({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    });
    for (const as of accounts) {
      const body = await methods(api, as);
      expect(body).toEqual({ card: { publishableKey: PUBLISHABLE_KEY }, bankTransfer: true });
      expect(JSON.stringify(body)).not.toContain(SECRET_KEY);
    }
  });
});
