import type { DataSource, EntityManager } from 'typeorm';
import {
  addWorkingDays,
  CALENDAR_2026,
  CALENDAR_2026_SOURCE,
  CalendarYear,
  contentHash,
  ContractContent,
  ContractType,
  dueAt,
  FOURTEEN_DIGITS,
  MilestoneKind,
  PartyKind,
  Pricing,
  provisionalYear,
  shanghaiDate,
  syncRegistrationQueue,
} from '@market/contract';
import { deadlineKeyOf, JobName, JobPayloads } from '@market/queue';

const DAY_MS = 24 * 3600 * 1000;

/** The demo accounts contracts are made between (see DEMO_ORGANIZATIONS). */
const EMAILS = {
  seller: 'seller@csu.demo.xiaoxiang.market',
  buyer: 'buyer@zzxc.demo.xiaoxiang.market',
  broker: 'broker@cstt.demo.xiaoxiang.market',
  auditor: 'auditor@registry.demo.xiaoxiang.market',
};

interface Party {
  organizationId: string;
  userId: string;
  name: string;
  regionCode: string;
}

const calendarOf = (year: number): CalendarYear =>
  year === 2026
    ? { year, source: CALENDAR_2026_SOURCE, days: new Map(CALENDAR_2026.map((d) => [d.date, d])) }
    : provisionalYear(year);

const dateOffset = (days: number) => shanghaiDate(new Date(Date.now() + days * DAY_MS));

/**
 * Contracts in every state of their life, between the demo university (seller) and company (buyer),
 * entered by the demo broker and filed with the demo registry office (which covers all of Hunan,
 * registration point 01): a draft, a signed one, two awaiting registration (one past its
 * working-day deadline), one registered whose validity starts next month (its certificate can be
 * printed), one performing with an overdue milestone, and one completed. Written as the services
 * would have written them, deadlines as outbox jobs. Skipped when the demo seller has any contract.
 */
