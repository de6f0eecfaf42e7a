import { Role } from '@market/identity';
import { Account, createAdmin, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, startWebMarket, WebMarket } from '../support/browser';
import { announce, bearer, verifyOrganization } from '../support/listings';
import { http } from '../support/market';

/**
 * Achievement packages (科技成果包) in the pages: a listing's page names the packages holding it and
 * leads to each, whose page lists its listings in the published order; a listing in none shows none.
 */
describe('web: achievement packages', () => {
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
      askingPriceFen: 480_000_000,
    });
    ids.solid = await announce(api, seller, admin, { title: '固态电解质薄膜制备工艺', technicalField: 'new_energy' });
    ids.rice = await announce(api, seller, admin, {
      title: '耐盐碱水稻育种方法',
      technicalField: 'modern_agriculture',
    });
    const published = await http(api)
      .post('/api/v1/packages')
      .set(bearer(admin))
      .send({
        title: '2026年新能源领域科技成果包',
        technicalField: 'new_energy',
        description: '面向储能与动力电池产业的高校成果。',
        issuedOn: '2026-11-20',
        listingIds: [ids.solid, ids.cathode],
      })
      .expect(201);
    ids.package = published.body.id;
  });

  afterAll(() => market?.close());

  it('leads from a listing to the packages holding it, and from a package to its listings', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/listings/${ids.cathode}`);
    const section = page.locator('.listing-packages');
    await poll(() => section.locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/^2026年新能源领域科技成果包\s+新能源 · 发布日期：2026年11月20日 · 2项成果$/),
    ]);
    await inBothLanguages(page, 'listing-packages', async (lang) => {
      await poll(() => section.locator('h2').innerText()).toBe(
        lang === 'zh' ? '收录于科技成果包' : 'In achievement packages',
      );
      if (lang === 'en')
        expect(await section.locator('.meta').innerText()).toBe('New energy · Issued: 20 Nov 2026 · listings: 2');
    });

    // By keyboard: the package's link, Enter.
    await section.getByRole('link', { name: '2026年新能源领域科技成果包' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${market.baseUrl}/packages/${ids.package}`);
    await poll(() => page.locator('h1').innerText()).toBe('2026年新能源领域科技成果包');
    await inBothLanguages(page, 'package', async (lang) => {
      await poll(() => page.locator('h2').first().innerText()).toBe(
        lang === 'zh' ? '包内成果（2项）' : 'Listings in the package (2)',
      );
      expect(await page.getByTestId('package-issued').innerText()).toBe(
        lang === 'zh' ? '2026年11月20日' : '20 Nov 2026',
      );
      // In the published order, with field, seller, pricing and price.
      expect(await page.locator('.package-listings li a').allInnerTexts()).toEqual([
        '固态电解质薄膜制备工艺',
        '高能量密度锂电池正极材料制备技术',
      ]);
      expect(await page.locator('.package-listings li').nth(1).innerText()).toContain(
        lang === 'zh' ? '¥480万' : '¥4,800,000',
      );
    });
    await page.locator('.package-listings a').first().click();
    await page.waitForURL(`${market.baseUrl}/listings/${ids.solid}`);
    await poll(() => page.locator('h1').innerText()).toBe('固态电解质薄膜制备工艺');

    // A listing in no package has no such section.
    await page.goto(`${market.baseUrl}/listings/${ids.rice}`);
    await poll(() => page.locator('h1').innerText()).toBe('耐盐碱水稻育种方法');
    await poll(() => page.locator('main').innerText()).toContain('知识产权');
    expect(await page.locator('.listing-packages').count()).toBe(0);

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${market.baseUrl}/packages/${ids.package}`);
    await poll(() => page.locator('.package-listings li').count()).toBe(2);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(page, 'package-390px');
  });

  it('answers an unknown package with the not-found page', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/packages/00000000-0000-4000-8000-000000000000`);
    await poll(() => page.locator('main').innerText()).toContain('404');
  });
});
