import type { INestApplicationContext } from '@nestjs/common';
import { JobName } from '@market/queue';
import type { Page } from 'playwright-core';
import { Account, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { createAuction, financeOf, holdDeposit, runAuctionJob, verifiedBuyer } from '../support/auctions';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { FakeClock } from '../support/fake-clock';
import { verifyOrganization } from '../support/listings';
import { startWorker } from '../support/market';
import { Role } from '@market/identity';

const MINUTE = 60_000;

/**
 * Two buyers in two browsers in one English auction room: each sees the other's bid appear live
 * (server-sent events), and both see the countdown move when a late bid extends the auction.
 */
describe('web: the auction room, live', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let seller: Account;
  let admin: Account;
  let first: Account;
  let second: Account;
  let auctionId: string;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller] });
    await verifyOrganization(api, admin, seller.organizationId);
    const finance = await financeOf(api, admin);
    auctionId = await createAuction({ api, worker, env, clock, seller, admin });
    first = await verifiedBuyer(api, admin);
    second = await verifiedBuyer(api, admin);
    await holdDeposit(api, finance, first, auctionId);
    await holdDeposit(api, finance, second, auctionId);
    clock.advance(2 * MINUTE);
    await runAuctionJob(worker, env, auctionId, JobName.AuctionOpenDue);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  const price = (page: Page) => page.getByTestId('current-price').innerText();
  const bidsShown = (page: Page) => page.locator('[data-testid="bids"] .ant-list-item').allInnerTexts();

  async function bid(page: Page, yuan?: number) {
    if (yuan !== undefined) await page.getByLabel(/出价（元）/).fill(String(yuan));
    await page.getByRole('button', { name: '出价', exact: true }).click();
  }

  it('shows each buyer the other’s bid as it is accepted, and the countdown following an extension', async () => {
    const alice = await newPage(market);
    const bob = await newPage(market);
    await signIn(alice, market, first.email, PASSWORD);
    await signIn(bob, market, second.email, PASSWORD);
    await alice.goto(`${market.baseUrl}/auctions/${auctionId}`);
    await bob.goto(`${market.baseUrl}/auctions/${auctionId}`);
    for (const page of [alice, bob]) {
      await poll(() => price(page)).toBe('尚无出价');
      await poll(() => page.locator('main').innerText()).toContain('已连接');
    }

    // The form starts at the minimum: the starting price, 1,000,000 fen = ¥10,000.
    await poll(() => alice.getByLabel(/出价（元）/).inputValue()).toBe('10000');
    await bid(alice);
    await poll(() => alice.getByRole('status').first().innerText()).toContain('出价成功：¥1万');
    // Bob did nothing and sees it: the event stream brought it.
    await poll(() => price(bob)).toBe('¥1万');
    await poll(() => bidsShown(bob)).toHaveLength(1);
    // Bob's form follows the new minimum (one increment, ¥100, more).
    await poll(() => bob.getByLabel(/出价（元）/).inputValue()).toBe('10100');

    await bid(bob, 12_000);
    await poll(() => price(alice)).toBe('¥1.2万');
    await poll(async () => (await bidsShown(alice))[0]).toMatch(/^¥1\.2万\s*竞买人/);
    expect((await bidsShown(bob))[0]).toMatch(/^¥1\.2万\s*您/);

    // A bid too low is refused at the field, with the minimum, by its code.
    await bid(alice, 11_000);
    await poll(() => alice.getByRole('alert').first().innerText()).toContain('出价低于最低可出价');

    // Two minutes before the end (anti-sniping: 5 minutes) a bid moves the end for everyone.
    const before = await bob.getByTestId('ends-in').getAttribute('data-until');
    clock.advance(56 * MINUTE);
    await bid(alice, 12_100);
    for (const page of [alice, bob]) {
      await poll(() => page.getByTestId('ends-in').getAttribute('data-until')).toMatch(/T/);
      await poll(async () => (await page.getByTestId('ends-in').getAttribute('data-until'))! > before!).toBe(true);
      await poll(() => price(page)).toBe('¥1.21万');
    }
    await poll(() => bob.locator('main').innerText()).toContain('结束时间延长至');
    const after = new Date((await bob.getByTestId('ends-in').getAttribute('data-until'))!).getTime();
    // The new end is the late bid's time plus the anti-sniping five minutes.
    expect(Math.abs(after - (clock.now().getTime() + 5 * MINUTE))).toBeLessThan(30_000);
    expect(after - new Date(before!).getTime()).toBeGreaterThan(2 * MINUTE);
    await poll(() => bob.getByTestId('ends-at').innerText()).toContain('北京时间');

    // Bob's deposit: already held (through a bank transfer the finance clerk recorded).
    await bob.getByRole('button', { name: /缴纳保证金/ }).click();
    await poll(() => bob.getByTestId('deposit-status').innerText()).toContain('已冻结');

    await inBothLanguages(bob, 'auction-room', async (lang) => {
      await poll(() => price(bob)).toBe(lang === 'zh' ? '¥1.21万' : '¥12,100');
      expect(await bob.locator('main').innerText()).toContain(lang === 'zh' ? '增价拍卖' : 'English (ascending)');
    });
    // On a 390-pixel-wide phone the room fits: nothing runs off the side.
    await bob.setViewportSize({ width: 390, height: 844 });
    await poll(() => bob.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
    await inBothLanguages(bob, 'auction-room-390px');
    await bob.setViewportSize({ width: 1280, height: 900 });
    await bob.goto(`${market.baseUrl}/auctions`);
    await poll(() => bob.locator('.auction-card').allInnerTexts()).toHaveLength(1);
    await inBothLanguages(bob, 'auctions', async (lang) => {
      expect(await bob.locator('.auction-card').innerText()).toContain(lang === 'zh' ? '竞价中' : 'Bidding open');
    });
  });
});
