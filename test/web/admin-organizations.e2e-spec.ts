import { Role } from '@market/identity';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';

/**
 * The admins' page of organizations to verify: the queue, the longest waiting first, with what an
 * admin checks; a verification by keyboard with its confirmation; a stale page's second
 * verification refused by its code; the verified list; a non-admin kept out; 390 pixels.
 */
describe('web: organizations to verify', () => {
  let market: WebMarket;
  let admin: Account;
  let university: Account;
  let company: Account;

  beforeAll(async () => {
    market = await startWebMarket();
    admin = await createAdmin(market.api, market.env);
    university = await registerAccount(market.api, {
      roles: [Role.Seller],
      organizationName: '湘潭大学科技成果转化中心',
      kind: 'university',
    });
    company = await registerAccount(market.api, { roles: [Role.Buyer], organizationName: '株洲新材科技有限公司' });
  });

  afterAll(() => market?.close());

  const names = (page: Page) => page.locator('.org h2').allInnerTexts();

  it('lists the organizations to verify and verifies one by keyboard, after a confirmation', async () => {
    const page = await newPage(market);
    await signIn(page, market, admin.email, PASSWORD);
    await page.goto(`${market.baseUrl}/admin`);
    await page.getByRole('link', { name: '待认证的机构' }).first().click();
    await page.waitForURL(/\/admin\/organizations\?verified=false$/);
    await poll(() => names(page)).toEqual(['湘潭大学科技成果转化中心', '株洲新材科技有限公司']);
    const first = page.locator('.org').first();
    await inBothLanguages(page, 'admin-organizations', async (lang) => {
      const zh = lang === 'zh';
      await poll(() => page.locator('h1').innerText()).toBe(zh ? '机构认证' : 'Organization verification');
      const text = await first.innerText();
      expect(text).toContain(zh ? '高等院校' : 'University');
      expect(text).toContain(university.email);
      expect(text).toContain(zh ? '（北京时间）' : 'CST');
      expect(text).toContain(zh ? '未登记' : 'Not recorded');
      expect(await page.locator('.org-count').innerText()).toBe(zh ? '共 2 家' : '2 in all');
    });

    // Keyboard: focus the button, Enter; the confirmation takes the focus; Enter again.
    await first.getByRole('button', { name: '认证该机构' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => first.innerText()).toContain('确认已核对湘潭大学科技成果转化中心的营业执照或法人证书');
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toMatch(/确认认证/);
    await inBothLanguages(page, 'admin-organizations-confirm', async (lang) => {
      expect(await first.getByRole('group').innerText()).toMatch(
        lang === 'zh'
          ? /^确认已核对湘潭大学/
          : /^Have you checked the business licence or legal person certificate of 湘潭大学/,
      );
    });
    await first.getByRole('button', { name: '确认认证' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.locator('.org-done').innerText()).toBe('已认证湘潭大学科技成果转化中心，其成员将收到通知');
    await poll(() => names(page)).toEqual(['株洲新材科技有限公司']);
    const [row] = await market.env.query<{ verified_by: string }>(
      `SELECT verified_by FROM organization WHERE id = $1`,
      [university.organizationId],
    );
    expect(row.verified_by).toBe(admin.userId);
    const audit = await market.env.query<{ action: string }>(`SELECT action FROM audit_entry WHERE chain = $1`, [
      `organization:${university.organizationId}`,
    ]);
    expect(audit).toEqual([{ action: 'organization.verified' }]);

    // The verified list has it, marked and with its time.
    await page.getByRole('link', { name: '已认证的机构' }).click();
    await page.waitForURL(/verified=true/);
    await poll(() => names(page)).toContain('湘潭大学科技成果转化中心');
    expect(await page.locator('.admin-tabs [aria-current="page"]').innerText()).toBe('已认证的机构');
    await inBothLanguages(page, 'admin-organizations-verified');
  });

  it('shows a second verification from a page opened before the first by its code, in both languages', async () => {
    const stale = await newPage(market);
    await signIn(stale, market, admin.email, PASSWORD);
    await stale.goto(`${market.baseUrl}/admin/organizations?verified=false`);
    await poll(() => names(stale)).toEqual(['株洲新材科技有限公司']);
    // Another admin's page verifies it meanwhile.
    const other = await newPage(market);
    await signIn(other, market, admin.email, PASSWORD);
    await other.goto(`${market.baseUrl}/admin/organizations?verified=false`);
    await other.getByRole('button', { name: '认证该机构' }).click();
    await other.getByRole('button', { name: '确认认证' }).click();
    await poll(() => other.locator('main').innerText()).toContain('没有待认证的机构');

    await stale.getByRole('button', { name: '认证该机构' }).click();
    await stale.getByRole('button', { name: '确认认证' }).click();
    await poll(() => stale.getByRole('alert').first().innerText()).toContain(
      '该机构已通过认证（IDENTITY.ALREADY_VERIFIED）',
    );
    await inBothLanguages(stale, 'admin-organizations-refused', async (lang) => {
      await poll(() => stale.getByRole('alert').first().innerText()).toContain(
        lang === 'zh'
          ? '该机构已通过认证（IDENTITY.ALREADY_VERIFIED）'
          : 'The organization is already verified (IDENTITY.ALREADY_VERIFIED)',
      );
    });
    // Verified once, by the other page.
    const audit = await market.env.query<{ action: string }>(`SELECT action FROM audit_entry WHERE chain = $1`, [
      `organization:${company.organizationId}`,
    ]);
    expect(audit).toEqual([{ action: 'organization.verified' }]);
  });

  it('keeps others out, and fits a 390-pixel screen', async () => {
    const seller = await newPage(market);
    await signIn(seller, market, university.email, PASSWORD);
    await seller.goto(`${market.baseUrl}/admin/organizations`);
    await poll(() => seller.locator('main').innerText()).toContain('您的账号没有此权限');
    expect(await seller.locator('.org').count()).toBe(0);

    const phone = await newPage(market, { width: 390, height: 844 });
    await signIn(phone, market, admin.email, PASSWORD);
    await phone.goto(`${market.baseUrl}/admin/organizations?verified=true`);
    await poll(() => names(phone)).toContain('湘潭大学科技成果转化中心');
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await inBothLanguages(phone, 'admin-organizations-390px');
  });
});
