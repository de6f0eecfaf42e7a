/**
 * `npm run bench:web`: what the built web pages cost a visitor, against the api serving them on a
 * market loaded with the demo data.
 *
 *   1. All JavaScript the home page loads until the network is idle (Chromium, desktop window,
 *      no scrolling), gzip-compressed as the api serves it (the `.gz` copies the build writes).
 *   2. Lighthouse 12.2.3, its desktop preset, on Debian's Chromium: performance and accessibility
 *      of the home, search and auction pages, the median of three runs each.
 *
 * Targets: JavaScript ≤ 300 KB gzipped, performance ≥ 90, accessibility ≥ 95.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { request } from 'node:http';
import { chromium } from 'playwright-core';
import { seedDemoData } from '../tools/demo-data';
import { startApiProcess, startInfra } from './support';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--no-first-run',
  '--metrics-recording-only',
];
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 3);
const JS_TARGET_KB = 300;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Bytes of the body as sent for `accept-encoding: gzip`, not decompressed. */
function gzippedSize(url: string): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        resolve({ bytes, encoding: String(response.headers['content-encoding'] ?? 'identity') }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

async function homeJavaScript(
  baseUrl: string,
): Promise<{ kb: number; files: number; scrolledKb: number; charts: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1350, height: 940 } });
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(response.url());
    });
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle' });
    const sizes = await Promise.all([...scripts].map(gzippedSize));
    const notGzipped = sizes.filter((s) => s.encoding !== 'gzip');
    if (notGzipped.length > 0) console.log(`warning: ${notGzipped.length} scripts not served gzipped`);
    const kb = sizes.reduce((sum, s) => sum + s.bytes, 0) / 1024;
    const charts = await page.locator('.bar-chart svg rect').count();
    // Scrolled to the end: anything loaded only when it comes into view.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.waitForLoadState('networkidle');
    await new Promise((r) => setTimeout(r, 500));
    await page.waitForLoadState('networkidle');
    const all = await Promise.all([...scripts].map(gzippedSize));
    return { kb, files: sizes.length, scrolledKb: all.reduce((sum, s) => sum + s.bytes, 0) / 1024, charts };
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function lighthouseScores(url: string): Promise<{ performance: number; accessibility: number }> {
  // Lighthouse is an ES module; this file is CommonJS.
  const { default: lighthouse } = (await import('lighthouse')) as typeof import('lighthouse');
  const { default: desktop } = (await import('lighthouse/core/config/desktop-config.js')) as {
    default: import('lighthouse').Config;
  };
  const performance: number[] = [];
  const accessibility: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...FLAGS, `--remote-debugging-port=${port}`],
      headless: true,
    });
    try {
      const result = await lighthouse(
        url,
        { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] },
        desktop,
      );
      const categories = result?.lhr.categories;
      if (!categories) throw new Error(`Lighthouse gave no result for ${url}`);
      performance.push(Math.round((categories.performance.score ?? 0) * 100));
      if (process.env.BENCH_WEB_DETAILS) {
        const audits = result.lhr.audits;
        const metric = (id: string) => audits[id]?.displayValue ?? '?';
        console.log(
          `  ${url}: FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, SI ${metric('speed-index')}`,
        );
      }
      accessibility.push(Math.round((categories.accessibility.score ?? 0) * 100));
    } finally {
      await browser.close();
    }
  }
  return { performance: median(performance), accessibility: median(accessibility) };
}

async function main(): Promise<void> {
  const infra = await startInfra('web');
  const demo = await seedDemoData(infra.databaseUrl);
  const api = await startApiProcess(infra);
  // The worker counts the demo's registered contracts in the statistics: the home page then has its charts.
  const worker = spawn(process.execPath, [join(__dirname, '../apps/worker/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: infra.databaseUrl,
      REDIS_URL: infra.redisUrl,
      JWT_SECRET: api.jwtSecret,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const stats = (await (await fetch(`${api.baseUrl}/api/v1/stats/contracts`)).json()) as {
        totals: { contracts: number };
      };
      if (stats.totals.contracts > 0) break;
      if (Date.now() > deadline) {
        console.log('warning: no registered contract counted after 60 s; the home page shows no charts');
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const js = await homeJavaScript(api.baseUrl);
    console.log(
      `home.js_gzip_kb = ${js.kb.toFixed(1)} (target ≤ ${JS_TARGET_KB}; ${js.files} files until network idle; ${js.charts} bars drawn)`,
    );
    console.log(`home.js_gzip_kb_scrolled = ${js.scrolledKb.toFixed(1)} (no target; after scrolling to the end)`);
    const only = process.env.BENCH_WEB_PAGES?.split(',');
    const pages: [string, string][] = [
      ['home', '/'],
      ['search', `/search?q=${encodeURIComponent('技术')}`],
      ['auction', demo.openAuctionId ? `/auctions/${demo.openAuctionId}` : '/auctions'],
    ];
    for (const [name, path] of pages.filter(([name]) => !only || only.includes(name))) {
      const scores = await lighthouseScores(`${api.baseUrl}${path}`);
      console.log(`${name}.performance = ${scores.performance} (target ≥ 90; median of ${RUNS}, desktop)`);
      console.log(`${name}.accessibility = ${scores.accessibility} (target ≥ 95; median of ${RUNS})`);
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (worker.exitCode !== null) return resolve();
      worker.once('exit', () => resolve());
      worker.kill('SIGTERM');
    });
    await api.stop();
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
