import type { DataSource } from 'typeorm';
import { ContractContent, registeredFacts, shanghaiDate } from '@market/contract';
import { JobName, JobPayloads } from '@market/queue';

/** The demo's demonstration county: Yuelu district, home of the demo university (a 示范县（市、区）). */
export const DEMO_COUNTY = {
  regionCode: '430104',
  name: '岳麓区',
  featuredIndustries: [
    { name: '新材料', technicalField: 'new_materials' },
    { name: '新一代信息技术', technicalField: 'next_gen_it' },
  ],
};

/**
 * The statistics of the demo market: every registered demo contract announced to the statistics
 * queue as the registry office's decision would have announced it (`contract.registered`, which
 * the worker counts once it runs), and Yuelu district designated a demonstration county, in its
 * second year of construction, so that its report has figures. Adds nothing a second time.
 */
export async function seedDemoStats(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const registered = (await manager.query(
      `SELECT r.id, r.contract_id, r.registration_number, r.decided_at, c.listing_id, v.version, v.content
         FROM contract_registration r
         JOIN contract c ON c.id = r.contract_id
         JOIN contract_version v ON v.contract_id = r.contract_id AND v.version = r.contract_version
         JOIN app_user u ON u.organization_id = c.seller_organization_id AND u.email LIKE '%.demo.xiaoxiang.market'
        WHERE r.kind = 'initial' AND r.status = 'registered'
          AND NOT EXISTS (SELECT 1 FROM outbox_event o WHERE o.job_name = $1 AND o.payload->>'registrationId' = r.id::text)
          AND NOT EXISTS (SELECT 1 FROM stats_contract s WHERE s.contract_id = r.contract_id)
        ORDER BY r.decided_at`,
      [JobName.ContractRegistered],
    )) as {
      id: string;
      contract_id: string;
      registration_number: string;
      decided_at: Date;
      listing_id: string | null;
      version: number;
      content: ContractContent;
    }[];
    for (const row of registered) {
      const payload: JobPayloads[JobName.ContractRegistered] = {
        registrationId: row.id,
        at: row.decided_at.toISOString(),
        facts: registeredFacts({
          contractId: row.contract_id,
          listingId: row.listing_id,
          version: row.version,
          registrationNumber: row.registration_number,
          registeredOn: shanghaiDate(row.decided_at),
          content: row.content,
        }),
      };
      await manager.query(`INSERT INTO outbox_event (job_name, payload, run_at) VALUES ($1, $2, $3)`, [
        JobName.ContractRegistered,
        payload,
        row.decided_at,
      ]);
    }
    const [admin] = (await manager.query(`SELECT id FROM app_user WHERE email = 'admin@demo.xiaoxiang.market'`)) as {
      id: string;
    }[];
    if (!admin) return;
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    await manager.query(
      `INSERT INTO demonstration_county (region_code, name, construction_start_year, featured_industries, designated_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (region_code) DO NOTHING`,
      [DEMO_COUNTY.regionCode, DEMO_COUNTY.name, year - 1, JSON.stringify(DEMO_COUNTY.featuredIndustries), admin.id],
    );
  });
}
