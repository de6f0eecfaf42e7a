import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import type { Page } from 'playwright-core';
import { Account, addMember, createAdmin, PASSWORD } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import {
  applyForRegistration,
  approveListing,
  downloadsCertificate,
  fitsPhone,
  marketDay,
  signSecond,
  submitListing,
} from '../support/browser-trade';
import { createRegistryOffice, deliverTradeAgreed } from '../support/contracts';
import { FakeClock } from '../support/fake-clock';
import { runLatestJob } from '../support/listings';
import { startWorker } from '../support/market';
import { verified } from '../support/negotiations';

/**
 * One listed-price trade through the pages: the seller writes and submits the listing, an admin
 * approves it, a buyer registers intent at the asking price; at the end of the listing period the
 * worker drafts the contract, which the seller completes and both parties sign on the contract
 * page; the seller applies for registration, an auditor registers it in the console, and the
 * seller downloads the certificate, a PDF that carries the registration number.
 */
describe('web: a full trade, from the listing to the registration certificate', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let admin: Account;
  let seller: Account;
  let buyer: Account;
  let auditor: Account;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await verified(api, admin, { roles: [Role.Seller], kind: 'university', organizationName: '湘潭大学' });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '株洲硬质合金材料有限公司' });
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    auditor = await addMember(api, admin, office, [Role.Auditor]);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();
  const contractStatus = (page: Page) => page.getByTestId('contract-status').innerText();
  const registrationStatus = (page: Page) => page.getByTestId('registration-status').innerText();
  const alerts = (page: Page) => page.locator('.ant-alert-error').allInnerTexts();

  // Five browsers and every step of a trade: longer than one page's test.
  jest.setTimeout(240_000);

  it('lists, approves, trades, signs, registers and prints the certificate through the pages', async () => {
    const title = '超细晶硬质合金刀具涂层制备技术';

    // The seller writes the listing in the editor (listed price ¥360万, an assignment) and submits it.
    const { page: sellerPage, listingId } = await submitListing(market, seller, {
      title,
      summary: '一种超细晶硬质合金刀具的纳米多层涂层制备工艺，刀具寿命提高40%。',
      mode: '挂牌交易',
      priceYuan: 3_600_000,
      patentSerial: 77,
    });

    // An admin approves it: the announcement (公示) begins.
    await approveListing(market, admin, title);

    // The announcement ends without objection: the listing opens for intents.
    clock.advanceDays(16);
    await runLatestJob(worker, market.env, listingId, JobName.ListingAnnouncementEnded);

    // The buyer registers intent at the asking price on the listing's page.
    const buyerPage = await newPage(market);
    await signIn(buyerPage, market, buyer.email, PASSWORD);
    await buyerPage.goto(`${market.baseUrl}/listings/${listingId}`);
    await buyerPage.getByRole('button', { name: /^按挂牌价登记受让意向（¥360万）$/ }).click();
    await poll(() => buyerPage.locator('main').innerText()).toContain('已登记受让意向');

    // The listing period ends with one intent: a trade at the asking price, drafted into a contract.
    clock.advanceDays(21);
    await runLatestJob(worker, market.env, listingId, JobName.ListingPeriodEnded);
    expect(await deliverTradeAgreed(worker, market.env, listingId)).toHaveLength(1);

    // The seller finds the draft among its contracts.
    await sellerPage.goto(`${market.baseUrl}/contracts`);
    const rows = () => sellerPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => rows()).toEqual([
      expect.stringMatching(new RegExp(`${title}\\s+卖方\\s+草稿\\s+¥360万\\s+挂牌交易`)),
    ]);
    await inBothLanguages(sellerPage, 'contracts', async (lang) => {
      await poll(() => rows()).toEqual([expect.stringContaining(lang === 'zh' ? '¥360万' : '¥3,600,000')]);
    });
    await fitsPhone(sellerPage, 'contracts', async () => {
      await poll(() => rows()).toHaveLength(1);
    });
    await sellerPage.getByRole('link', { name: title }).click();
    await sellerPage.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    const contractUrl = sellerPage.url();
    const contractId = contractUrl.split('/').pop()!;
    await poll(() => contractStatus(sellerPage)).toBe('草稿');
    const terms = await sellerPage.getByTestId('contract-terms').innerText();
    expect(terms).toMatch(/技术转让[\s\S]*专利权转让[\s\S]*新材料[\s\S]*挂牌交易[\s\S]*¥360万/);

    // What the trade left open is listed; signing now is refused by the API, shown by its code.
    const violations = () => sellerPage.getByTestId('violations').innerText();
    await poll(() => violations()).toContain('生效日期：须写明合同生效日期与终止日期');
    expect(await violations()).toContain('预计新增投资：技术转让合同须填写预计新增投资和产值');
    expect(await violations()).toContain('履行节点 1 的到期日：履行节点须写明到期日');
    await sellerPage.getByRole('button', { name: '签署合同（第 1 版）' }).click();
    await poll(() => alerts(sellerPage)).toEqual([
      expect.stringContaining('合同内容不符合登记规则，尚不能签署（CONTRACT.RULES_BROKEN）'),
    ]);
    await inBothLanguages(sellerPage, 'contract-draft', async (lang) => {
      await poll(() => alerts(sellerPage)).toEqual([
        expect.stringContaining(
          lang === 'zh'
            ? '尚不能签署（CONTRACT.RULES_BROKEN）'
            : 'The contract breaks registration rules; it cannot be signed yet (CONTRACT.RULES_BROKEN)',
        ),
      ]);
      expect(await violations()).toContain(
        lang === 'zh' ? '预计新增产值' : 'Expected new investment: A transfer states the expected new investment',
      );
      expect(await sellerPage.getByTestId('total-amount').innerText()).toBe(lang === 'zh' ? '¥360万' : '¥3,600,000');
    });

    // The seller completes the draft: validity, expected investment and output, the payment's due date.
    const validFrom = marketDay(clock, -3);
    const validUntil = marketDay(clock, 730);
    const dueOn = marketDay(clock, 90);
    await sellerPage.getByLabel('生效日期').fill(validFrom);
    await sellerPage.getByLabel('终止日期').fill(validUntil);
    await sellerPage.getByLabel('预计新增投资（元）').fill('8000000');
    await sellerPage.getByLabel('预计新增产值（元）').fill('30000000');
    await sellerPage.getByLabel(/到期日$/).fill('2020-01-01');
    await sellerPage.getByRole('button', { name: '保存', exact: true }).click();
    // A due date outside the validity: saved, and still listed as a rule to meet.
    await poll(() => violations()).toContain('履行节点 1 的到期日：履行节点到期日须在合同有效期内');
    await sellerPage.getByLabel(/到期日$/).fill(dueOn);
    await sellerPage.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => sellerPage.getByTestId('violations').count()).toBe(0);

    // Both sign (the seller with the keyboard): the version is frozen.
    const sign = sellerPage.getByRole('button', { name: '签署合同（第 1 版）' });
    await sign.focus();
    await sellerPage.keyboard.press('Enter');
    await poll(() => sellerPage.getByTestId('seller-signature').innerText()).toMatch(/^已签署，.*（北京时间）$/);
    expect(await sellerPage.getByTestId('buyer-signature').innerText()).toBe('尚未签署');
    expect(await sellerPage.getByRole('button', { name: '保存', exact: true }).count()).toBe(0);

    await signSecond(buyerPage, market, title, contractUrl);
    expect(await buyerPage.getByRole('button', { name: '申请认定登记' }).count()).toBe(0);

    // The seller applies for registration: submitted, screened by the worker, under review.
    await sellerPage.reload();
    await poll(() => contractStatus(sellerPage)).toBe('已签署');
    await applyForRegistration(sellerPage, worker, market.env, contractId);
    await inBothLanguages(sellerPage, 'contract-under-review', async (lang) => {
      await poll(() => registrationStatus(sellerPage)).toBe(lang === 'zh' ? '审核中' : 'Under review');
      await poll(() => sellerPage.getByTestId('parties').innerText()).toMatch(
        lang === 'zh' ? /湘潭大学（高等院校 · 430100）\s*已签署/ : /湘潭大学 \(University · 430100\)\s*Signed/,
      );
    });
    await fitsPhone(sellerPage, 'contract', async () => {
      await poll(() => registrationStatus(sellerPage)).toBe('审核中');
    });

    // The auditor: the office's queue, then the case with its screening and the decision form.
    const auditorPage = await newPage(market);
    await signIn(auditorPage, market, auditor.email, PASSWORD);
    await auditorPage.goto(`${market.baseUrl}/registry`);
    const queueRows = () => auditorPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => queueRows()).toEqual([
      expect.stringMatching(
        new RegExp(`${title}\\s+湘潭大学 / 株洲硬质合金材料有限公司\\s+认定登记 · 审核中\\s+¥360万`),
      ),
    ]);
    await inBothLanguages(auditorPage, 'registry-queue', async (lang) => {
      await poll(() => queueRows()).toEqual([
        expect.stringContaining(lang === 'zh' ? '认定登记 · 审核中' : 'Registration · Under review'),
      ]);
    });
    await fitsPhone(auditorPage, 'registry-queue', async () => {
      await poll(() => queueRows()).toHaveLength(1);
    });
    await auditorPage.getByRole('link', { name: title }).click();
    await auditorPage.waitForURL(`${market.baseUrl}/registry/${contractId}`);
    await poll(() => auditorPage.getByTestId('risk-score').innerText()).toMatch(/^风险分 \d+（重点核查线 \d+）$/);
    await inBothLanguages(auditorPage, 'registry-case', async (lang) => {
      await poll(() => auditorPage.getByTestId('risk-score').innerText()).toMatch(
        lang === 'zh' ? /^风险分/ : /^Risk score \d+ \(flagged from \d+\)$/,
      );
    });

    // A reason is required; the decision is recorded with the keyboard.
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => errors(auditorPage)).toEqual(['必填']);
    await auditorPage.getByRole('radio', { name: '未予登记' }).check();
    await poll(() => auditorPage.getByText('未予登记的理由').count()).toBe(1);
    expect(await auditorPage.getByRole('checkbox', { name: '技术标的不清，登记人员难以认定' }).count()).toBe(1);
    await auditorPage.getByRole('radio', { name: '予以登记' }).check();
    const reason = auditorPage.getByLabel('理由', { exact: true });
    await reason.fill('合同要素齐全，专利权有效，予以登记。');
    await reason.press('Tab');
    await auditorPage.keyboard.press('Enter');
    await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('已登记');
    const number = await auditorPage.getByTestId('case-number').innerText();
    expect(number).toMatch(new RegExp(`^${marketDay(clock).slice(2, 4)}430102\\d{6}$`));
    await fitsPhone(auditorPage, 'registry-case', async () => {
      await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('已登记');
    });

    // The seller: registered with its number, in performance; the certificate downloads as a PDF.
    await sellerPage.reload();
    await poll(() => registrationStatus(sellerPage)).toBe('已登记');
    expect(await sellerPage.getByTestId('registration-number').innerText()).toBe(number);
    await poll(() => contractStatus(sellerPage)).toBe('履行中');
    await poll(() => sellerPage.getByTestId('milestones').innerText()).toMatch(/合同价款[\s\S]*¥360万[\s\S]*未到期/);
    await inBothLanguages(sellerPage, 'contract-registered', async (lang) => {
      await poll(() => sellerPage.getByTestId('milestones').innerText()).toContain(
        lang === 'zh' ? '（北京时间）' : ' CST',
      );
    });
    await downloadsCertificate(sellerPage, number, title);

    // The buyer pays the price by bank transfer: the page gives the transfer's reference.
    await buyerPage.reload();
    await poll(() => contractStatus(buyerPage)).toBe('履行中');
    await buyerPage.getByRole('button', { name: '支付本期款项（银行转账）' }).click();
    await poll(() => buyerPage.getByTestId('milestones').innerText()).toMatch(/请按以下信息转账：¥360万，附言 \S+/);
  });
});
