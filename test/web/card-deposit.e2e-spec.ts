import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { createAuction, runAuctionJob, verifiedBuyer } from '../support/auctions';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { verifyOrganization } from '../support/listings';
import { startWorker } from '../support/market';
import { deliverStripeEvent, StripeFake, startStripeFake } from '../support/stripe-fake';
import { createTestEnvironment } from '../support/test-env';

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const PUBLISHABLE_KEY = `pk_test_${randomBytes(12).toString('hex')}`;
const MINUTE = 60_000;
const DECLINED_CARD = '4000000000000002';
const GOOD_CARD = '4242424242424242';

/**
 * What Stripe.js does in the payer's browser, played by the test: the card field (an input where
 * Stripe mounts its own frame) and `confirmCardPayment`, which hands the client secret and the card
 * number to the test; the test has the Stripe fake authorise or decline the intent and delivers the
 * webhook Stripe would send. The page loads it from Stripe's address, as it would the real one.
 */
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
              input.setAttribute('autocomplete', 'cc-number');
              input.className = 'fake-stripe-card';
              input.dataset.publishableKey = publishableKey;
              element.appendChild(input);
            },
            on: function () {},
            destroy: function () { if (input) input.remove(); },
          };
        },
      };
    },
    confirmCardPayment: function (clientSecret) {
      return window.fakeStripeConfirm(clientSecret, input ? input.value : '').then(function (declined) {
        if (!declined) return { paymentIntent: { status: 'requires_capture' } };
        return { error: { type: 'card_error', code: 'card_declined',
          message: locale === 'zh' ? '您的银行卡被拒绝。' : 'Your card was declined.' } };
      });
    },
  };
};`;

describe('web: a deposit paid by card in the auction room', () => {
  const clock = new FakeClock();
  let stripeFake: StripeFake;
  let market: WebMarket;
  let worker: INestApplicationContext;
  let buyer: Account;
  let auctionId: string;

  beforeAll(async () => {
    stripeFake = await startStripeFake();
    const env = await createTestEnvironment({
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      STRIPE_API_URL: stripeFake.url,
    });
    market = await startWebMarket({ clock, env });
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(market.api, env);
    const seller = await registerAccount(market.api, { roles: [Role.Seller] });
    await verifyOrganization(market.api, admin, seller.organizationId);
    auctionId = await createAuction({ api: market.api, worker, env, clock, seller, admin });
    buyer = await verifiedBuyer(market.api, admin);
    clock.advance(2 * MINUTE);
    await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
    await market?.env.close();
    await stripeFake?.close();
  });

  /** A page whose Stripe.js is the test's, confirming through the Stripe fake and the webhook. */
  async function payerPage(): Promise<{ page: Page; confirmed: string[] }> {
    const page = await newPage(market);
    const confirmed: string[] = [];
    await page
      .context()
      .route('https://js.stripe.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'application/javascript', body: FAKE_STRIPE_JS }),
      );
    await page.exposeFunction('fakeStripeConfirm', async (clientSecret: string, number: string) => {
      const intentId = clientSecret.split('_secret_')[0];
      confirmed.push(intentId);
      const declined = number.replace(/\s/g, '') === DECLINED_CARD;
      const intent = declined ? stripeFake.decline(intentId) : stripeFake.authorise(intentId);
      const type = declined ? 'payment_intent.payment_failed' : 'payment_intent.amount_capturable_updated';
      await deliverStripeEvent(market.api, stripeFake.event(type, intent), WEBHOOK_SECRET).expect(200);
      return declined;
    });
    await signIn(page, market, buyer.email, PASSWORD);
    return { page, confirmed };
  }

  const status = (page: Page) => page.getByTestId('deposit-status').locator('.ant-tag').innerText();

  it('authorises a hold on a card after a declined one, and lets the buyer bid once Stripe reports it', async () => {
    const { page, confirmed } = await payerPage();
    await page.goto(`${market.baseUrl}/auctions/${auctionId}`);
    const cardButton = page.getByRole('button', { name: /^银行卡缴纳保证金（¥1,000）$/ });
    await poll(() => cardButton.count()).toBe(1);
    expect(await page.getByRole('button', { name: /^缴纳保证金（银行转账）/ }).count()).toBe(1);

    // Pay by card: the deposit is asked for, and Stripe's card field appears.
    await cardButton.focus();
    await page.keyboard.press('Enter');
    await poll(() => status(page)).toBe('待缴纳');
    const number = page.locator('.fake-stripe-card');
    await poll(() => number.count()).toBe(1);
    expect(await number.getAttribute('data-publishable-key')).toBe(PUBLISHABLE_KEY);
    await inBothLanguages(page, 'card-deposit-form', async (lang) => {
      await poll(() => page.locator('.card-payment').innerText()).toContain(
        lang === 'zh' ? '授权冻结 ¥1,000' : 'Authorise a hold of ¥1,000',
      );
    });

    // A declined card: Stripe's refusal at the card form, by its code.
    await page.locator('.fake-stripe-card').fill(DECLINED_CARD);
    await page.getByRole('button', { name: '授权冻结 ¥1,000' }).click();
    await poll(() => page.locator('.card-payment [role="alert"]').innerText()).toBe(
      '您的银行卡被拒绝。（card_declined）',
    );
    expect(confirmed).toHaveLength(1);

    // Stripe told the market too: the deposit failed; the buyer may pay again.
    await page.reload();
    await poll(() => status(page)).toBe('失败');
    await poll(() => page.getByTestId('deposit-status').innerText()).toContain('Your card was declined.');
    await inBothLanguages(page, 'card-deposit-failed', async (lang) => {
      await poll(() => page.locator('main').innerText()).toContain(
        lang === 'zh' ? '该保证金未能冻结，可重新缴纳' : 'This deposit holds nothing; you may pay again',
      );
    });

    await page.getByRole('button', { name: /^银行卡缴纳保证金/ }).click();
    await poll(() => status(page)).toBe('待缴纳');
    await poll(() => page.locator('.fake-stripe-card').count()).toBe(1);
    await page.locator('.fake-stripe-card').fill(GOOD_CARD);
    await page.getByRole('button', { name: '授权冻结 ¥1,000' }).click();
    await poll(() => status(page)).toBe('已冻结');
    expect(confirmed).toHaveLength(2);
    expect(confirmed[1]).not.toBe(confirmed[0]); // a new intent for the new deposit
    await inBothLanguages(page, 'card-deposit-held', async (lang) => {
      await poll(() => status(page)).toBe(lang === 'zh' ? '已冻结' : 'Held');
    });

    // The held card deposit lets the buyer bid.
    await page.getByRole('button', { name: '出价', exact: true }).click();
    await poll(() => page.getByTestId('current-price').innerText()).toBe('¥1万');

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await poll(() => status(page)).toBe('已冻结');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  });
});
