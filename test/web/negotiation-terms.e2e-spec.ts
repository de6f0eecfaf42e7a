import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { bearer } from '../support/listings';
import { http, startWorker } from '../support/market';
import { type NegotiationMarket, openNegotiatedListing, verified } from '../support/negotiations';

/**
 * The offer form's other terms and the parties' other moves: a buyer's first offer licensing two
 * prefectures, paid in instalments (the API's refusal of a wrong sum shown at the instalments); the
 * seller invites a broker by the form; the broker's proposal (入门费 + 提成) is confirmed by the seller
 * in the page; the buyer withdraws with a reason.
 */
describe('web: negotiation terms, a broker’s proposal, a withdrawal', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let listingId: string;
  let negotiationUrl: string;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(api, env);
    seller = await verified(api, admin, { roles: [Role.Seller], organizationName: '长沙锂能材料有限公司' });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘潭电池制造有限公司' });
    broker = await verified(api, admin, { roles: [Role.Broker], kind: 'agency', organizationName: '长沙技术转移中心' });
    listingId = await openNegotiatedListing({ api, env, worker, clock, admin } as NegotiationMarket, seller, {
      title: '高镍正极材料连续共沉淀制备技术',
    });
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  const offerTexts = (page: Page) => page.locator('[data-testid^="offer-"]').allInnerTexts();
  const status = (page: Page) => page.getByTestId('negotiation-status').innerText();
  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).fill(option);
    await page.keyboard.press('Enter');
  }

  /** Types a date into a date field and leaves it (Enter would also submit the form). */
  async function date(page: Page, label: string, day: string) {
    await page.getByLabel(label, { exact: true }).fill(day);
    await page.keyboard.press('Tab');
  }

  it('sends an exclusive license for two prefectures paid in instalments, the wrong sum refused at the field', async () => {
    const page = await newPage(market);
    await signIn(page, market, buyer.email, PASSWORD);
    await page.goto(`${market.baseUrl}/listings/${listingId}`);
    await page.getByRole('button', { name: '发起协议磋商' }).click();
    await page.getByLabel('价格（元）').fill('800000');
    await choose(page, '转让方式', '独占许可');
    await choose(page, '许可地域', '指定地区');
    await page.getByLabel('地区代码', { exact: true }).fill('430100、430200');
    await choose(page, '支付方式', '分期支付');
    await page.getByLabel('第1期金额（元）').fill('300000');
    await date(page, '第1期付款日期', '2027-03-31');
    await page.getByLabel('第2期金额（元）').fill('400000');
    await date(page, '第2期付款日期', '2027-09-30');
    await inBothLanguages(page, 'offer-instalments', async (lang) => {
      await poll(() => page.locator('.instalments legend').innerText()).toBe(
        lang === 'zh' ? '分期付款' : 'Instalments',
      );
    });

    // ¥30万 + ¥40万 is not ¥80万: the API names the instalments, the page shows it there.
    await page.getByRole('button', { name: '提交报价' }).click();
    await poll(() => errors(page)).toEqual([expect.stringMatching(/^分期付款不符合要求：the instalments sum to/)]);
    await inBothLanguages(page, 'offer-instalments-refused', async (lang) => {
      await poll(() => errors(page)).toEqual([
        expect.stringMatching(lang === 'zh' ? /^分期付款不符合要求/ : /^Instalments is not valid/),
      ]);
    });

    // A third instalment by keyboard, and the sum is right.
    await page.getByRole('button', { name: '增加一期' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('第3期金额（元）').fill('100000');
    await date(page, '第3期付款日期', '2028-03-31');
    await page.getByRole('button', { name: '提交报价' }).click();
    await page.waitForURL(/\/negotiations\/[0-9a-f-]{36}$/);
    negotiationUrl = page.url();
    await poll(() => offerTexts(page)).toEqual([
      expect.stringMatching(
        /^#1 买方 · ¥80万[\s\S]*独占许可[\s\S]*430100、430200[\s\S]*分期支付 · ¥30万 2027-03-31 · ¥40万 2027-09-30 · ¥10万 2028-03-31/,
      ),
    ]);
  });

  it('lets the seller invite a broker by the form and confirm the broker’s royalty proposal', async () => {
    const page = await newPage(market);
    await signIn(page, market, seller.email, PASSWORD);
    await page.goto(negotiationUrl);
    await poll(() => status(page)).toBe('磋商中');
    await page.getByRole('button', { name: '邀请技术经理人' }).click();
    // Someone who is not a broker: the API's refusal by its code.
    await page.getByLabel('技术经理人账号ID').fill(buyer.userId);
    await page.getByLabel('佣金比例（%）').fill('3');
    await page.getByRole('button', { name: '发出邀请' }).click();
    await poll(() => page.locator('.party-actions').getByRole('alert').first().innerText()).toContain(
      '该账号不是技术转移机构的技术经理人（NEGOTIATION.NOT_A_BROKER）',
    );
    await inBothLanguages(page, 'negotiation-invite-refused', async (lang) => {
      await poll(() => page.locator('.party-actions').getByRole('alert').first().innerText()).toContain(
        lang === 'zh' ? '（NEGOTIATION.NOT_A_BROKER）' : 'That account is not a broker',
      );
    });
    await page.getByLabel('技术经理人账号ID').fill(broker.userId);
    await page.getByRole('button', { name: '发出邀请' }).click();
    await poll(() => page.locator('main').innerText()).toContain('3%（支付方：卖方）');
    expect(await page.getByRole('button', { name: '邀请技术经理人' }).count()).toBe(0);

    // The broker proposes a counter-offer for the seller: 入门费 ¥100万 + 5% of sales for 36 months.
    const negotiationId = negotiationUrl.split('/').pop()!;
    const standing = (
      await http(market.api).get(`/api/v1/negotiations/${negotiationId}`).set(bearer(broker)).expect(200)
    ).body.currentOffer.id as string;
    await http(market.api)
      .post(`/api/v1/negotiations/${negotiationId}/offers`)
      .set(bearer(broker))
      .send({
        priceFen: 1_000_000_00,
        transferMode: 'exclusive_license',
        license: {
          fieldOfUse: '动力电池正极材料',
          territory: ['430100', '430200'],
          termMonths: 60,
          exclusivity: 'exclusive',
        },
        paymentSchedule: {
          kind: 'royalty',
          downPaymentFen: 1_000_000_00,
          royaltyBasisPoints: 500,
          royaltyTermMonths: 36,
        },
        replyToOfferId: standing,
      })
      .expect(201);

    await page.reload();
    const confirm = page.getByRole('button', { name: /^确认技术经理人的提议（#2 ¥100万）$/ });
    await poll(() => confirm.count()).toBe(1);
    await poll(() => offerTexts(page)).toEqual([
      expect.stringMatching(/^#2 卖方 · ¥100万[\s\S]*待委托方确认[\s\S]*入门费＋提成 · ¥100万 \+ 5% · 36个月/),
      expect.stringContaining('#1 买方'),
    ]);
    await inBothLanguages(page, 'negotiation-proposal', async (lang) => {
      await poll(() => page.locator('[data-testid="offer-2"]').innerText()).toContain(
        lang === 'zh' ? '待委托方确认' : 'Awaiting confirmation',
      );
    });
    await confirm.focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('[data-testid="offer-2"] .ant-tag').innerText()).toBe('待答复');
    await poll(() => page.getByTestId('turn').innerText()).toBe('等待对方答复');
    expect(await confirm.count()).toBe(0);
  });

  it('lets the buyer withdraw, with a reason both sides then read', async () => {
    const page = await newPage(market);
    await signIn(page, market, buyer.email, PASSWORD);
    await page.goto(negotiationUrl);
    await poll(() => status(page)).toBe('磋商中');
    await page.getByRole('button', { name: '退出磋商' }).click();
    await inBothLanguages(page, 'negotiation-withdraw', async (lang) => {
      await poll(() =>
        page.getByRole('button', { name: lang === 'zh' ? '确认退出' : 'Confirm withdrawal' }).count(),
      ).toBe(1);
    });
    await page.getByLabel('退出理由（可不填）').fill('提成比例过高');
    await page.getByRole('button', { name: '确认退出' }).click();
    await poll(() => status(page)).toBe('已撤回');
    await poll(() => page.locator('main').innerText()).toContain('提成比例过高');
    expect(await page.getByRole('button', { name: '退出磋商' }).count()).toBe(0);

    const phone = await newPage(market, { width: 390, height: 844 });
    await signIn(phone, market, seller.email, PASSWORD);
    await phone.goto(negotiationUrl);
    await poll(() => status(phone)).toBe('已撤回');
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(phone, 'negotiation-withdrawn-390px');
  });
});
