import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import type { Page } from 'playwright-core';
import { Account, addMember, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { inBothLanguages, newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { runContractJobs } from '../support/browser-trade';
import { brokerContractInput, createRegistryOffice, signContract } from '../support/contracts';
import { FakeClock } from '../support/fake-clock';
import { bearer } from '../support/listings';
import { http, startWorker } from '../support/market';
import { verified } from '../support/negotiations';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A market day (China Standard Time) `days` after the clock's today. */
function marketDay(clock: FakeClock, days = 0): string {
  const at = new Date(clock.now().getTime() + days * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/**
 * The contract pages past signing and the auditors' console beyond a registration: an API field
 * error at its field on the completion form; the queue's order and flags; a refusal with grounds
 * and a request for documents, each seen by the seller, who supplies the documents; a deliverable
 * delivered with a file, disputed, delivered again and accepted; an overdue payment marked.
 */
describe('web: contracts in performance and the registry office’s decisions', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let seller: Account;
  let buyer: Account;
  let broker: Account;
  let auditor: Account;
  let colleague: Account;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(api, env);
    seller = await verified(api, admin, { roles: [Role.Seller], kind: 'university', organizationName: '中南大学' });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    broker = await registerAccount(api, { roles: [Role.Broker], kind: 'agency', organizationName: '潇湘技术转移中心' });
    for (const party of [seller, buyer]) {
      await http(api)
        .post('/api/v1/broker-relationships')
        .set(bearer(party))
        .send({ brokerOrganizationId: broker.organizationId })
        .expect(201);
    }
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    auditor = await addMember(api, admin, office, [Role.Auditor]);
    colleague = await addMember(api, admin, office, [Role.Auditor]);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  const errors = (page: Page) => page.locator('.ant-form-item-explain-error').allInnerTexts();
  const alerts = (page: Page) => page.locator('.ant-alert-error').allInnerTexts();
  const registrationStatus = (page: Page) => page.getByTestId('registration-status').innerText();
  const milestone = (page: Page, key: string) => page.getByTestId(`milestone-${key}`);

  /** A broker-entered patent transfer in force from three days ago, its milestones due in 10, 60 and 120 days. */
  async function contract(projectName: string, sign = true): Promise<string> {
    const response = await http(market.api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(
        brokerContractInput(seller.organizationId, buyer.organizationId, {
          projectName,
          validFrom: marketDay(clock, -3),
          validUntil: marketDay(clock, 700),
          milestones: [
            { key: 'm1', kind: 'payment', title: '首付款', dueOn: marketDay(clock, 10), amountFen: 300_000 },
            { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: marketDay(clock, 60), amountFen: null },
            { key: 'm3', kind: 'payment', title: '尾款', dueOn: marketDay(clock, 120), amountFen: 300_000 },
          ],
        }),
      )
      .expect(201);
    const id = response.body.id as string;
    if (sign) {
      await signContract(market.api, id, seller, 1).expect(200);
      await signContract(market.api, id, buyer, 1).expect(200);
    }
    return id;
  }

  async function applied(id: string) {
    await http(market.api).post(`/api/v1/contracts/${id}/submit`).set(bearer(seller)).expect(200);
    await runContractJobs(worker, market.env, JobName.ContractSubmitted, id);
  }

  // Four browsers and a contract's life: longer than one page's test.
  jest.setTimeout(180_000);

  it('shows an API field error at its field, the queue by deadline, refusals, documents and a delivery', async () => {
    // A draft: the completion form shows the API's refusal of an amount at that field.
    const draft = await contract('一种硬质合金刀具涂层技术（待补充）', false);
    const sellerPage = await newPage(market);
    await signIn(sellerPage, market, seller.email, PASSWORD);
    await sellerPage.goto(`${market.baseUrl}/contracts/${draft}`);
    await sellerPage.getByLabel('预计新增投资（元）').fill('200000000000');
    await sellerPage.getByRole('button', { name: '保存', exact: true }).click();
    await poll(() => errors(sellerPage)).toEqual([expect.stringMatching(/^预计新增投资不符合要求：/)]);
    expect(await alerts(sellerPage)).toEqual([expect.stringContaining('填写的内容有误（VALIDATION_FAILED）')]);
    await inBothLanguages(sellerPage, 'contract-field-error', async (lang) => {
      await poll(() => errors(sellerPage)).toEqual([
        expect.stringMatching(lang === 'zh' ? /^预计新增投资不符合要求/ : /^Expected new investment is not valid/),
      ]);
    });

    // One contract registered and performing; one applied for 25 days before another.
    const performing = await contract('高镍三元正极材料制备方法专利权转让');
    await applied(performing);
    await http(market.api)
      .post(`/api/v1/registrations/${performing}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register' })
      .expect(200);
    const late = await contract('锂电池隔膜涂覆工艺专利权转让');
    await applied(late);
    clock.advanceDays(25);
    await runContractJobs(worker, market.env, JobName.ContractMilestoneDue, performing);
    const fresh = await contract('钠离子电池负极材料专利权转让');
    await applied(fresh);

    // The queue: the overdue application first, flagged; then the fresh one with its 15 working days.
    const auditorPage = await newPage(market);
    await signIn(auditorPage, market, auditor.email, PASSWORD);
    await auditorPage.goto(`${market.baseUrl}/registry`);
    const queueRows = () => auditorPage.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    await poll(() => queueRows()).toEqual([
      expect.stringMatching(
        /^已超期\s+锂电池隔膜涂覆工艺专利权转让\s+中南大学 \/ 湘江新材料有限公司\s+认定登记 · 审核中\s+¥5,000\s+\S+\s+-\d+\s+\d+/,
      ),
      expect.stringMatching(/^\s*钠离子电池负极材料专利权转让[\s\S]*\s15\s+\d+/),
    ]);
    await inBothLanguages(auditorPage, 'registry-queue-flags', async (lang) => {
      await poll(() => queueRows()).toEqual([
        expect.stringMatching(lang === 'zh' ? /^已超期/ : /^Overdue/),
        expect.stringContaining(lang === 'zh' ? '审核中' : 'Under review'),
      ]);
    });

    // The overdue one is refused on two grounds (the form wants a ground and a reason).
    await auditorPage.getByRole('link', { name: '锂电池隔膜涂覆工艺专利权转让' }).click();
    await auditorPage.getByRole('radio', { name: '未予登记' }).check();
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => errors(auditorPage)).toEqual(['必填', '必填']);
    await auditorPage.getByRole('checkbox', { name: '技术标的不清，登记人员难以认定' }).check();
    await auditorPage.getByRole('checkbox', { name: '未提交应当提交的证明文件' }).check();
    await auditorPage.getByLabel('理由', { exact: true }).fill('工艺参数未写明，专利证书未提交。');
    await inBothLanguages(auditorPage, 'registry-refusal');
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('未予登记');

    // The fresh one: documents requested.
    await auditorPage.goto(`${market.baseUrl}/registry/${fresh}`);
    await auditorPage.getByRole('radio', { name: '要求补正材料' }).check();
    await auditorPage.getByLabel('理由', { exact: true }).fill('请补充专利登记簿副本。');
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('待补正材料');

    // The seller reads the refusal's grounds by their names, and supplies the documents.
    await sellerPage.goto(`${market.baseUrl}/contracts/${late}`);
    await poll(() => registrationStatus(sellerPage)).toBe('未予登记');
    const registration = () => sellerPage.getByTestId('registration').innerText();
    expect(await registration()).toMatch(
      /未予登记的理由\s*未提交应当提交的证明文件；技术标的不清，登记人员难以认定[\s\S]*工艺参数未写明，专利证书未提交。/,
    );
    await inBothLanguages(sellerPage, 'contract-refused', async (lang) => {
      await poll(() => registration()).toContain(
        lang === 'zh' ? '技术标的不清' : 'Required proofs missing; Subject too unclear to assess',
      );
    });
    // The seller objects (异议; a reason required); the auditor who refused may not rule on it, a colleague upholds it.
    await sellerPage.getByRole('button', { name: '提交登记异议' }).click();
    await poll(() => errors(sellerPage)).toEqual(['必填']);
    await sellerPage.getByLabel('登记异议的理由').fill('工艺参数已在附件三写明，请复核。');
    await sellerPage.getByRole('button', { name: '提交登记异议' }).click();
    await poll(() => registration()).toContain('登记异议\n工艺参数已在附件三写明，请复核。');
    expect(await sellerPage.getByRole('button', { name: '提交登记异议' }).count()).toBe(0);

    await auditorPage.goto(`${market.baseUrl}/registry`);
    await poll(() => queueRows()).toEqual([
      expect.stringMatching(/^异议待处理\s+锂电池隔膜涂覆工艺专利权转让[\s\S]*认定登记 · 未予登记/),
      expect.stringMatching(/^\s*钠离子电池负极材料专利权转让[\s\S]*待补正材料/),
    ]);
    await auditorPage.getByRole('link', { name: '锂电池隔膜涂覆工艺专利权转让' }).click();
    await poll(() => auditorPage.getByTestId('objection').innerText()).toBe('工艺参数已在附件三写明，请复核。');
    await auditorPage.getByRole('radio', { name: '异议成立，重新审核' }).check();
    await auditorPage.getByLabel('理由', { exact: true }).fill('附件三确有工艺参数。');
    await auditorPage.getByRole('button', { name: '提交处理结果' }).click();
    await poll(() => alerts(auditorPage)).toEqual([
      expect.stringContaining('异议须由其他审核员处理（CONTRACT.SAME_AUDITOR）'),
    ]);
    const colleaguePage = await newPage(market);
    await signIn(colleaguePage, market, colleague.email, PASSWORD);
    await colleaguePage.goto(`${market.baseUrl}/registry/${late}`);
    await inBothLanguages(colleaguePage, 'registry-objection', async (lang) => {
      await poll(() =>
        colleaguePage.getByRole('button', { name: lang === 'zh' ? '提交处理结果' : 'Record the ruling' }).count(),
      ).toBe(1);
    });
    await colleaguePage.getByRole('radio', { name: '异议成立，重新审核' }).check();
    await colleaguePage.getByLabel('理由', { exact: true }).fill('附件三确有工艺参数，重新审核。');
    await colleaguePage.getByRole('button', { name: '提交处理结果' }).click();
    await poll(() => colleaguePage.getByTestId('case-status').innerText()).toBe('审核中');
    expect(await colleaguePage.getByRole('button', { name: '提交决定' }).count()).toBe(1);
    // The colleague marks the case disputed (a reason required): the period becomes 30 working days.
    await colleaguePage.getByRole('button', { name: '标记为有争议' }).click();
    await poll(() => errors(colleaguePage)).toEqual(['必填']);
    await colleaguePage.getByLabel('争议情况').fill('买方对专利有效性提出质疑。');
    await colleaguePage.getByRole('button', { name: '标记为有争议' }).click();
    await poll(() => colleaguePage.getByTestId('case-disputed').innerText()).toBe('买方对专利有效性提出质疑。');
    expect(await colleaguePage.getByTestId('case-deadline').innerText()).toMatch(/（30 个工作日）$/);
    await sellerPage.reload();
    await poll(() => registrationStatus(sellerPage)).toBe('审核中');
    expect(await sellerPage.getByTestId('objection-outcome').innerText()).toBe(
      '异议成立，重新审核（附件三确有工艺参数，重新审核。）',
    );

    await sellerPage.goto(`${market.baseUrl}/contracts/${fresh}`);
    await poll(() => registrationStatus(sellerPage)).toBe('待补正材料');
    expect(await registration()).toContain('请补充专利登记簿副本。');
    await sellerPage.getByRole('button', { name: '提交补正' }).click();
    await poll(() => errors(sellerPage)).toEqual(['必填']);
    await sellerPage.getByLabel('补正说明').fill('已上传专利登记簿副本。');
    await sellerPage.getByRole('button', { name: '提交补正' }).click();
    await poll(() => registrationStatus(sellerPage)).toBe('审核中');

    // The performing contract: the first payment overdue, marked; the deliverable delivered with a file.
    await sellerPage.goto(`${market.baseUrl}/contracts/${performing}`);
    await poll(() => milestone(sellerPage, 'm1').innerText()).toMatch(/首付款[\s\S]*已逾期/);
    expect(await milestone(sellerPage, 'm2').innerText()).toMatch(/交付工艺包[\s\S]*未到期/);
    await sellerPage.getByRole('button', { name: '提交交付' }).click();
    await poll(() => errors(sellerPage)).toEqual(['必填']);
    const file = sellerPage.getByLabel('交付凭证文件（PDF、PNG 或 JPEG，不超过 512 KB）');
    await file.setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('not a pdf') });
    await sellerPage.getByRole('button', { name: '提交交付' }).click();
    await poll(() => alerts(sellerPage)).toEqual([
      expect.stringContaining('交付凭证文件不符合要求（CONTRACT.EVIDENCE_REFUSED）'),
    ]);
    await file.setInputFiles({ name: '工艺包交付确认单.pdf', mimeType: 'application/pdf', buffer: PDF });
    await sellerPage.getByRole('button', { name: '提交交付' }).click();
    await poll(() => milestone(sellerPage, 'm2').innerText()).toMatch(/已交付，待验收[\s\S]*工艺包交付确认单\.pdf/);
    // The deliverer cannot accept its own delivery: the API's refusal by its code.
    await milestone(sellerPage, 'm2').getByRole('button', { name: '确认验收' }).click();
    await poll(() => alerts(sellerPage)).toEqual([
      expect.stringContaining('此操作应由合同另一方进行（CONTRACT.OTHER_PARTY_RESOLVES）'),
    ]);
    await inBothLanguages(sellerPage, 'contract-performing', async (lang) => {
      await poll(() => milestone(sellerPage, 'm1').innerText()).toContain(lang === 'zh' ? '已逾期' : 'Overdue');
    });

    // The buyer disputes (a reason required), the seller delivers again, the buyer accepts.
    const buyerPage = await newPage(market);
    await signIn(buyerPage, market, buyer.email, PASSWORD);
    await buyerPage.goto(`${market.baseUrl}/contracts/${performing}`);
    await milestone(buyerPage, 'm2').getByRole('button', { name: '提出异议' }).click();
    await buyerPage.getByRole('button', { name: '提交异议' }).click();
    await poll(() => errors(buyerPage)).toEqual(['必填']);
    await buyerPage.getByLabel('异议理由').fill('缺少中试工艺参数表。');
    await buyerPage.getByRole('button', { name: '提交异议' }).click();
    await poll(() => milestone(buyerPage, 'm2').innerText()).toMatch(
      /有异议，待重新交付[\s\S]*异议理由：缺少中试工艺参数表。/,
    );

    await sellerPage.reload();
    await poll(() => milestone(sellerPage, 'm2').innerText()).toContain('有异议，待重新交付');
    await sellerPage
      .getByLabel('交付凭证文件（PDF、PNG 或 JPEG，不超过 512 KB）')
      .setInputFiles({ name: '工艺包（含参数表）.pdf', mimeType: 'application/pdf', buffer: PDF });
    await sellerPage.getByRole('button', { name: '提交交付' }).click();
    await poll(() => milestone(sellerPage, 'm2').innerText()).toContain('工艺包（含参数表）.pdf');

    await buyerPage.reload();
    await milestone(buyerPage, 'm2').getByRole('button', { name: '确认验收' }).click();
    await poll(() => milestone(buyerPage, 'm2').innerText()).toMatch(/交付工艺包[\s\S]*已验收/);
    const [download] = await Promise.all([
      buyerPage.waitForEvent('download'),
      milestone(buyerPage, 'm2').getByRole('button', { name: '工艺包（含参数表）.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('工艺包（含参数表）.pdf');
    await inBothLanguages(buyerPage, 'contract-delivery-accepted', async (lang) => {
      await poll(() => milestone(buyerPage, 'm2').innerText()).toContain(lang === 'zh' ? '已验收' : 'Accepted');
    });

    // Ended by agreement (协商解除): the buyer proposes (a reason required), the seller agrees, the
    // office registers the cancellation (注销登记) and the contract is terminated.
    const termination = (page: Page) => page.getByTestId('termination').innerText();
    await buyerPage.getByRole('button', { name: '提议协商解除' }).click();
    await poll(() => errors(buyerPage)).toEqual(['必填']);
    await buyerPage.getByLabel('解除理由', { exact: true }).fill('产线改造计划取消。');
    await buyerPage.getByRole('button', { name: '提议协商解除' }).click();
    await poll(() => termination(buyerPage)).toMatch(/待对方确认[\s\S]*买方[\s\S]*产线改造计划取消。/);
    expect(await buyerPage.getByRole('button', { name: '撤回解除提议' }).count()).toBe(1);
    await sellerPage.reload();
    await poll(() => termination(sellerPage)).toContain('待对方确认');
    await inBothLanguages(sellerPage, 'contract-termination-proposed', async (lang) => {
      await poll(() => termination(sellerPage)).toContain(lang === 'zh' ? '待对方确认' : 'Awaiting the other party');
    });
    await sellerPage.getByRole('button', { name: '同意解除', exact: true }).click();
    await poll(() => termination(sellerPage)).toMatch(/双方协商一致，待注销登记[\s\S]*注销登记/);
    await poll(() => sellerPage.getByTestId('registration').innerText()).toContain('注销登记');

    await auditorPage.goto(`${market.baseUrl}/registry/${performing}`);
    await auditorPage.getByLabel('理由', { exact: true }).fill('双方协商解除，予以注销。');
    await auditorPage.getByRole('button', { name: '提交决定' }).click();
    await poll(() => auditorPage.getByTestId('case-status').innerText()).toBe('已登记');
    await sellerPage.reload();
    await poll(() => sellerPage.getByTestId('contract-status').innerText()).toBe('已终止');
  });
});
