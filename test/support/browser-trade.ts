import type { INestApplicationContext } from '@nestjs/common';
import { JobName, QueueName } from '@market/queue';
import type { Page } from 'playwright-core';
import { inBothLanguages } from './browser';
import { runJobsOfContract } from './contracts';
import type { FakeClock } from './fake-clock';
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
