import type { INestApplicationContext } from '@nestjs/common';
import { JobDispatcher, JobName, QueueName } from '@market/queue';
import type { Account } from './accounts';
import { bearer } from './listings';
import { Api, http } from './market';
import type { TestEnvironment } from './test-env';

/** What a complete transfer contract needs beyond what a trade fills in (total 500,000 fen). */
export function completion(overrides: Record<string, unknown> = {}) {
  return {
    validFrom: '2026-03-01',
    validUntil: '2027-02-28',
    expectedNewInvestmentFen: 20_000_000,
    expectedNewOutputFen: 80_000_000,
    ...overrides,
  };
}

/** A complete broker-entered patent transfer between two organizations. */
export function brokerContractInput(
  sellerOrganizationId: string,
  buyerOrganizationId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    sellerOrganizationId,
    buyerOrganizationId,
    commissionRateBasisPoints: 300,
    contractType: 'transfer',
    subKind: 'patent_right',
    projectName: '一种高镍三元正极材料制备方法专利权转让',
    technicalField: 'new_energy',
    totalAmountFen: 600_000,
    technologyAmountFen: 500_000,
    nonTechnicalItems: [{ kind: 'hardware', description: '中试反应釜一台', amountFen: 100_000 }],
    ipItems: [{ kind: 'invention_patent', number: 'ZL202310000001.5', legalStatus: 'granted' }],
    milestones: [
      { key: 'm1', kind: 'payment', title: '首付款', dueOn: '2026-04-01', amountFen: 300_000 },
      { key: 'm2', kind: 'deliverable', title: '交付工艺包', dueOn: '2026-06-01', amountFen: null },
      { key: 'm3', kind: 'payment', title: '尾款', dueOn: '2026-09-01', amountFen: 300_000 },
    ],
    ...completion(),
    ...overrides,
  };
}

/** Hands every `trade.agreed` the outbox holds for a listing to the contract queue's handler; returns the rows. */
export async function deliverTradeAgreed(
  worker: INestApplicationContext,
  env: TestEnvironment,
  listingId: string,
  redelivery = '',
): Promise<{ id: string; payload: Record<string, unknown> }[]> {
  const rows = await env.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT id, payload FROM outbox_event WHERE job_name = $1 AND payload->>'listingId' = $2`,
    [JobName.TradeAgreed, listingId],
  );
  for (const row of rows) {
    await worker
      .get(JobDispatcher)
      .run(QueueName.Contracts, { id: `${row.id}${redelivery}`, name: JobName.TradeAgreed, data: row.payload });
  }
  return rows;
}

export async function contractOfTrade(env: TestEnvironment, tradeId: string): Promise<string[]> {
  const rows = await env.query<{ id: string }>(`SELECT id FROM contract WHERE trade_id = $1`, [tradeId]);
  return rows.map((row) => row.id);
}

export function getContract(api: Api, id: string, as: Account) {
  return http(api).get(`/api/v1/contracts/${id}`).set(bearer(as));
}

export function signContract(api: Api, id: string, as: Account, version: number) {
  return http(api).post(`/api/v1/contracts/${id}/sign`).set(bearer(as)).send({ version });
}
