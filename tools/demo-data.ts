import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { postgresOptions } from '@market/database';
import { buildUscc, Organization, OrganizationKind, Role, User } from '@market/identity';
import { ListingStatus, PricingMode } from '@market/listing';
import { JobName } from '@market/queue';
import { generateListing, LISTING_INSERT_COLUMNS, listingRow, seededRandom } from './listing-generator';

/** One password for every demo account, printed by `npm start`. */
export const DEMO_PASSWORD = 'xiaoxiang-demo-2026';

interface DemoOrganization {
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  /** Authority and type characters of the credit code (12: public institution, 91: company). */
  authority: string;
  orgBody: string;
  verified: boolean;
  users: { email: string; displayName: string; roles: Role[] }[];
}

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    name: '潇湘技术大市场运营中心',
    kind: OrganizationKind.Operator,
    regionCode: '430100',
    authority: '12',
    orgBody: 'MB1A0001',
    verified: true,
    users: [{ email: 'admin@demo.xiaoxiang.market', displayName: '市场管理员', roles: [Role.Admin] }],
  },
  {
    name: '中南大学',
    kind: OrganizationKind.University,
    regionCode: '430104',
    authority: '12',
    orgBody: '44488401',
    verified: true,
    users: [{ email: 'seller@csu.demo.xiaoxiang.market', displayName: '技术转移中心 王老师', roles: [Role.Seller] }],
  },
  {
    name: '湖南省农业科学院',
    kind: OrganizationKind.Institute,
    regionCode: '430111',
    authority: '12',
    orgBody: '44488602',
    verified: true,
    users: [{ email: 'seller@hnaas.demo.xiaoxiang.market', displayName: '成果转化处 刘研究员', roles: [Role.Seller] }],
  },
  {
    name: '株洲新材科技有限公司',
    kind: OrganizationKind.Enterprise,
    regionCode: '430200',
    authority: '91',
    orgBody: 'MA4L0B2C',
    verified: true,
    users: [{ email: 'buyer@zzxc.demo.xiaoxiang.market', displayName: '研发部 陈经理', roles: [Role.Buyer] }],
  },
  {
    name: '浏阳农机制造有限公司',
    kind: OrganizationKind.Enterprise,
    regionCode: '430181',
    authority: '91',
    orgBody: 'MA4M1C3D',
    verified: false,
    users: [
      { email: 'buyer@lynj.demo.xiaoxiang.market', displayName: '总经理 周先生', roles: [Role.Buyer, Role.Seller] },
    ],
  },
  {
    name: '长沙技术转移服务中心',
    kind: OrganizationKind.Agency,
    regionCode: '430102',
    authority: '52',
    orgBody: 'MJ1N2D4E',
    verified: true,
    users: [{ email: 'broker@cstt.demo.xiaoxiang.market', displayName: '技术经理人 赵女士', roles: [Role.Broker] }],
  },
  {
    name: '湖南省技术合同登记处',
    kind: OrganizationKind.Registry,
    regionCode: '430000',
    authority: '11',
    orgBody: '00001234',
    verified: true,
    users: [{ email: 'auditor@registry.demo.xiaoxiang.market', displayName: '登记员 孙先生', roles: [Role.Auditor] }],
  },
];

/**
 * Creates the demo organizations and accounts that are missing; running it twice changes nothing.
 * Verified demo organizations are stored verified directly: there is nobody to notify yet.
 */
export async function seedDemoData(databaseUrl: string): Promise<void> {
  const dataSource = new DataSource({ ...postgresOptions(databaseUrl, 1), entities: [Organization, User] });
  await dataSource.initialize();
  await dataSource.transaction(async (manager) => {
    const organizations = manager.getRepository(Organization);
    const users = manager.getRepository(User);
    const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10);
    for (const demo of DEMO_ORGANIZATIONS) {
      const uscc = buildUscc(demo.authority, demo.regionCode, demo.orgBody);
      await organizations
        .createQueryBuilder()
        .insert()
        .values({
          name: demo.name,
          uscc,
          regionCode: demo.regionCode,
          kind: demo.kind,
          verifiedAt: demo.verified ? new Date() : null,
        })
        .orIgnore()
        .execute();
      const organization = await organizations.findOneByOrFail({ uscc });
      for (const user of demo.users) {
        await users
          .createQueryBuilder()
          .insert()
          .values({ ...user, passwordHash, organizationId: organization.id })
          .orIgnore()
          .execute();
      }
    }
  });
  await seedDemoListings(dataSource);
  await dataSource.destroy();
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Listings of the demo universities and institute across the fields: most open, some announced,
 * a draft each. Their deadlines get outbox jobs like real ones. Skipped when the sellers have any.
 */
async function seedDemoListings(dataSource: DataSource): Promise<void> {
  const sellers: { organizationId: string; name: string; userId: string }[] = await dataSource.query(
    `SELECT o.id AS "organizationId", o.name, u.id AS "userId"
       FROM organization o JOIN app_user u ON u.organization_id = o.id
      WHERE 'seller' = ANY(u.roles) AND o.verified_at IS NOT NULL AND u.email LIKE '%.demo.xiaoxiang.market'
      ORDER BY o.name`,
  );
  if (sellers.length === 0) return;
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM listing WHERE organization_id = ANY($1)`,
    [sellers.map((s) => s.organizationId)],
  );
  if (count > 0) return;

  const random = seededRandom(2026);
  const now = Date.now();
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < 24; i++) {
      const seller = sellers[i % sellers.length];
      const status = i % 8 === 7 ? ListingStatus.Draft : i % 4 === 3 ? ListingStatus.Announced : ListingStatus.Open;
      const approvedAt = new Date(now - (status === ListingStatus.Announced ? 3 : 20 + i) * DAY_MS);
      const row = listingRow(generateListing(random, 9000 + i), seller, status, approvedAt);
      const placeholders = row.map((_, n) => `$${n + 1}`).join(', ');
      const [listing] = await manager.query(
        `INSERT INTO listing (${LISTING_INSERT_COLUMNS.join(', ')}) VALUES (${placeholders})
         RETURNING id, pricing_mode, announcement_ends_at, listing_period_ends_at`,
        row,
      );
      if (status === ListingStatus.Announced) {
        await addDeadlineJob(manager, JobName.ListingAnnouncementEnded, listing.id, listing.announcement_ends_at);
      } else if (status === ListingStatus.Open && listing.pricing_mode === PricingMode.Listed) {
        await addDeadlineJob(manager, JobName.ListingPeriodEnded, listing.id, listing.listing_period_ends_at);
      }
    }
  });
}

async function addDeadlineJob(
  manager: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  job: JobName,
  listingId: string,
  endsAt: Date,
): Promise<void> {
  await manager.query(`INSERT INTO outbox_event (job_name, payload, run_at) VALUES ($1, $2, $3)`, [
    job,
    { listingId, endsAt: new Date(endsAt).toISOString() },
    endsAt,
  ]);
}
