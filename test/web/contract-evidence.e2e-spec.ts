import { createHash, randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Role } from '@market/identity';
import { JobName } from '@market/queue';
import { Account, addMember, createAdmin, PASSWORD, registerAccount } from '../support/accounts';
import { newPage, poll, signIn, startWebMarket, WebMarket } from '../support/browser';
import { runContractJobs } from '../support/browser-trade';
import { brokerContractInput, createRegistryOffice, signContract } from '../support/contracts';
import { FakeClock } from '../support/fake-clock';
import { bearer } from '../support/listings';
import { http, startWorker } from '../support/market';
import { verified } from '../support/negotiations';

/**
 * The milestone timeline of a performing contract in the pages: the seller delivers a milestone with
 * an evidence file chosen in the form — sent as multipart/form-data — and the buyer accepts it.
 */
describe('web: delivering a milestone with an evidence file upload', () => {
  const clock = new FakeClock();
  let market: WebMarket;
  let worker: INestApplicationContext;
  let seller: Account;
  let buyer: Account;
  let contractId: string;

  beforeAll(async () => {
    market = await startWebMarket({ clock });
    const { api, env } = market;
    worker = await startWorker({ clock, consume: false });
    const admin = await createAdmin(api, env);
    seller = await verified(api, admin, { roles: [Role.Seller], kind: 'university', organizationName: '中南大学' });
    buyer = await verified(api, admin, { roles: [Role.Buyer], organizationName: '湘江新材料有限公司' });
    const broker = await registerAccount(api, { roles: [Role.Broker], organizationName: '潇湘技术转移中心' });
    await http(api)
      .post('/api/v1/broker-relationships')
      .set(bearer(seller))
      .send({ brokerOrganizationId: broker.organizationId })
      .expect(201);
    const office = await createRegistryOffice(api, admin, '长沙市技术合同登记处', '02', ['430100']);
    const auditor = await addMember(api, admin, office, [Role.Auditor]);
    const created = await http(api)
      .post('/api/v1/contracts')
      .set(bearer(broker))
      .send(brokerContractInput(seller.organizationId, buyer.organizationId))
      .expect(201);
    contractId = created.body.id as string;
    await signContract(api, contractId, seller, 1).expect(200);
    await signContract(api, contractId, buyer, 1).expect(200);
    await http(api).post(`/api/v1/contracts/${contractId}/submit`).set(bearer(seller)).expect(200);
    await runContractJobs(worker, env, JobName.ContractSubmitted, contractId);
    await http(api)
      .post(`/api/v1/registrations/${contractId}/decision`)
      .set(bearer(auditor))
      .send({ decision: 'register' })
      .expect(200);
  });

  afterAll(async () => {
    await worker?.close();
    await market?.close();
  });

  jest.setTimeout(120_000);

  it('sends the chosen file as an upload, kept with its hash, which the buyer then accepts', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);
    const page = await newPage(market);
    await signIn(page, market, seller.email, PASSWORD);
    await page.goto(`${market.baseUrl}/contracts/${contractId}`);
    const m2 = page.getByTestId('milestone-m2');
    await m2
      .locator('input[type=file]')
      .setInputFiles({ name: '工艺包交付确认单.pdf', mimeType: 'application/pdf', buffer: pdf });
    await m2.getByLabel('说明').fill('中试工艺包已交付');
    await m2.getByRole('button', { name: '提交交付' }).click();
    await poll(() => m2.innerText()).toContain('已交付，待验收');
    await poll(() => m2.innerText()).toContain('工艺包交付确认单.pdf');

    const [kept] = await market.env.query<{ sha256: string; size_bytes: number; file_name: string }>(
      `SELECT sha256, size_bytes, file_name FROM contract_evidence WHERE contract_id = $1`,
      [contractId],
    );
    expect(kept).toEqual({
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size_bytes: pdf.length,
      file_name: '工艺包交付确认单.pdf',
    });

    const buyerPage = await newPage(market);
    await signIn(buyerPage, market, buyer.email, PASSWORD);
    await buyerPage.goto(`${market.baseUrl}/contracts/${contractId}`);
    const delivered = buyerPage.getByTestId('milestone-m2');
    await delivered.getByRole('button', { name: '确认验收' }).click();
    await poll(() => delivered.innerText()).toContain('已验收');
  });
});
