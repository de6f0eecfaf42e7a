import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Role } from '@market/identity';
import { JobDispatcher, JobName, JobPayloads, QueueName } from '@market/queue';
import { Account, createAdmin, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, startWebMarket, WebMarket } from '../support/browser';
import { announce, verifyOrganization } from '../support/listings';
import { startWorker } from '../support/market';

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const year = today.slice(0, 4);
const thisMonth = Number(today.slice(5, 7));
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The home page in a real browser: the live counts, this year's registered contract value from the
 * statistics, and the two bar charts drawn as SVG with their figures as a table, in both languages,
 * on a desktop and a 390-pixel screen, without ECharts or any other charting script.
 */
describe('web: the home page', () => {
  let market: WebMarket;
  let worker: INestApplicationContext;
  let admin: Account;
  let seller: Account;

  /** A registration as the registry office's decision announces it to the statistics queue. */
  async function registered(registeredOn: string, technicalField: string | null, totalAmountFen: number) {
    const party = (name: string) => ({ organizationId: randomUUID(), name, kind: 'enterprise', regionCode: '430104' });
    const payload: JobPayloads[JobName.ContractRegistered] = {
      registrationId: randomUUID(),
      at: `${registeredOn}T02:00:00.000Z`,
      facts: {
        contractId: randomUUID(),
        version: 1,
        registrationNumber: `${year}430104${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        registeredOn,
        contractType: 'transfer',
        subKind: null,
        technicalField,
        projectName: '锂电池正极材料技术转让',
        listingId: null,
        seller: party('中南大学'),
        buyer: party('长沙储能科技有限公司'),
        broker: null,
        totalAmountFen,
        technologyAmountFen: totalAmountFen,
        ipKinds: ['invention_patent'],
      },
    };
    await worker
      .get(JobDispatcher)
      .run(QueueName.Stats, { id: randomUUID(), name: JobName.ContractRegistered, data: payload });
  }

  beforeAll(async () => {
    market = await startWebMarket();
    worker = await startWorker({ consume: false });
    const { api, env } = market;
    admin = await createAdmin(api, env);
    seller = await registerAccount(api, { roles: [Role.Seller], organizationName: '中南大学技术转移中心' });
    await verifyOrganization(api, admin, seller.organizationId);
    await announce(api, seller, admin, { title: '高能量密度锂电池正极材料制备技术', technicalField: 'new_energy' });
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  it('says no contract is registered yet, and counts the listing on offer', async () => {
    const page = await newPage(market);
    await page.goto(`${market.baseUrl}/`);
    await poll(() => page.getByTestId('trade-value').innerText()).toBe('¥0');
    await poll(() => page.locator('main').innerText()).toContain('今年尚无登记的技术合同');
    expect(await page.locator('.bar-chart').count()).toBe(0);
    expect(await page.locator('.figures').innerText()).toMatch(/公示与交易中的成果\s*1/);
  });

  it('draws this year’s registered contract value by month and by field as SVG, with a table of the same figures', async () => {
    // 1 January's contracts and today's: ¥480万 and ¥120万 of new energy, ¥300万 of new materials,
    // ¥50万 without a field. A contract registered last year is not this year's.
    await registered(`${year}-01-15`, 'new_energy', 480_000_000);
    await registered(today, 'new_energy', 120_000_000);
    await registered(today, 'new_materials', 300_000_000);
    await registered(today, null, 50_000_000);
    await registered(`${Number(year) - 1}-12-30`, 'new_materials', 990_000_000);

    const page = await newPage(market);
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.url());
    });
    await page.goto(`${market.baseUrl}/`);
    await poll(() => page.getByTestId('trade-value').innerText()).toBe('¥950万');
    await poll(() => page.locator('.bar-chart').count()).toBe(2);
    const [byMonth, byField] = [page.locator('.bar-chart').nth(0), page.locator('.bar-chart').nth(1)];

    await inBothLanguages(page, 'home-charts', async (lang) => {
      const zh = lang === 'zh';
      expect(await byMonth.locator('figcaption').innerText()).toBe(
        zh ? '今年各月登记合同成交额' : 'Registered contract value by month, this year',
      );
      // One bar per month of the year so far, each titled with its month and value.
      expect(await byMonth.locator('svg rect').count()).toBe(thisMonth);
      const monthTitles = await byMonth.locator('svg title').allTextContents();
      if (thisMonth > 1) {
        expect(monthTitles[0]).toBe(zh ? '1月：¥480万' : 'Jan: ¥4,800,000');
        expect(monthTitles[thisMonth - 1]).toBe(
          zh ? `${thisMonth}月：¥470万` : `${MONTHS_EN[thisMonth - 1]}: ¥4,700,000`,
        );
        expect(monthTitles.slice(1, -1).every((title) => title.endsWith(zh ? '：¥0' : ': ¥0'))).toBe(true);
        // The value axis in 万 (Chinese) or millions (English), in round steps up to ¥600万.
        const axis = await byMonth.locator('svg text').allTextContents();
        expect(axis).toEqual(expect.arrayContaining(zh ? ['¥0', '¥200万', '¥600万'] : ['¥0', '¥2M', '¥6M']));
      } else {
        expect(monthTitles).toEqual([zh ? '1月：¥950万' : 'Jan: ¥9,500,000']);
      }

      // Fields largest first, by their names in the page's language; each bar's value written beside it.
      expect(await byField.locator('svg title').allTextContents()).toEqual(
        zh
          ? ['新能源：¥600万', '新材料：¥300万', '未注明：¥50万']
          : ['New energy: ¥6,000,000', 'New materials: ¥3,000,000', 'Unspecified: ¥500,000'],
      );
      const fieldTexts = await byField.locator('svg text').allTextContents();
      expect(fieldTexts).toEqual(expect.arrayContaining(zh ? ['新能源', '¥600万'] : ['New energy', '¥6M']));

      // The table: read by screen readers, shown to everyone by the button (keyboard: Enter).
      const table = byField.locator('table');
      expect(await table.getAttribute('class')).toBe('sr-only');
      const toggle = byField.locator('.chart-toggle');
      expect(await toggle.innerText()).toBe(zh ? '以表格查看' : 'Show as a table');
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect(await toggle.innerText()).toBe(zh ? '收起表格' : 'Hide the table');
      expect((await table.boundingBox())!.width).toBeGreaterThan(200);
      expect(await table.locator('tbody tr').allInnerTexts()).toEqual(
        zh
          ? ['新能源\t¥600万', '新材料\t¥300万', '未注明\t¥50万']
          : ['New energy\t¥6,000,000', 'New materials\t¥3,000,000', 'Unspecified\t¥500,000'],
      );
      await page.keyboard.press('Enter');
      expect(await table.getAttribute('class')).toBe('sr-only');
    });

    // The charts are the page's own SVG: no charting library is fetched.
    expect(scripts.filter((url) => /echarts|zrender|charts-/i.test(url))).toEqual([]);

    // On a 390-pixel-wide phone the charts fit the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await poll(() => page.locator('.bar-chart svg').count()).toBe(2);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    for (const svg of await page.locator('.bar-chart svg').all()) {
      expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(390);
    }
    await inBothLanguages(page, 'home-charts-390px');
  });
});
