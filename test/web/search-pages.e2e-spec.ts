import { Role } from '@market/identity';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findWebRoot } from '../../apps/api/src/ops/web-app';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { announce, inventionPatentNumber, verifyOrganization } from '../support/listings';

/**
 * The pages in a real browser (Debian's Chromium): the search with a Chinese term and a filter,
 * the language switch, sign-in and a listing's page, each looked at in both languages with an
 * accessibility scan.
 */
describe('web: search, language, sign-in and listing pages', () => {
  let market: WebMarket;
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    market = await startWebMarket();
    const { api, env } = market;
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学技术转移中心' });
    buyer = await registerAccount(api, { roles: [Role.Buyer] });
    await verifyOrganization(api, admin, seller.organizationId);
    await verifyOrganization(api, admin, buyer.organizationId);
    ids.cathode = await announce(api, seller, admin, {
      title: '高能量密度锂电池正极材料制备技术',
      technicalField: 'new_energy',
      askingPriceFen: 480_000_000,
      ipItems: [{ kind: 'invention_patent', number: inventionPatentNumber(11), legalStatus: 'granted' }],
    });
    ids.recycling = await announce(api, seller, admin, {
      title: '废旧锂电池回收再利用工艺',
      technicalField: 'resources_environment',
      ipItems: [{ kind: 'invention_patent', number: inventionPatentNumber(12), legalStatus: 'granted' }],
    });
    ids.rice = await announce(api, seller, admin, {
      title: '耐盐碱水稻育种方法',
      summary: '一种耐盐碱水稻新品种的分子标记辅助育种方法。',
      technicalField: 'modern_agriculture',
      ipItems: [{ kind: 'invention_patent', number: inventionPatentNumber(13), legalStatus: 'granted' }],
    });
  });

  afterAll(() => market?.close());

  const titles = (page: Page) => page.locator('.result h2').allInnerTexts();

  it('finds listings by a Chinese term and a technical field, marks the term, and keeps the search in the address', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/search`);
    await page.getByLabel('关键词').fill('锂电池');
    // The field by keyboard: focus the select, arrow down to 新能源 (the fourth field).
    await page.getByRole('combobox', { name: '技术领域' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('combobox', { name: '技术领域' }).inputValue()).toBe('new_energy');
    await page.getByRole('button', { name: /检\s*索/ }).click();

    await page.waitForURL(/\/search\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('锂电池');
    expect(url.searchParams.get('field')).toBe('new_energy');
    await poll(() => titles(page)).toEqual(['高能量密度锂电池正极材料制备技术']);
    await poll(() => page.getByTestId('result-count').innerText()).toBe('共 1 项成果');
    expect(await page.locator('.result h2 mark').allInnerTexts()).toEqual(['锂电池']);
    // The price in yuan with the Chinese 万 grouping: 480,000,000 fen is ¥480万.
    expect(await page.locator('.result .price').innerText()).toBe('¥480万');

    // Without the filter both lithium listings come back; the rice one never does.
    await page.goto(`${market.baseUrl}/search?q=${encodeURIComponent('锂电池')}`);
    await poll(async () => (await titles(page)).sort()).toEqual([
      '废旧锂电池回收再利用工艺',
      '高能量密度锂电池正极材料制备技术',
    ]);

    await page.goto(url.toString());
    await poll(() => titles(page)).toHaveLength(1);
    await inBothLanguages(page, 'search', async (lang) => {
      await poll(() => page.locator('h1').innerText()).toBe(
        lang === 'zh' ? '科技成果检索' : 'Search technology achievements',
      );
      const tags = await page.locator('.result .ant-tag').allInnerTexts();
      expect(tags).toContain(lang === 'zh' ? '新能源' : 'New energy');
      expect(await page.locator('.result .price').innerText()).toBe(lang === 'zh' ? '¥480万' : '¥4,800,000');
    });
  });

  it('switches between Chinese and English, and remembers the choice', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/`);
    await poll(() => page.locator('h1').innerText()).toBe('科技成果在线交易');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');

    await page.getByRole('button', { name: /English/ }).click();
    await poll(() => page.locator('h1').innerText()).toBe('Technology achievements, traded online');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');
    expect(await page.getByRole('navigation').innerText()).toContain('Auctions');

    await page.reload();
    await poll(() => page.locator('h1').innerText()).toBe('Technology achievements, traded online');
    await page.getByRole('button', { name: /中\s?文/ }).click();
    await poll(() => page.locator('h1').innerText()).toBe('科技成果在线交易');
    await inBothLanguages(page, 'home');

    // On a 390-pixel-wide phone nothing runs off the side.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await poll(() => page.locator('h1').innerText()).toBe('科技成果在线交易');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(page, 'home-390px');
  });

  it('lists the demo logins on a demo start, and fills the form with the one chosen', async () => {
    const page = await newPage(market);
    // Not a demo start: no list.
    await page.goto(`${market.baseUrl}/signin`);
    await poll(() => page.locator('h1').innerText()).toBe('登录');
    expect(await page.locator('main').innerText()).not.toContain('演示账号');

    // What `npm start` writes beside the pages after loading the demo data.
    const file = join(findWebRoot()!, 'demo-logins.json');
    writeFileSync(
      file,
      JSON.stringify({
        password: PASSWORD,
        logins: [
          { email: buyer.email, displayName: '采购部 李工', roles: ['buyer'], organization: '湘潭智造有限公司' },
        ],
      }),
    );
    try {
      await page.reload();
      await poll(() => page.locator('main').innerText()).toContain(`演示账号（密码 ${PASSWORD}）`);
      expect(await page.locator('main').innerText()).toContain('买方 · 采购部 李工 · 湘潭智造有限公司');
      await page.getByRole('button', { name: `使用此账号: ${buyer.email}` }).click();
      expect(await page.getByLabel('邮箱').inputValue()).toBe(buyer.email);
      await page
        .getByRole('button', { name: /^登\s*录$/ })
        .last()
        .click();
      await page.waitForURL((url) => url.pathname === '/');
      await poll(() => page.locator('header').innerText()).toContain('退出');
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('signs in, shows a wrong password next to the form by its code, and opens a listing with its IP items and announcement', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/signin`);
    await page.getByLabel('邮箱').fill(buyer.email);
    await page.getByLabel(/^密码$/).fill('not the password');
    await page
      .getByRole('button', { name: /^登\s*录$/ })
      .last()
      .click();
    await poll(() => page.getByRole('alert').first().innerText()).toContain('邮箱或密码不正确');
    await inBothLanguages(page, 'signin', async (lang) => {
      await poll(() => page.locator('h1').innerText()).toBe(lang === 'zh' ? '登录' : 'Sign in');
    });

    await signIn(page, market, buyer.email, PASSWORD);
    await poll(() => page.locator('header').innerText()).toContain('退出');
    await page.goto(`${market.baseUrl}/listings/${ids.cathode}`);
    await poll(() => page.locator('h1').innerText()).toBe('高能量密度锂电池正极材料制备技术');
    expect(await page.locator('main').innerText()).toContain(inventionPatentNumber(11));
    expect(await page.locator('main').innerText()).toContain('公示中');
    expect(await page.getByTestId('announcement-left').innerText()).toMatch(/^\d+天 \d\d时\d\d分\d\d秒$/);
    expect(await page.locator('main').innerText()).toContain('（北京时间）');

    // An objection without a reason is refused at the field.
    await page.getByRole('button', { name: '提交异议' }).click();
    await poll(() => page.locator('.ant-form-item-explain-error').allInnerTexts()).toEqual(['必填']);
    await inBothLanguages(page, 'listing', async (lang) => {
      expect(await page.locator('main').innerText()).toContain(lang === 'zh' ? '发明专利' : 'Invention patent');
      expect(await page.locator('main').innerText()).toContain(lang === 'zh' ? '北京时间' : 'CST');
    });

    // On a 390-pixel-wide phone nothing runs off the side.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${market.baseUrl}/search?q=${encodeURIComponent('锂电池')}`);
    await poll(() => titles(page)).toHaveLength(2);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(page, 'search-390px');
  });
});
