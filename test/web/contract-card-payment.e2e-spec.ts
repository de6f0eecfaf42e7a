import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import { Account, addMember, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { runContractJobs } from '../support/browser-trade';
import { brokerContractInput, createRegistryOffice, signContract } from '../support/contracts';
import { FakeClock } from '../support/fake-clock';
import { bearer } from '../support/listings';
import { http, startWorker } from '../support/market';
import { verified } from '../support/negotiations';
import { deliverStripeEvent, StripeFake, startStripeFake } from '../support/stripe-fake';
import { createTestEnvironment } from '../support/test-env';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const PUBLISHABLE_KEY = `pk_test_${randomBytes(12).toString('hex')}`;

/** Stripe.js in the payer's browser, played by the test (as in the card deposit's test). */
const FAKE_STRIPE_JS = `
window.Stripe = function (publishableKey, options) {
  var locale = (options && options.locale) || 'en';
  var input = null;
  return {
    elements: function () {
      return {
        create: function () {
          return {
            mount: function (element) {
              input = document.createElement('input');
              input.setAttribute('aria-label', locale === 'zh' ? '卡号' : 'Card number');
              input.className = 'fake-stripe-card';
              element.appendChild(input);
            },
            on: function () {},
            destroy: function () { if (input) input.remove(); },
          };
        },
      };
    },
    confirmCardPayment: function (clientSecret) {
      return window.fakeStripeConfirm(clientSecret).then(function () {
        return { paymentIntent: { status: 'succeeded' } };
      });
    },
  };
};`;

function marketDay(clock: FakeClock, days = 0): string {
  const at = new Date(clock.now().getTime() + days * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/**
 * The buyer pays a registered contract's first payment milestone by card on the contract page:
 * Stripe.js charges it at once, Stripe's webhook and the contracts queue mark it paid, and the page
 * shows it paid without a reload.
 */
describe('web: a payment milestone paid by card', () => {
  const clock = new FakeClock();
  let stripeFake: StripeFake;
  let market: WebMarket;
  let worker: INestApplicationContext;
  let buyer: Account;
  let contractId: string;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    const env = await createTestEnvironment({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      STRIPE_API_URL: stripeFake.url,
    });
    market = await startWebMarket({ clock, env });
    const { api } = market;
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(api, env);
    const seller = await verified(api, admin, {
      roles: [Role.Seller],
      kind: 'university',
      organizationName: '中南大学',
    });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    const broker = await registerAccount(api, { roles: [Role.Broker], kind: 'agency' });
    for (const party of [seller, buyer]) {
      await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(party))
        .send({ brokerOrganizationId: broker.organizationId })
        .expect(201);
    }
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    const auditor = await addMember(api, admin, office, [Role.Auditor]);
    const created = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(
        brokerContractInput(seller.organizationId, buyer.organizationId, {
          validFrom: marketDay(clock, -3),
          validUntil: marketDay(clock, 700),
          milestones: [
            { key: 'm1', kind: 'payment', title: '首付款', dueOn: marketDay(clock, 10), amountFen: 300_000 },
            { key: 'm2', kind: 'payment', title: '尾款', dueOn: marketDay(clock, 120), amountFen: 300_000 },
          ],
        }),
      )
      .expect(201);
    contractId = created.body.id as string;
    await signContract(api, contractId, seller, 1).expect(200);
    await signContract(api, contractId, buyer, 1).expect(200);
    await http(api).post(`/api/v1/contracts/${contractId}/submit`).set(bearer(seller)).expect(200);
    await runContractJobs(worker, env, JobName.ContractSubmitted, contractId);
    await http(api)
      .post(`/api/v1/registrations/${contractId}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register', reason: '予以登记' })
      .expect(200);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
    await market?.env.close();
    await stripeFake?.close();
  });

  it('charges the card and shows the milestone paid once the provider and the queue confirm it', async () => {
    const page = await newPage(market);
    const confirmed: string[] = [];
    await page
      .context()
      .route('https://js.stripe.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'application/javascript', body: FAKE_STRIPE_JS }),
      );
    // Stripe charges the card and says so; the contracts queue hears of the captured deposit.
    await page.exposeFunction('fakeStripeConfirm', async (clientSecret: string) => {
      const intentId = clientSecret.split('_secret_')[0];
      confirmed.push(intentId);
      const event = stripeFake.event('payment_intent.succeeded', stripeFake.authorise(intentId));
      await deliverStripeEvent(market.api, event, WEBHOOK_SECRET).expect(200);
      const rows = await market.env.query<{ id: string; payload: unknown }>(
        `SELECT id, payload FROM outbox_event WHERE job_name = $1`,
        [JobName.DepositCaptured],
      );
      for (const row of rows) {
        await worker
          .get(JobDispatcher)
          .run(QueueName.Contracts, { id: row.id, name: JobName.DepositCaptured, data: row.payload });
      }
    });
    await signIn(page, market, buyer.email, PASSWORD);
    await page.goto(`${market.baseUrl}/contracts/${contractId}`);
    const first = page.getByTestId('milestone-m1');
    await poll(() => first.innerText()).toMatch(/首付款[\s\S]*¥3,000[\s\S]*未到期/);
    await first.getByRole('button', { name: '银行卡支付本期款项' }).click();
    await poll(() => page.locator('.fake-stripe-card').count()).toBe(1);
    await inBothLanguages(page, 'contract-card-payment', async (lang) => {
      await poll(() => page.locator('.card-payment').innerText()).toContain(
        lang === 'zh' ? '支付 ¥3,000' : 'Pay ¥3,000',
      );
    });
    await page.locator('.fake-stripe-card').fill('4242424242424242');
    await page.getByRole('button', { name: '支付 ¥3,000' }).click();
    await poll(() => first.innerText()).toMatch(/首付款[\s\S]*已付款/);
    expect(confirmed).toHaveLength(1);
    expect(stripeFake.effects(confirmed[0], 'charge')).toBe(1);
    // The other milestone still offers both ways to pay.
    expect(await page.getByTestId('milestone-m2').getByRole('button', { name: '银行卡支付本期款项' }).count()).toBe(1);
  });
});
