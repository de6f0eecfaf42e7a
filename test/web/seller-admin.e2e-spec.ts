import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { bearer, createDraft, inventionPatentNumber, verifyOrganization } from '../support/listings';
import { http, startWorker } from '../support/market';

/**
 * A seller writes a listing in the editor (the API's refusal shown at the field it names), submits
 * it, and an admin approves it from the review page; another is sent back with a reason the seller
 * then reads. The inbox shows what the worker delivered.
 */
describe('web: a seller’s listing through submission, and an admin’s review', () => {
  let market: WebMarket;
  let worker: INestApplicationContext;
  let admin: Account;
  let seller: Account;

  beforeAll(async () => {
    market = await startWebMarket();
    worker = await startWorker();
    admin = await createAdmin(market.api, market.env);
    seller = await registerAccount(market.api, { roles: [Role.Seller], organizationName: '湖南农业大学成果转化处' });
    await verifyOrganization(market.api, admin, seller.organizationId);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();

  async function choose(page: Page, label: string, option: string) {
    await page.getByRole('combobox', { name: label, exact: true }).fill(option);
    await page.keyboard.press('Enter');
  }

  it('takes a listing from the editor to review, and the admin’s approval to its announcement', async () => {
    const sellerPage = await newPage(market);
    await signIn(sellerPage, market, seller.email, PASSWORD);
    await sellerPage.goto(`${market.baseUrl}/seller`);
    await sellerPage.getByRole('button', { name: '新建挂牌' }).click();
    await sellerPage.waitForURL(/\/seller\/listings\/new$/);

    // Nothing filled in: the form's own checks, at each field.
    await sellerPage.getByRole('button', { name: '保存草稿' }).click();
    await poll(() => errors(sellerPage)).toContain('必填');

    await sellerPage.getByLabel('成果名称').fill('耐盐碱水稻分子育种技术');
    await sellerPage.getByLabel('成果简介').fill('一种耐盐碱水稻新品种的分子标记辅助育种方法，亩产提高15%。');
    await choose(sellerPage, '技术领域', '现代农业');
    await choose(sellerPage, '成熟度', '中试');
    await choose(sellerPage, '交易方式', '挂牌交易');
    await sellerPage.getByLabel('挂牌价（元）').fill('4800000');
    // A patent number whose check character is wrong: the API names the field, the page shows it there.
    const good = inventionPatentNumber(21);
    const wrong = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    await sellerPage.getByLabel('编号 1').fill(wrong);
    await sellerPage.getByRole('button', { name: '保存草稿' }).click();
    await poll(() => errors(sellerPage)).toEqual([expect.stringMatching(/^编号不符合要求：.*check character/)]);
    expect(await sellerPage.getByRole('alert').first().innerText()).toContain('填写的内容有误（VALIDATION_FAILED）');
    await inBothLanguages(sellerPage, 'listing-editor-refused', async (lang) => {
      await poll(() => errors(sellerPage)).toEqual([
        expect.stringMatching(lang === 'zh' ? /^编号不符合要求/ : /^Number is not valid/),
      ]);
    });

    await sellerPage.getByLabel('编号 1').fill(good);
    await sellerPage.getByRole('button', { name: '保存草稿' }).click();
    await sellerPage.waitForURL(/\/seller\/listings\/[0-9a-f-]{36}$/);
    const listingId = sellerPage.url().split('/').pop()!;
    await poll(() => sellerPage.getByTestId('listing-status').innerText()).toBe('草稿');
    await sellerPage.getByRole('button', { name: '提交审核' }).click();
    await poll(() => sellerPage.getByTestId('listing-status').innerText()).toBe('待审核');
    await inBothLanguages(sellerPage, 'listing-submitted', async (lang) => {
      await poll(() => sellerPage.getByTestId('listing-status').innerText()).toBe(
        lang === 'zh' ? '待审核' : 'Awaiting review',
      );
    });
    await sellerPage.goto(`${market.baseUrl}/seller`);
    await poll(() => sellerPage.locator('tbody').innerText()).toContain('耐盐碱水稻分子育种技术');
    expect(await sellerPage.locator('tbody').innerText()).toContain('¥480万');
    await inBothLanguages(sellerPage, 'seller-listings');

    // A second listing, submitted through the API, to be sent back.
    const other = await createDraft(market.api, seller, { title: '待补充材料的成果' });
    await http(market.api).post(`/api/v1/listings/${other}/submit`).set(bearer(seller)).expect(200);

    const adminPage = await newPage(market);
    await signIn(adminPage, market, admin.email, PASSWORD);
    await adminPage.goto(`${market.baseUrl}/admin`);
    await poll(() => adminPage.locator('.review h3').allInnerTexts()).toEqual([
      '耐盐碱水稻分子育种技术',
      '待补充材料的成果',
    ]);
    await inBothLanguages(adminPage, 'admin-review', async (lang) => {
      expect(await adminPage.locator('.review').first().innerText()).toContain(
        lang === 'zh' ? '现代农业' : 'Modern agriculture',
      );
    });

    const first = adminPage.locator('.review').first();
    await first.getByRole('button', { name: '通过并开始公示' }).click();
    await poll(() => adminPage.locator('.review h3').allInnerTexts()).toEqual(['待补充材料的成果']);

    const second = adminPage.locator('.review').first();
    await second.getByRole('button', { name: '退回' }).click();
    await second.getByRole('button', { name: '退回' }).click(); // no reason yet: refused at the field
    await poll(() => errors(adminPage)).toEqual(['必填']);
    await second.getByLabel('退回理由').fill('请补充专利证书扫描件');
    await second.getByRole('button', { name: '退回' }).click();
    await poll(() => adminPage.locator('main').innerText()).toContain('没有待审核的挂牌');

    // The seller sees the approval (公示中) and the reason of the other.
    await sellerPage.goto(`${market.baseUrl}/seller/listings/${listingId}`);
    await poll(() => sellerPage.getByTestId('listing-status').innerText()).toBe('公示中');
    await sellerPage.goto(`${market.baseUrl}/seller/listings/${other}`);
    await poll(() => sellerPage.locator('main').innerText()).toContain('退回理由：请补充专利证书扫描件');

    // Approved, it is public: the search finds it.
    await sellerPage.goto(`${market.baseUrl}/search?q=${encodeURIComponent('耐盐碱')}`);
    await poll(() => sellerPage.locator('.result h2').allInnerTexts()).toEqual(['耐盐碱水稻分子育种技术']);

    // The worker delivered the organization's verification to the inbox.
    await sellerPage.goto(`${market.baseUrl}/notifications`);
    await poll(async () => (await sellerPage.locator('.notification').allInnerTexts()).join('\n')).toMatch(
      /未读湖南农业大学成果转化处 has been verified by the market\s+\d{4}年\d+月\d+日 \d\d:\d\d（北京时间）/,
    );
    await inBothLanguages(sellerPage, 'notifications');
  });
});
