import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { startWorker } from '../support/market';
import { type NegotiationMarket, openNegotiatedListing, verified } from '../support/negotiations';

/**
 * A buyer opens a negotiation from a listing's page with a first offer; the seller, in another
 * browser, finds it in the inbox and counters (the API's refusal of a license term shown at that
 * field); the buyer accepts, and both pages show the deal.
 */
describe('web: a negotiation through its pages', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let seller: Account;
  let buyer: Account;
  let listingId: string;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(api, env);
    seller = await verified(api, admin, { roles: [Role.Seller], organizationName: '长沙锂能材料有限公司' });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘潭电池制造有限公司' });
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
  const turn = (page: Page) => page.getByTestId('turn').innerText();
  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).fill(option);
    await page.keyboard.press('Enter');
  }

  it('opens a negotiation from the listing, takes the seller’s counter-offer and the buyer’s acceptance', async () => {
    // The buyer, on the listing's page: the negotiate entry and a first offer (an assignment, ¥80万).
    const buyerPage = await newPage(market);
    await signIn(buyerPage, market, buyer.email, PASSWORD);
    await buyerPage.goto(`${market.baseUrl}/listings/${listingId}`);
    await buyerPage.getByRole('button', { name: '发起协议磋商' }).click();
    await inBothLanguages(buyerPage, 'negotiation-start', async (lang) => {
      await poll(() =>
        buyerPage.getByRole('button', { name: lang === 'zh' ? '提交报价' : 'Send the offer' }).count(),
      ).toBe(1);
    });
    await buyerPage.getByRole('button', { name: '提交报价' }).click();
    await poll(() => errors(buyerPage)).toEqual(['必填']);
    await buyerPage.getByLabel('价格（元）').fill('800000');
    await choose(buyerPage, '转让方式', '转让');
    await buyerPage.getByRole('button', { name: '提交报价' }).click();
    await buyerPage.waitForURL(/\/negotiations\/[0-9a-f-]{36}$/);
    const negotiationUrl = buyerPage.url();
    await poll(() => status(buyerPage)).toBe('磋商中');
    await poll(() => offerTexts(buyerPage)).toEqual([
      expect.stringMatching(/^#1 买方 · ¥80万[\s\S]*转让[\s\S]*一次性支付/),
    ]);
    expect(await turn(buyerPage)).toBe('等待对方答复');
    await inBothLanguages(buyerPage, 'negotiation-opened', async (lang) => {
      await poll(() => status(buyerPage)).toBe(lang === 'zh' ? '磋商中' : 'Open');
      await poll(() => offerTexts(buyerPage)).toEqual([expect.stringContaining(lang === 'zh' ? '¥80万' : '¥800,000')]);
    });

    await buyerPage.getByLabel('留言内容').fill('可否改为普通许可？');
    await buyerPage.getByRole('button', { name: '发送留言' }).click();
    await poll(() => buyerPage.getByTestId('messages').innerText()).toContain('可否改为普通许可？');
    // Back on the listing's page: the way to the negotiation instead of a second first offer.
    await buyerPage.goto(`${market.baseUrl}/listings/${listingId}`);
    await buyerPage.getByRole('link', { name: '查看磋商' }).click();
    await buyerPage.waitForURL(negotiationUrl);
    expect(await buyerPage.getByRole('button', { name: '发起协议磋商' }).count()).toBe(0);

    // The seller, in another browser: the inbox, filtered by state, then the thread.
    const sellerPage = await newPage(market);
    await signIn(sellerPage, market, seller.email, PASSWORD);
    await sellerPage.goto(`${market.baseUrl}/negotiations`);
    const rows = () => sellerPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => rows()).toEqual([
      expect.stringMatching(
        /高镍正极材料连续共沉淀制备技术\s+湘潭电池制造有限公司\s+卖方\s+磋商中\s+¥80万 · 转让\s+卖方/,
      ),
    ]);
    await choose(sellerPage, '按状态筛选', '已成交');
    await sellerPage.waitForURL(/\?state=final$/);
    await poll(() => sellerPage.locator('.ant-table-tbody').innerText()).toContain('暂无磋商');
    await choose(sellerPage, '按状态筛选', '磋商中');
    await sellerPage.waitForURL(/\?state=open$/);
    await poll(() => rows()).toHaveLength(1);
    await inBothLanguages(sellerPage, 'negotiation-inbox', async (lang) => {
      await poll(() => rows()).toEqual([
        expect.stringContaining(lang === 'zh' ? '¥80万 · 转让' : '¥800,000 · Assignment'),
      ]);
    });
    await sellerPage.getByRole('link', { name: '高镍正极材料连续共沉淀制备技术' }).click();
    await sellerPage.waitForURL(negotiationUrl);
    await poll(() => turn(sellerPage)).toBe('请答复对方的报价');
    await poll(() => sellerPage.getByTestId('messages').innerText()).toMatch(/买方[\s\S]*可否改为普通许可？/);

    // A counter-offer: a non-exclusive license, ¥120万; a term the API refuses is shown at its field.
    await sellerPage.getByRole('button', { name: '还价' }).click();
    await sellerPage.getByLabel('价格（元）').fill('1200000');
    await choose(sellerPage, '转让方式', '普通许可');
    await sellerPage.getByLabel('许可期限（月）').fill('1300');
    await sellerPage.getByRole('button', { name: '提交报价' }).click();
    await poll(() => errors(sellerPage)).toEqual([expect.stringMatching(/^许可期限不符合要求：.*1200/)]);
    expect(await sellerPage.locator('.ant-alert-error').innerText()).toContain('填写的内容有误（VALIDATION_FAILED）');
    await inBothLanguages(sellerPage, 'negotiation-counter-refused', async (lang) => {
      await poll(() => errors(sellerPage)).toEqual([
        expect.stringMatching(lang === 'zh' ? /^许可期限不符合要求/ : /^Term is not valid/),
      ]);
    });
    await sellerPage.getByLabel('许可期限（月）').fill('60');
    await sellerPage.getByRole('button', { name: '提交报价' }).click();
    await poll(() => offerTexts(sellerPage)).toEqual([
      expect.stringMatching(/^#2 卖方 · ¥120万[\s\S]*普通许可[\s\S]*全部领域 · 全国 · 60个月 · 普通/),
      expect.stringMatching(/^#1 买方 · ¥80万[\s\S]*已被还价/),
    ]);
    await poll(() => turn(sellerPage)).toBe('等待对方答复');

    // The buyer: the counter-offer to answer; a rejection needs its reason; then the acceptance.
    await buyerPage.reload();
    await poll(() => turn(buyerPage)).toBe('请答复对方的报价');
    await poll(() => offerTexts(buyerPage)).toHaveLength(2);
    await buyerPage.getByRole('button', { name: '拒绝并结束磋商' }).first().click();
    await buyerPage.getByRole('button', { name: '拒绝并结束磋商' }).last().click();
    await poll(() => errors(buyerPage)).toEqual(['必填']);
    await inBothLanguages(buyerPage, 'negotiation-to-answer', async (lang) => {
      await poll(() => offerTexts(buyerPage)).toEqual([
        expect.stringContaining(lang === 'zh' ? '¥120万' : '¥1,200,000'),
        expect.stringContaining(lang === 'zh' ? '已被还价' : 'Countered'),
      ]);
    });
    await buyerPage.getByRole('button', { name: '接受报价' }).click();
    await poll(() => status(buyerPage)).toBe('已成交');
    expect(await buyerPage.getByTestId('agreed').innerText()).toBe('双方已达成一致：¥120万 · 普通许可');
    expect(await buyerPage.getByTestId('turn').count()).toBe(0);
    await poll(() => offerTexts(buyerPage)).toEqual([
      expect.stringMatching(/^#2 卖方 · ¥120万[\s\S]*已接受/),
      expect.stringMatching(/^#1 买方/),
    ]);
    await inBothLanguages(buyerPage, 'negotiation-agreed', async (lang) => {
      await poll(() => buyerPage.getByTestId('agreed').innerText()).toBe(
        lang === 'zh' ? '双方已达成一致：¥120万 · 普通许可' : 'Both sides agreed: ¥1,200,000 · Non-exclusive license',
      );
    });

    // The seller's pages show the deal too.
    await sellerPage.reload();
    await poll(() => status(sellerPage)).toBe('已成交');
    await sellerPage.goto(`${market.baseUrl}/negotiations?state=final`);
    await poll(() => rows()).toEqual([expect.stringContaining('已成交')]);

    // On a 390-pixel-wide phone neither the inbox nor the thread runs off the side.
    await sellerPage.setViewportSize({ width: 390, height: 844 });
    await sellerPage.reload();
    await poll(() => rows()).toHaveLength(1);
    expect(await sellerPage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(sellerPage, 'negotiation-inbox-390px');
    await sellerPage.goto(negotiationUrl);
    await poll(() => status(sellerPage)).toBe('已成交');
    expect(await sellerPage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(sellerPage, 'negotiation-thread-390px');
  });
});