export async function seedDemoContracts(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const rows: (Party & { email: string })[] = await manager.query(
      `SELECT u.email, u.id AS "userId", o.id AS "organizationId", o.name, o.region_code AS "regionCode"
         FROM app_user u JOIN organization o ON o.id = u.organization_id WHERE u.email = ANY($1)`,
      [Object.values(EMAILS)],
    );
    const by = (email: string) => rows.find((r) => r.email === email);
    const [seller, buyer, broker, auditor] = [
      by(EMAILS.seller),
      by(EMAILS.buyer),
      by(EMAILS.broker),
      by(EMAILS.auditor),
    ];
    if (!seller || !buyer || !broker || !auditor) return;
    const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM contract WHERE seller_organization_id = $1`, [
      seller.organizationId,
    ]);
    if (n > 0) return;

    const office = auditor.organizationId;
    await manager.query(
      `INSERT INTO registry_office (organization_id, region_code, registration_point) VALUES ($1, '430000', '01')
       ON CONFLICT (organization_id) DO NOTHING`,
      [office],
    );
    await manager.query(
      `INSERT INTO registry_office_region (region_code, organization_id) VALUES ('430000', $1) ON CONFLICT DO NOTHING`,
      [office],
    );
    for (const client of [seller, buyer]) {
      await manager.query(
        `INSERT INTO broker_client (client_organization_id, broker_organization_id, granted_by) VALUES ($1, $2, $3)`,
        [client.organizationId, broker.organizationId, client.userId],
      );
    }

    const content = (
      projectName: string,
      totalAmountFen: number,
      validFrom: string,
      months: number,
    ): ContractContent => {
      const validUntil = shanghaiDate(new Date(new Date(`${validFrom}T00:00:00Z`).getTime() + months * 30 * DAY_MS));
      const due = (days: number) =>
        shanghaiDate(new Date(new Date(`${validFrom}T00:00:00Z`).getTime() + days * DAY_MS));
      return {
        contractType: ContractType.Transfer,
        subKind: 'patent_right',
        projectName,
        technicalField: 'new_materials',
        seller: {
          organizationId: seller.organizationId,
          name: seller.name,
          kind: PartyKind.University,
          regionCode: seller.regionCode,
        },
        buyer: {
          organizationId: buyer.organizationId,
          name: buyer.name,
          kind: PartyKind.Enterprise,
          regionCode: buyer.regionCode,
        },
        broker: {
          organizationId: broker.organizationId,
          userId: broker.userId,
          name: broker.name,
          commissionRateBasisPoints: 300,
          commissionFixedFen: null,
          commissionPaidBy: 'seller',
        },
        validFrom,
        validUntil,
        totalAmountFen,
        technologyAmountFen: totalAmountFen,
        nonTechnicalItems: [],
        expectedNewInvestmentFen: totalAmountFen * 4,
        expectedNewOutputFen: totalAmountFen * 12,
        ipItems: [{ kind: 'invention_patent', number: 'ZL202210345678.1', legalStatus: 'granted' }],
        governmentPlan: null,
        transferMode: 'assignment',
        license: null,
        pricing: Pricing.Fixed,
        royalty: null,
        milestones: [
          {
            key: 'm1',
            kind: MilestoneKind.Payment,
            title: '首付款 (down payment)',
            dueOn: due(30),
            amountFen: totalAmountFen / 2,
            prepaid: false,
          },
          {
            key: 'm2',
            kind: MilestoneKind.Deliverable,
            title: '交付工艺包与技术资料 (process package)',
            dueOn: due(60),
            amountFen: null,
            prepaid: false,
          },
          {
            key: 'm3',
            kind: MilestoneKind.Payment,
            title: '尾款 (balance)',
            dueOn: due(120),
            amountFen: totalAmountFen / 2,
            prepaid: false,
          },
        ],
      };
    };

    const now = new Date();
    const insert = async (status: string, c: ContractContent, signed: boolean, officeId: string | null) => {
      const [{ id }] = await manager.query(
        `INSERT INTO contract (source, status, seller_organization_id, buyer_organization_id, broker_organization_id,
                               registry_office_id, project_name, total_amount_fen, created_by)
         VALUES ('broker', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          status,
          seller.organizationId,
          buyer.organizationId,
          broker.organizationId,
          officeId,
          c.projectName,
          c.totalAmountFen,
          broker.userId,
        ],
      );
      await manager.query(
        `INSERT INTO contract_version (contract_id, version, content, content_hash, seller_signed_by, seller_signed_at,
                                       buyer_signed_by, buyer_signed_at, created_by)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $5, $7)`,
        [
          id,
          c,
          signed ? contentHash(id, 1, c) : null,
          signed ? seller.userId : null,
          signed ? now : null,
          signed ? buyer.userId : null,
          broker.userId,
        ],
      );
      return id as string;
    };
    const register = async (
      contractId: string,
      c: ContractContent,
      status: string,
      acceptedOn: string,
      decided: boolean,
    ) => {
      let number: string | null = null;
      if (decided) {
        const year = Number(shanghaiDate(now).slice(0, 4));
        const [{ last_serial: serial }] = await manager.query(
          `INSERT INTO registration_counter (year, point_code, last_serial) VALUES ($1, '430001', 1)
           ON CONFLICT (year, point_code) DO UPDATE SET last_serial = registration_counter.last_serial + 1 RETURNING last_serial`,
          [year],
        );
        number = FOURTEEN_DIGITS.format({ year, provinceCode: '43', cityCode: '00', registrationPoint: '01', serial });
      }
      const [{ id: registrationId }] = await manager.query(
        `INSERT INTO contract_registration (contract_id, contract_version, kind, office_id, status, submitted_by, accepted_on,
           deadline_on, working_days, technology_amount_fen, screening, screened_at, decided_by, decided_at, registration_number)
         VALUES ($1, 1, 'initial', $2, $3, $4, $5, $6, 15, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          contractId,
          office,
          status,
          seller.userId,
          acceptedOn,
          addWorkingDays(acceptedOn, 15, calendarOf),
          c.technologyAmountFen,
          { findings: [], note: 'no findings (demo data)' },
          now,
          decided ? auditor.userId : null,
          decided ? now : null,
          number,
        ],
      );
      // Written in SQL: its row in the office's queue is brought in step the same way.
      await syncRegistrationQueue((sql, params) => manager.query(sql, params), [registrationId]);
    };
    const milestones = async (contractId: string, c: ContractContent, statuses: Record<string, string>) => {
      for (const m of c.milestones) {
        const status = statuses[m.key] ?? 'pending';
        const [{ id }] = await manager.query(
          `INSERT INTO contract_milestone (contract_id, key, kind, title, due_on, amount_fen, status, overdue_at, paid_at, resolved_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
          [
            contractId,
            m.key,
            m.kind,
            m.title,
            m.dueOn,
            m.amountFen,
            status,
            status === 'overdue' ? now : null,
            status === 'paid' ? now : null,
            status === 'accepted' ? now : null,
          ],
        );
        if (status === 'pending' && m.dueOn) {
          await addJob(
            manager,
            JobName.ContractMilestoneDue,
            { contractId, milestoneId: id, dueAt: dueAt(m.dueOn).toISOString() },
            dueAt(m.dueOn),
          );
        }
      }
    };

    await insert(
      'draft',
      {
        ...content('碳化硅陶瓷膜低温烧结技术转让（草稿）', 1_200_000_00, dateOffset(30), 24),
        validFrom: null,
        validUntil: null,
      },
      false,
      null,
    );
    await insert('signed', content('稻田重金属钝化剂配方及工艺技术转让', 800_000_00, dateOffset(10), 24), true, null);

    const waiting = content('高镍三元正极材料共沉淀制备专利权转让', 2_600_000_00, dateOffset(-5), 24);
    const waitingId = await insert('under_review', waiting, true, office);
    await register(waitingId, waiting, 'under_review', dateOffset(-2), false);
    const late = content('农机北斗导航自动驾驶系统专利权转让', 1_500_000_00, dateOffset(-40), 24);
    const lateId = await insert('under_review', late, true, office);
    await register(lateId, late, 'under_review', dateOffset(-35), false);

    const registered = content('锂电池隔膜涂覆浆料配方专利权转让', 3_000_000_00, dateOffset(30), 36);
    const registeredId = await insert('registered', registered, true, office);
    await register(registeredId, registered, 'registered', dateOffset(-20), true);
    await milestones(registeredId, registered, {});
    const startsAt = new Date(`${registered.validFrom}T00:00:00+08:00`);
    await addJob(
      manager,
      JobName.ContractPerformanceStart,
      { contractId: registeredId, startsAt: startsAt.toISOString() },
      startsAt,
    );

    const performing = content('风电叶片复合材料快速固化工艺专利权转让', 1_800_000_00, dateOffset(-70), 24);
    const performingId = await insert('performing', performing, true, office);
    await register(performingId, performing, 'registered', dateOffset(-90), true);
    await milestones(performingId, performing, { m1: 'paid', m2: 'overdue' });

    const completed = content('茶叶智能揉捻机控制软件著作权转让', 600_000_00, dateOffset(-200), 12);
    const completedId = await insert('completed', { ...completed, subKind: 'software_copyright' }, true, office);
    await register(completedId, completed, 'registered', dateOffset(-210), true);
    await milestones(completedId, completed, { m1: 'paid', m2: 'accepted', m3: 'paid' });
  });
}

async function addJob<N extends JobName>(manager: EntityManager, job: N, payload: JobPayloads[N], runAt: Date) {
  await manager.query(`INSERT INTO outbox_event (job_name, payload, run_at, deadline_key) VALUES ($1, $2, $3, $4)`, [
    job,
    payload,
    runAt,
    deadlineKeyOf(job, payload),
  ]);
}
