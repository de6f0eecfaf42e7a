import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { JobName, QueueName } from '@market/queue';
import type { Page } from 'playwright-core';
import { Account, PASSWORD } from './accounts';
import { inBothLanguages, newPage, poll, signIn, WebMarket } from './browser';
import { runJobsOfContract } from './contracts';
import type { FakeClock } from './fake-clock';
import { inventionPatentNumber } from './listings';
import type { TestEnvironment } from './test-env';

/** A market day (China Standard Time) `days` after the clock's today, as the API writes dates. */
export function marketDay(clock: FakeClock, days = 0): string {
  const at = new Date(clock.now().getTime() + days * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/** Picks an option of a select field by typing it, as a keyboard user would. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).fill(option);
  await page.keyboard.press('Enter');
}

/** The page does not scroll sideways on a 390-pixel-wide phone (both languages); then back to a desktop window. */
export async function fitsPhone(page: Page, name: string, ready: () => Promise<void>): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await ready();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await inBothLanguages(page, `${name}-390px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Runs every `job` of the contract queue the outbox holds for a contract, as the worker would; returns how many. */
export function runContractJobs(
  worker: INestApplicationContext,
  env: TestEnvironment,
  job: JobName,
  contractId: string,
): Promise<number> {
  return runJobsOfContract(worker, env, QueueName.Contracts, job, contractId);
}

/** What the seller writes of a new-materials listing at the pilot stage, with one invention patent. */
export interface ListingWritten {
  title: string;
  summary: string;
  mode: '挂牌交易' | '拍卖';
  priceYuan: number;
  patentSerial: number;
}

/**
 * The seller writes a listing in the editor, saves the draft and submits it for review; returns the
 * seller's page (left on the listing) and the listing's id.
 */
export async function submitListing(
  market: WebMarket,
  seller: Account,
  listing: ListingWritten,
): Promise<{ page: Page; listingId: string }> {
  const page = await newPage(market);
  await signIn(page, market, seller.email, PASSWORD);
  await page.goto(`${market.baseUrl}/seller/listings/new`);
  await page.getByLabel('成果名称').fill(listing.title);
  await page.getByLabel('成果简介').fill(listing.summary);
  await choose(page, '技术领域', '新材料');
  await choose(page, '成熟度', '中试');
  await choose(page, '交易方式', listing.mode);
  await page.getByLabel('挂牌价（元）').fill(String(listing.priceYuan));
  await page.getByLabel('编号 1').fill(inventionPatentNumber(listing.patentSerial));
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.waitForURL(/\/seller\/listings\/[0-9a-f-]{36}$/);
  const listingId = page.url().split('/').pop()!;
  await page.getByRole('button', { name: '提交审核' }).click();
  await poll(() => page.getByTestId('listing-status').innerText()).toBe('待审核');
  return { page, listingId };
}

/**
 * An admin approves the only listing under review on the review page (its announcement begins);
 * `shows`, when given, is text its review card must show first.
 */
export async function approveListing(market: WebMarket, admin: Account, title: string, shows?: string): Promise<void> {
  const page = await newPage(market);
  await signIn(page, market, admin.email, PASSWORD);
  await page.goto(`${market.baseUrl}/admin`);
  await poll(() => page.locator('.review h3').allInnerTexts()).toEqual([title]);
  if (shows !== undefined) expect(await page.locator('.review').first().innerText()).toContain(shows);
  await page.locator('.review').first().getByRole('button', { name: '通过并开始公示' }).click();
  await poll(() => page.locator('main').innerText()).toContain('没有待审核的挂牌');
}

/** The other party opens the contract from its list and signs the version the first one signed. */
export async function signSecond(page: Page, market: WebMarket, title: string, contractUrl: string): Promise<void> {
  await page.goto(`${market.baseUrl}/contracts`);
  await page.getByRole('link', { name: title }).click();
  await page.waitForURL(contractUrl);
  await poll(() => page.getByTestId('seller-signature').innerText()).toMatch(/^已签署/);
  await page.getByRole('button', { name: '签署合同（第 1 版）' }).click();
  await poll(() => page.getByTestId('contract-status').innerText()).toBe('已签署');
}

/**
 * The seller applies for registration on the signed contract's page: submitted, screened by the
 * worker's job, then under review.
 */
export async function applyForRegistration(
  page: Page,
  worker: INestApplicationContext,
  env: TestEnvironment,
  contractId: string,
): Promise<void> {
  const registrationStatus = () => page.getByTestId('registration-status').innerText();
  await poll(registrationStatus).toBe('尚未申请登记');
  await page.getByRole('button', { name: '申请认定登记' }).click();
  await poll(registrationStatus).toBe('已提交，风险筛查中');
  expect(await runContractJobs(worker, env, JobName.ContractSubmitted, contractId)).toBe(1);
  await page.reload();
  await poll(registrationStatus).toBe('审核中');
}

/** The registered contract's certificate downloads from its page: a PDF named by its number, carrying the number and the title. */
export async function downloadsCertificate(page: Page, number: string, title: string): Promise<void> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载技术合同登记证明（PDF）' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const file = await download.path();
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  const text = execFileSync('pdftotext', [file, '-']).toString();
  expect(text).toContain(number);
  expect(text).toContain(title);
}
