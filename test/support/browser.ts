import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Clock } from '@market/clock';
import { Api, startApi } from './market';
import { createTestEnvironment, TestEnvironment } from './test-env';

/** Debian's Chromium, headless, with nothing of its own reaching the network. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A market for browser tests: its own database, the api in this process serving the built pages on a port. */
export interface WebMarket {
  env: TestEnvironment;
  api: Api;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startWebMarket(options: { clock?: Clock; env?: TestEnvironment } = {}): Promise<WebMarket> {
  const env = options.env ?? (await createTestEnvironment());
  const api = await startApi({ clock: options.clock });
  await api.listen(0, '127.0.0.1');
  const address = api.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('the api did not listen on a port');
  const browser = await launchChromium();
  return {
    env,
    api,
    baseUrl: `http://127.0.0.1:${address.port}`,
    browser,
    close: async () => {
      await browser.close();
      await api.close();
      if (!options.env) await env.close();
    },
  };
}

/** A phone-sized or desktop page in a fresh context (its own storage: its own signed-in user). */
export async function newPage(market: WebMarket, viewport = { width: 1280, height: 900 }): Promise<Page> {
  // A browser far from Beijing: the pages must still show China Standard Time. Reduced motion: no
  // animation is caught half-way by a screenshot or a contrast check.
  const context = await market.browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Europe/London',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function signIn(page: Page, market: WebMarket, email: string, password: string): Promise<void> {
  await page.goto(`${market.baseUrl}/signin`);
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page
    .getByRole('button', { name: /^(登 ?录|Sign in)$/ })
    .last()
    .click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

const SCREENSHOTS = join(__dirname, '../screenshots');

/** Serious or critical accessibility violations on the page as it is now: none expected. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page's language: the switch in the header. */
export async function switchLanguage(page: Page, to: 'zh' | 'en'): Promise<void> {
  const lang = await page.evaluate<string>('document.documentElement.lang');
  if ((to === 'en') === (lang === 'en')) return;
  await page.getByRole('button', { name: to === 'en' ? /English/ : /中\s?文/ }).click();
  await page.waitForFunction(`document.documentElement.lang === '${to === 'en' ? 'en' : 'zh-CN'}'`);
}

/**
 * Looks at the page in Chinese and in English: a screenshot of each (test/screenshots, not kept in
 * git) and an accessibility scan of each. `check` asserts what the page shows in that language.
 * Leaves the page in Chinese.
 */
export async function inBothLanguages(
  page: Page,
  name: string,
  check: (lang: 'zh' | 'en') => Promise<void> = async () => undefined,
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const lang of ['zh', 'en'] as const) {
    await switchLanguage(page, lang);
    await check(lang);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.${lang}.png`), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }
  await switchLanguage(page, 'zh');
}

type Matchers = Pick<jest.Matchers<Promise<void>>, 'toBe' | 'toEqual' | 'toContain' | 'toMatch' | 'toHaveLength'>;

/** `expect` on what the page shows, retried until it holds (pages render and stream asynchronously). */
export function poll<T>(probe: () => Promise<T>, timeoutMs = 10_000): Matchers {
  const retrying =
    (matcher: keyof Matchers) =>
    async (...args: unknown[]): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          const value = await probe();
          (expect(value) as unknown as Record<string, (...a: unknown[]) => void>)[matcher](...args);
          return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
  return {
    toBe: retrying('toBe'),
    toEqual: retrying('toEqual'),
    toContain: retrying('toContain'),
    toMatch: retrying('toMatch'),
    toHaveLength: retrying('toHaveLength'),
  } as Matchers;
}
