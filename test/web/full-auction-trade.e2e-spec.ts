import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import type { Page } from 'playwright-core';
import { Account, addMember, createAdmin, PASSWORD } from '../support/accounts';
import { financeOf, runAuctionJob, runDepositJobs } from '../support/auctions';
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
import { bearer, runLatestJob } from '../support/listings';
import { http, startWorker } from '../support/market';
import { verified } from '../support/negotiations';

const MINUTE = 60_000;
const YUAN = 100;

/**
 * One auction trade through the pages: the seller writes and submits an auction-mode listing, an
 * admin approves it; once the announcement ends the seller schedules an English auction on its page; two buyers
 * ask for their deposits in the auction room and, once the transfers are recorded, bid against
 * each other there. The clock closes the auction, the worker settles it (the winner's deposit
 * captured, the other's released) and drafts the contract, which the seller completes and both
 * parties sign; the seller applies for registration, an auditor registers it in the console, and
 * the seller downloads the certificate, a PDF that carries the registration number.
 *
 * One step has no page and is done as its actor would through the API: recording a deposit's bank
 * transfer as arrived (the operator's finance).
 */
describe('web: a full auction trade, from the listing to the registration certificate', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let admin: Account;
  let finance: Account;
  let seller: Account;
  let winner: Account;
  let loser: Account;
  let auditor: Account;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    finance = await financeOf(api, admin);
    seller = await verified(api, admin, { roles: [Role.Seller], kind: 'university', organizationName: '中南大学' });
    winner = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湖南华菱涟源钢铁有限公司' });
    loser = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘潭电机股份有限公司' });
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
  const price = (page: Page) => page.getByTestId('current-price').innerText();
  const depositStatus = (page: Page) => page.getByTestId('deposit-status').locator('.ant-tag').innerText();
  const bidsShown = (page: Page) => page.locator('[data-testid="bids"] .ant-list-item').allInnerTexts();

  async function bid(page: Page, yuan?: number) {
    if (yuan !== undefined) await page.getByLabel(/出价（元）/).fill(String(yuan));
    await page.getByRole('button', { name: '出价', exact: true }).click();
  }

  /** The operator's finance records the buyer's bank transfer as arrived (no page does this). */
  async function transferArrived(auctionId: string, buyer: Account) {
    const [deposit] = await market.env.query<{ id: string }>(
      `SELECT id FROM deposit WHERE reference_id = $1 AND payer_organization_id = $2`,
      [auctionId, buyer.organizationId],
    );
    await http(market.api)
      .post(`/api/v1/payments/deposits/${deposit.id}/offline-receipt`)
      .set(bearer(finance))
      .expect(200);
  }

  // Six browsers and every step of a trade: longer than one page's test.
  jest.setTimeout(300_000);

  it('lists, approves, auctions, settles, signs, registers and prints the certificate through the pages', async () => {
    const title = '高强度耐候钢连铸连轧控制技术';

    // The seller writes an auction-mode listing in the editor (asking price ¥300万) and submits it.
    const { page: sellerPage, listingId } = await submitListing(market, seller, {
      title,
      summary: '一种高强度耐候钢的连铸连轧在线控制方法，屈服强度提高25%，成材率提高3个百分点。',
      mode: '拍卖',
      priceYuan: 3_000_000,
      patentSerial: 88,
    });

    // An admin approves it on the review page (its card says it is for auction): the announcement (公示) begins.
    await approveListing(market, admin, title, '拍卖');

    // The announcement ends without objection: the listing is open.
    clock.advanceDays(16);
    await runLatestJob(worker, market.env, listingId, JobName.ListingAnnouncementEnded);

    // The seller schedules an English auction on the listing's page: from ¥300万 in steps of ¥5万,
    // a ¥30万 deposit, opening in about two minutes for an hour (times typed in Beijing time).
    const now = clock.now().getTime();
    const beijing = (ms: number) => new Date(ms + 8 * 60 * MINUTE).toISOString().slice(0, 16);
    await sellerPage.reload();
    await poll(() => sellerPage.getByTestId('listing-status').innerText()).toBe('交易中');
    await fitsPhone(sellerPage, 'auction-trade-schedule', async () => {
      await sellerPage.getByLabel('起拍价（元）').waitFor();
    });
    await inBothLanguages(sellerPage, 'auction-trade-schedule', async (lang) => {
      await poll(() => sellerPage.locator('main').innerText()).toContain(
        lang === 'zh' ? '开始时间（北京时间）' : 'Starts at (CST)',
      );
    });
    await sellerPage.getByRole('button', { name: '安排拍卖' }).click();
    await poll(() => errors(sellerPage)).toEqual(['必填', '必填', '必填', '必填', '必填']);
    await sellerPage.getByLabel('起拍价（元）').fill('3000000');
    await sellerPage.getByLabel('加价幅度（元）').fill('50000');
    await sellerPage.getByLabel('保证金（元）').fill('300000');
    await sellerPage.getByLabel('开始时间（北京时间）').fill(beijing(now + 2 * MINUTE));
    // An end before the start: the API refuses it, shown by its code in the page's language.
    await sellerPage.getByLabel('结束时间（北京时间）').fill(beijing(now - 60 * MINUTE));
    await sellerPage.getByLabel('结束时间（北京时间）').press('Enter');
    await poll(() => sellerPage.getByRole('alert').first().innerText()).toContain('拍卖时间不符合要求');
    await inBothLanguages(sellerPage, 'auction-trade-schedule-refused', async (lang) => {
      await poll(() => sellerPage.getByRole('alert').first().innerText()).toContain(
        lang === 'zh'
          ? '拍卖时间不符合要求：开始时间不能早于现在，结束须晚于开始（AUCTION.BAD_SCHEDULE）'
          : 'The times are not valid',
      );
    });
    expect(await market.env.query(`SELECT id FROM auction WHERE listing_id = $1`, [listingId])).toEqual([]);
    await sellerPage.getByLabel('结束时间（北京时间）').fill(beijing(now + 60 * MINUTE));
    await sellerPage.getByLabel('结束时间（北京时间）').press('Enter');
    await poll(() => sellerPage.getByTestId('auction-scheduled').innerText()).toContain('拍卖已安排');
    await sellerPage.getByRole('link', { name: '查看拍卖' }).press('Enter');
    await sellerPage.waitForURL(/\/auctions\/[0-9a-f-]{36}$/);
    const auctionId = sellerPage.url().split('/').pop()!;
    const [auction] = await market.env.query<{
      kind: string;
      starting_price_fen: string;
      increment_fen: string;
      deposit_fen: string;
    }>(`SELECT kind, starting_price_fen, increment_fen, deposit_fen FROM auction WHERE id = $1`, [auctionId]);
    expect(auction).toEqual({
      kind: 'english',
      starting_price_fen: String(3_000_000 * YUAN),
      increment_fen: String(50_000 * YUAN),
      deposit_fen: String(300_000 * YUAN),
    });

    // Each buyer finds the auction among the upcoming ones and asks for the deposit by bank transfer.
    const alice = await newPage(market);
    const bob = await newPage(market);
    await signIn(alice, market, winner.email, PASSWORD);
    await signIn(bob, market, loser.email, PASSWORD);
    await alice.goto(`${market.baseUrl}/auctions`);
    await poll(() => alice.locator('.auction-card').allInnerTexts()).toEqual([expect.stringContaining(title)]);
    await alice.locator('.auction-card').getByRole('link', { name: title }).click();
    await alice.waitForURL(`${market.baseUrl}/auctions/${auctionId}`);
    await bob.goto(`${market.baseUrl}/auctions/${auctionId}`);
    for (const page of [alice, bob]) {
      await page.getByRole('button', { name: /^缴纳保证金（银行转账）/ }).click();
      await poll(() => depositStatus(page)).toBe('待缴纳');
      await poll(() => page.getByTestId('deposit-status').innerText()).toContain('¥30万');
    }
    await inBothLanguages(alice, 'auction-trade-deposit', async (lang) => {
      await poll(() => depositStatus(alice)).toBe(lang === 'zh' ? '待缴纳' : 'Awaiting payment');
    });

    // The transfers arrive and are recorded: each room shows the deposit held.
    await transferArrived(auctionId, winner);
    await transferArrived(auctionId, loser);

    // The clock reaches the opening and the worker opens the auction.
    clock.advance(2 * MINUTE);
    await runAuctionJob(worker, market.env, auctionId, JobName.AuctionOpenDue);
    for (const page of [alice, bob]) {
      await page.reload();
      await poll(() => depositStatus(page)).toBe('已冻结');
      await poll(() => price(page)).toBe('尚无出价');
      await poll(() => page.locator('main').innerText()).toContain('已连接');
    }

    // They bid against each other, each seeing the other's bid arrive live.
    await poll(() => alice.getByLabel(/出价（元）/).inputValue()).toBe('3000000');
    await bid(alice);
    await poll(() => alice.getByRole('status').first().innerText()).toContain('出价成功：¥300万');
    await poll(() => price(bob)).toBe('¥300万');
    await poll(() => bob.getByLabel(/出价（元）/).inputValue()).toBe('3050000');
    await bid(bob, 3_200_000);
    await poll(() => price(alice)).toBe('¥320万');
    await bid(alice, 3_300_000);
    await poll(() => price(bob)).toBe('¥330万');
    await poll(async () => (await bidsShown(bob))[0]).toMatch(/^¥330万\s*竞买人/);
    expect(await bidsShown(alice)).toHaveLength(3);
    await inBothLanguages(bob, 'auction-trade-room', async (lang) => {
      await poll(() => price(bob)).toBe(lang === 'zh' ? '¥330万' : '¥3,300,000');
    });

    // The clock passes the end: the worker closes and settles the auction and moves the deposits.
    clock.advance(61 * MINUTE);
    await runAuctionJob(worker, market.env, auctionId, JobName.AuctionCloseDue);
    await runAuctionJob(worker, market.env, auctionId, JobName.AuctionSettle);
    expect(await runDepositJobs(worker, market.env, auctionId)).toBe(2);
    for (const page of [alice, bob]) {
      await page.reload();
      await poll(() => page.locator('.status').first().innerText()).toBe('已成交');
      await poll(() => price(page)).toBe('¥330万');
      expect(await page.getByRole('button', { name: '出价', exact: true }).count()).toBe(0);
    }
    await poll(() => depositStatus(alice)).toBe('已扣划');
    await poll(() => depositStatus(bob)).toBe('已退还');
    await inBothLanguages(alice, 'auction-trade-settled', async (lang) => {
      expect(await alice.locator('main').innerText()).toContain(lang === 'zh' ? '成交价' : 'Final price');
      await poll(() => depositStatus(alice)).toBe(lang === 'zh' ? '已扣划' : 'Captured');
    });

    // The trade agreed at the auction is drafted into a contract.
    expect(await deliverTradeAgreed(worker, market.env, listingId)).toHaveLength(1);

    // The seller finds the draft among its contracts: the auction's price, the deposit paid first.
    await sellerPage.goto(`${market.baseUrl}/contracts`);
    const rows = () => sellerPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => rows()).toEqual([expect.stringMatching(new RegExp(`${title}\\s+卖方\\s+草稿\\s+¥330万\\s+拍卖`))]);
    await inBothLanguages(sellerPage, 'auction-trade-contracts', async (lang) => {
      await poll(() => rows()).toEqual([expect.stringContaining(lang === 'zh' ? '¥330万' : '¥3,300,000')]);
    });
    await sellerPage.getByRole('link', { name: title }).click();
    await sellerPage.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    const contractUrl = sellerPage.url();
    const contractId = contractUrl.split('/').pop()!;
    await poll(() => contractStatus(sellerPage)).toBe('草稿');
    const terms = await sellerPage.getByTestId('contract-terms').innerText();
    expect(terms).toContain('拍卖');
    expect(terms).toContain('¥330万');
    await poll(() => sellerPage.getByTestId('milestones').innerText()).toMatch(/¥30万[\s\S]*¥300万/);
    const violations = () => sellerPage.getByTestId('violations').innerText();
    await poll(() => violations()).toContain('生效日期：须写明合同生效日期与终止日期');
    expect(await violations()).toMatch(/履行节点 \d 的到期日：履行节点须写明到期日/);
    await inBothLanguages(sellerPage, 'auction-trade-contract-draft', async (lang) => {
      expect(await sellerPage.getByTestId('total-amount').innerText()).toBe(lang === 'zh' ? '¥330万' : '¥3,300,000');
    });

    // The seller completes the draft (the balance's due date; the deposit is already paid) and signs.
    await sellerPage.getByLabel('生效日期').fill(marketDay(clock, -1));
    await sellerPage.getByLabel('终止日期').fill(marketDay(clock, 1095));
    await sellerPage.getByLabel('预计新增投资（元）').fill('20000000');
    await sellerPage.getByLabel('预计新增产值（元）').fill('90000000');
    expect(await sellerPage.getByLabel(/到期日$/).count()).toBe(1);
    await sellerPage.getByLabel(/到期日$/).fill(marketDay(clock, 60));
    await sellerPage.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => sellerPage.getByTestId('violations').count()).toBe(0);
    await sellerPage.getByRole('button', { name: '签署合同（第 1 版）' }).click();
    await poll(() => sellerPage.getByTestId('seller-signature').innerText()).toMatch(/^已签署，.*（北京时间）$/);
    expect(await sellerPage.getByTestId('buyer-signature').innerText()).toBe('尚未签署');

    // The winning buyer signs the same version; the losing bidder has no contract.
    await signSecond(alice, market, title, contractUrl);
    await bob.goto(`${market.baseUrl}/contracts`);
    await bob.locator('.ant-table').waitFor();
    expect(await bob.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(0);

    // The seller applies for registration: screened by the worker, then under review.
    await sellerPage.reload();
    await applyForRegistration(sellerPage, worker, market.env, contractId);
    await inBothLanguages(sellerPage, 'auction-trade-contract-under-review', async (lang) => {
      await poll(() => registrationStatus(sellerPage)).toBe(lang === 'zh' ? '审核中' : 'Under review');
    });

    // The auditor registers it from the office's queue, with a reason.
    const auditorPage = await newPage(market);
    await signIn(auditorPage, market, auditor.email, PASSWORD);
    await auditorPage.goto(`${market.baseUrl}/registry`);
    const queueRows = () => auditorPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => queueRows()).toEqual([
      expect.stringMatching(
        new RegExp(`${title}\\s+中南大学 / 湖南华菱涟源钢铁有限公司\\s+认定登记 · 审核中\\s+¥330万`),
      ),
    ]);
    await inBothLanguages(auditorPage, 'auction-trade-registry-queue');
    await auditorPage.getByRole('link', { name: title }).click();
    await auditorPage.waitForURL(`${market.baseUrl}/registry/${contractId}`);
    await poll(() => auditorPage.getByTestId('risk-score').innerText()).toMatch(/^风险分 \d+（重点核查线 \d+）$/);
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => errors(auditorPage)).toEqual(['必填']);
    await auditorPage.getByRole('radio', { name: '予以登记' }).check();
    await auditorPage.getByLabel('理由', { exact: true }).fill('拍卖成交，合同要素齐全，专利权有效，予以登记。');
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('已登记');
    const number = await auditorPage.getByTestId('case-number').innerText();
    expect(number).toMatch(new RegExp(`^${marketDay(clock).slice(2, 4)}430102\\d{6}$`));
    await inBothLanguages(auditorPage, 'auction-trade-registry-case', async (lang) => {
      await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe(
        lang === 'zh' ? '已登记' : 'Registered',
      );
    });

    // The seller: registered with its number, in performance; the certificate downloads as a PDF.
    await sellerPage.reload();
    await poll(() => registrationStatus(sellerPage)).toBe('已登记');
    expect(await sellerPage.getByTestId('registration-number').innerText()).toBe(number);
    await poll(() => contractStatus(sellerPage)).toBe('履行中');
    await poll(() => sellerPage.getByTestId('milestones').innerText()).toMatch(/¥30万[\s\S]*¥300万[\s\S]*未到期/);
    await inBothLanguages(sellerPage, 'auction-trade-contract-registered', async (lang) => {
      await poll(() => registrationStatus(sellerPage)).toBe(lang === 'zh' ? '已登记' : 'Registered');
    });
    await fitsPhone(sellerPage, 'auction-trade-contract-registered', async () => {
      await poll(() => registrationStatus(sellerPage)).toBe('已登记');
    });
    await downloadsCertificate(sellerPage, number, title);
  });
});
