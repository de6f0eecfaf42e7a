import { Role } from '@market/identity';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { announce, bearer, verifyOrganization } from '../support/listings';
import { http } from '../support/market';

/**
 * Achievement packages (科技成果包) published from the pages: an admin finds public listings by
 * keyword, adds, orders and removes them by keyboard; a listing withdrawn meanwhile is refused at the
 * package's listings by its code; the package then heads the public list (newest issue first) and
 * its page lists the two in the chosen order; a seller is kept out; 390 pixels.
 */
describe('web: publishing achievement packages', () => {
  let market: WebMarket;
  let admin: Account;
  let seller: Account;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    market = await startWebMarket();
    const { api, env } = market;
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学技术转移中心' });
    await verifyOrganization(api, admin, seller.organizationId);
    ids.cathode = await announce(api, seller, admin, {
      title: '高能量密度锂电池正极材料制备技术',
      technicalField: 'new_energy',
    });
    ids.solid = await announce(api, seller, admin, { title: '固态锂电池电解质薄膜工艺', technicalField: 'new_energy' });
    ids.recycle = await announce(api, seller, admin, {
      title: '废旧锂电池回收再利用工艺',
      technicalField: 'new_energy',
    });
    ids.rice = await announce(api, seller, admin, {
      title: '耐盐碱水稻育种方法',
      technicalField: 'modern_agriculture',
    });
    // An older package: the new one must come before it.
    await http(api)
      .post('/api/v1/packages')
      .set(bearer(admin))
      .send({
        title: '2026年现代农业领域科技成果包',
        technicalField: 'modern_agriculture',
        issuedOn: '2026-11-01',
        listingIds: [ids.rice],
      })
      .expect(201);
  });

  afterAll(() => market?.close());

  const PUBLISH = /^发 ?布$/;
  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();
  const chosen = (page: Page) => page.locator('.package-chosen li .package-item').allInnerTexts();
  const focused = (page: Page) => page.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""');
  const press = async (page: Page, name: string | RegExp) => {
    await page.getByRole('button', { name, exact: true }).focus();
    await page.keyboard.press('Enter');
  };

  it('publishes a package of two public listings by keyboard, after a refusal at its listings', async () => {
    const page = await newPage(market);
    await signIn(page, market, admin.email, PASSWORD);
    await page.goto(`${market.baseUrl}/admin`);
    await page.getByRole('link', { name: '发布科技成果包' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/packages$/);
    await poll(() => page.locator('h1').innerText()).toBe('发布科技成果包');

    // Nothing filled in: the form's own checks.
    await press(page, PUBLISH);
    await poll(() => errors(page)).toEqual(['必填', '必填', '至少选择一项公开的成果']);

    await page.getByLabel('成果包名称').focus();
    await page.keyboard.type('2026年锂电池领域科技成果包');
    await page.getByRole('combobox', { name: '技术领域', exact: true }).focus();
    await page.keyboard.type('新能源');
    await page.keyboard.press('Enter');
    await page.getByLabel('发布日期（可不填，默认今天）').focus();
    await page.keyboard.type('2026-11-25');

    // Find by keyword (Enter searches, it does not publish), add three, put them in order.
    await page.getByRole('textbox', { name: '关键词' }).focus();
    await page.keyboard.type('锂电池');
    await page.keyboard.press('Enter');
    const found = page.locator('.package-found li .package-item');
    await poll(async () => (await found.allInnerTexts()).map((text) => text.split('\n')[0]).sort()).toEqual(
      ['固态锂电池电解质薄膜工艺', '废旧锂电池回收再利用工艺', '高能量密度锂电池正极材料制备技术'].sort(),
    );
    expect(await page.locator('.package-done').count()).toBe(0);
    await press(page, '加入固态锂电池电解质薄膜工艺');
    await press(page, '加入高能量密度锂电池正极材料制备技术');
    await press(page, '加入废旧锂电池回收再利用工艺');
    await poll(() => chosen(page)).toEqual([
      expect.stringMatching(/^1\. 固态锂电池电解质薄膜工艺\s+新能源 · 中南大学技术转移中心$/),
      expect.stringMatching(/^2\. 高能量密度锂电池正极材料制备技术/),
      expect.stringMatching(/^3\. 废旧锂电池回收再利用工艺/),
    ]);
    expect(await page.getByRole('button', { name: '已加入固态锂电池电解质薄膜工艺' }).isDisabled()).toBe(true);
    await press(page, '下移固态锂电池电解质薄膜工艺');
    await poll(() => chosen(page)).toEqual([
      expect.stringMatching(/^1\. 高能量密度锂电池正极材料制备技术/),
      expect.stringMatching(/^2\. 固态锂电池电解质薄膜工艺/),
      expect.stringMatching(/^3\. 废旧锂电池回收再利用工艺/),
    ]);
    // The focus stays with the listing moved, so it can be moved again.
    await poll(() => focused(page)).toBe('下移固态锂电池电解质薄膜工艺');
    await inBothLanguages(page, 'admin-packages', async (lang) => {
      expect(await page.locator('h1').innerText()).toBe(
        lang === 'zh' ? '发布科技成果包' : 'Publish an achievement package',
      );
      expect(
        await page
          .getByRole('button', {
            name: lang === 'zh' ? '上移固态锂电池电解质薄膜工艺' : 'Up: 固态锂电池电解质薄膜工艺',
          })
          .count(),
      ).toBe(1);
    });

    // The seller withdraws one meanwhile: the API refuses it, and the page says so at the listings.
    await http(market.api).post(`/api/v1/listings/${ids.recycle}/withdraw`).set(bearer(seller)).expect(200);
    await press(page, PUBLISH);
    await poll(() => page.getByRole('alert').first().innerText()).toContain(
      '成果包只能收录公开的成果（LISTING.PACKAGE_LISTINGS_NOT_PUBLIC）',
    );
    await inBothLanguages(page, 'admin-packages-refused', async (lang) => {
      await poll(() => errors(page)).toEqual([
        lang === 'zh'
          ? '以下成果已不再公开，请移除：废旧锂电池回收再利用工艺'
          : 'These listings are no longer public; remove them: 废旧锂电池回收再利用工艺',
      ]);
      await poll(() => page.getByRole('alert').first().innerText()).toContain(
        lang === 'zh'
          ? '成果包只能收录公开的成果（LISTING.PACKAGE_LISTINGS_NOT_PUBLIC）'
          : 'A package may only hold public listings (LISTING.PACKAGE_LISTINGS_NOT_PUBLIC)',
      );
    });
    expect(await page.locator('.package-chosen li.refused').innerText()).toContain('废旧锂电池回收再利用工艺');
    const [{ count }] = await market.env.query<{ count: string }>(`SELECT count(*) FROM achievement_package`);
    expect(Number(count)).toBe(1);

    await press(page, '移除废旧锂电池回收再利用工艺');
    await poll(() => chosen(page)).toHaveLength(2);
    await poll(() => errors(page)).toEqual([]);
    await press(page, PUBLISH);
    await poll(() => page.locator('.package-done').innerText()).toContain('已发布「2026年锂电池领域科技成果包」');
    // The link to the package takes the focus; the form is empty for the next one.
    await poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('查看该成果包');
    expect(await chosen(page)).toEqual([]);
    const href = await page.locator('#package-published').getAttribute('href');
    const id = href!.split('/').pop()!;
    const published = await http(market.api).get(`/api/v1/packages/${id}`).expect(200);
    expect(published.body).toMatchObject({
      title: '2026年锂电池领域科技成果包',
      technicalField: 'new_energy',
      issuedOn: '2026-11-25',
      listingCount: 2,
    });
    expect(published.body.listings.map((l: { id: string }) => l.id)).toEqual([ids.cathode, ids.solid]);

    // Its page, in the chosen order.
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/packages/${id}$`));
    await poll(() => page.locator('.package-listings li a').allInnerTexts()).toEqual([
      '高能量密度锂电池正极材料制备技术',
      '固态锂电池电解质薄膜工艺',
    ]);
    await inBothLanguages(page, 'admin-packages-published', async (lang) => {
      expect(await page.locator('h1').innerText()).toBe('2026年锂电池领域科技成果包');
      expect(await page.getByTestId('package-issued').innerText()).toBe(
        lang === 'zh' ? '2026年11月25日' : '25 Nov 2026',
      );
    });

    // The public list from the header: newest issue first, with field, day and count, leading to the package.
    const visitor = await newPage(market);
    await visitor.goto(`${market.baseUrl}/`);
    await visitor.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '成果包' }).click();
    await visitor.waitForURL(/\/packages$/);
    const rows = visitor.locator('.package-list li');
    await poll(() => rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^2026年锂电池领域科技成果包\s+新能源\s*发布日期：2026年11月25日 · 2项成果$/),
      expect.stringMatching(/^2026年现代农业领域科技成果包\s+现代农业\s*发布日期：2026年11月1日 · 1项成果$/),
    ]);
    await inBothLanguages(visitor, 'packages', async (lang) => {
      expect(await visitor.locator('h1').innerText()).toBe(lang === 'zh' ? '科技成果包' : 'Achievement packages');
      expect(await visitor.locator('.package-count').innerText()).toBe(lang === 'zh' ? '共 2 个' : '2 in all');
      if (lang === 'en')
        await poll(() => rows.first().innerText()).toMatch(/New energy\s*Issued: 25 Nov 2026 · listings: 2$/);
    });
    expect(await visitor.getByRole('link', { name: '发布科技成果包' }).count()).toBe(0);
    await rows.first().getByRole('link').focus();
    await visitor.keyboard.press('Enter');
    await visitor.waitForURL(new RegExp(`/packages/${id}$`));
    await poll(() => visitor.locator('h1').innerText()).toBe('2026年锂电池领域科技成果包');
  });

  it('keeps a seller out, and fits a 390-pixel screen', async () => {
    const sellerPage = await newPage(market);
    await signIn(sellerPage, market, seller.email, PASSWORD);
    await sellerPage.goto(`${market.baseUrl}/admin/packages`);
    await poll(() => sellerPage.locator('main').innerText()).toContain('您的账号没有此权限');
    expect(await sellerPage.locator('form').count()).toBe(0);

    const phone = await newPage(market, { width: 390, height: 844 });
    await signIn(phone, market, admin.email, PASSWORD);
    await phone.goto(`${market.baseUrl}/admin/packages`);
    await phone.getByRole('textbox', { name: '关键词' }).fill('锂电池');
    await phone.keyboard.press('Enter');
    await press(phone, '加入高能量密度锂电池正极材料制备技术');
    await press(phone, '加入固态锂电池电解质薄膜工艺');
    await poll(() => chosen(phone)).toHaveLength(2);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(phone, 'admin-packages-390px');

    await phone.goto(`${market.baseUrl}/packages`);
    await poll(() => phone.locator('.package-list li').count()).toBe(2);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(phone, 'packages-390px');
  });
});
