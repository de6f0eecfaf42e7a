import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuctionKind, AuctionStatus } from '@market/auction';
import { postgresOptions } from '@market/database';
import { buildUscc, Organization, OrganizationKind, Role, User } from '@market/identity';
import { ListingStatus, PricingMode, TransferMode } from '@market/listing';
import { DepositMethod, DepositPurpose, DepositStatus } from '@market/payments';
import { AgreedTerms, deadlineKeyOf, JobName, JobPayloads } from '@market/queue';
import { seedDemoContracts } from './demo-contracts';
import { seedDemoStats } from './demo-stats';
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
    name: '湘潭智造装备有限公司',
    kind: OrganizationKind.Enterprise,
    regionCode: '430300',
    authority: '91',
    orgBody: 'MA4P2E5F',
    verified: true,
    users: [{ email: 'buyer@xtzz.demo.xiaoxiang.market', displayName: '采购部 李工', roles: [Role.Buyer] }],
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
 * Creates the demo organizations and accounts that are missing, then, on the first run, listings
 * and a market in motion around them; running it twice changes nothing. Verified demo
 * organizations are stored verified directly: there is nobody to notify yet. Returns the English
 * auction open now, for the launcher's banner.
 */
export async function seedDemoData(databaseUrl: string): Promise<{ openAuctionId?: string }> {
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
  await seedDemoTrading(dataSource);
  await seedDemoNegotiations(dataSource);
  await seedDemoContracts(dataSource);
  await seedDemoStats(dataSource);
  const [live] = await dataSource.query(
    `SELECT a.id FROM auction a JOIN app_user u ON u.id = a.created_by
      WHERE a.status = 'open' AND a.kind = 'english' AND u.email LIKE '%.demo.xiaoxiang.market'
      ORDER BY a.ends_at LIMIT 1`,
  );
  await dataSource.destroy();
  return { openAuctionId: live?.id };
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
  manager: EntityManager,
  job: JobName.ListingAnnouncementEnded | JobName.ListingPeriodEnded,
  listingId: string,
  endsAt: Date,
): Promise<void> {
  await addJob(manager, job, { listingId, endsAt: new Date(endsAt).toISOString() }, endsAt);
}

/** An outbox row, exactly as `Outbox.add` writes it: the worker's relay publishes it when due. */
async function addJob<N extends JobName>(
  manager: EntityManager,
  job: N,
  payload: JobPayloads[N],
  runAt: Date,
): Promise<void> {
  await manager.query(`INSERT INTO outbox_event (job_name, payload, run_at) VALUES ($1, $2, $3)`, [
    job,
    payload,
    runAt,
  ]);
}

/** The e-mail of the demo buyer who is not leading the open English auction, so may outbid at once. */
export const DEMO_OUTBIDDER_EMAIL = 'buyer@xtzz.demo.xiaoxiang.market';
const DEMO_LEADER_EMAIL = 'buyer@zzxc.demo.xiaoxiang.market';

interface DemoParty {
  organizationId: string;
  name: string;
  userId: string;
}

/**
 * A market in motion, beside the listings: a listed-price listing two buyers intend on, an English
 * auction open now with bids from both demo buyers, a sealed-bid auction open now, an auction
 * that opens tomorrow, and one that closed with a winner, which the worker settles at its first
 * start (the winner's deposit captured, the other released, the listing under contract, the trade
 * announced to both parties). The buyers' deposits are bank transfers whose arrival the market
 * operator recorded. Every deadline is an outbox job, as the services would have written it.
 * Skipped when the demo sellers have any auction.
 */
async function seedDemoTrading(dataSource: DataSource): Promise<void> {
  const parties: (DemoParty & { email: string })[] = await dataSource.query(
    `SELECT o.id AS "organizationId", o.name, u.id AS "userId", u.email
       FROM organization o JOIN app_user u ON u.organization_id = o.id
      WHERE u.email = ANY($1) AND o.verified_at IS NOT NULL`,
    [
      [
        'seller@csu.demo.xiaoxiang.market',
        'seller@hnaas.demo.xiaoxiang.market',
        DEMO_LEADER_EMAIL,
        DEMO_OUTBIDDER_EMAIL,
        'admin@demo.xiaoxiang.market',
      ],
    ],
  );
  const party = (email: string) => parties.find((p) => p.email === email);
  const [university, institute, leader, outbidder, operator] = [
    party('seller@csu.demo.xiaoxiang.market'),
    party('seller@hnaas.demo.xiaoxiang.market'),
    party(DEMO_LEADER_EMAIL),
    party(DEMO_OUTBIDDER_EMAIL),
    party('admin@demo.xiaoxiang.market'),
  ];
  if (!university || !institute || !leader || !outbidder || !operator) return;
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM auction WHERE seller_organization_id = ANY($1)`,
    [[university.organizationId, institute.organizationId]],
  );
  if (count > 0) return;

  const random = seededRandom(2027);
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs);
  const HOUR_MS = 3600 * 1000;

  await dataSource.transaction(async (manager) => {
    /** An open listing of this seller, priced this way, announced 20 days ago (open for 5). */
    const openListing = async (seller: DemoParty, serial: number, pricingMode: PricingMode, askingPriceFen: number) => {
      const generated = { ...generateListing(random, serial), pricingMode, askingPriceFen };
      const row = listingRow(generated, seller, ListingStatus.Open, at(-20 * DAY_MS));
      const placeholders = row.map((_, n) => `$${n + 1}`).join(', ');
      const [listing] = await manager.query(
        `INSERT INTO listing (${LISTING_INSERT_COLUMNS.join(', ')}) VALUES (${placeholders})
         RETURNING id, title, listing_period_ends_at`,
        row,
      );
      return listing as { id: string; title: string; listing_period_ends_at: Date | null };
    };

    // Negotiated and listed-price listings, open; two buyers intend on the listed one at its price.
    await openListing(university, 9100, PricingMode.Negotiated, 1_800_000_00);
    const listed = await openListing(institute, 9101, PricingMode.Listed, 960_000_00);
    for (const buyer of [leader, outbidder]) {
      await manager.query(
        `INSERT INTO listing_intent (listing_id, buyer_organization_id, buyer_user_id, price_fen) VALUES ($1, $2, $3, $4)`,
        [listed.id, buyer.organizationId, buyer.userId, 960_000_00],
      );
    }
    await addDeadlineJob(manager, JobName.ListingPeriodEnded, listed.id, listed.listing_period_ends_at!);

    interface AuctionPlan {
      seller: DemoParty;
      serial: number;
      kind: AuctionKind;
      status: AuctionStatus;
      startingPriceFen: number;
      startsAt: Date;
      endsAt: Date;
      /** Accepted English bids in order, or one sealed bid per buyer. */
      bids: { buyer: DemoParty; amountFen: number; ago: number }[];
    }

    const auction = async (plan: AuctionPlan) => {
      const listing = await openListing(plan.seller, plan.serial, PricingMode.Auction, plan.startingPriceFen);
      const incrementFen = plan.startingPriceFen / 100;
      const depositFen = plan.startingPriceFen / 10;
      const english = plan.kind === AuctionKind.English;
      const last = english ? plan.bids[plan.bids.length - 1] : undefined;
      const closed = plan.status === AuctionStatus.Closed;
      const [{ id }] = await manager.query(
        `INSERT INTO auction (listing_id, listing_title, seller_organization_id, kind, status, starting_price_fen,
                              reserve_price_fen, increment_fen, deposit_fen, starts_at, ends_at, current_price_fen,
                              leading_bidder_organization_id, bid_count, last_seq, winner_organization_id,
                              final_price_fen, closed_at, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         RETURNING id`,
        [
          listing.id,
          listing.title,
          plan.seller.organizationId,
          plan.kind,
          plan.status,
          plan.startingPriceFen,
          plan.startingPriceFen,
          incrementFen,
          depositFen,
          plan.startsAt,
          plan.endsAt,
          last?.amountFen ?? null,
          last?.buyer.organizationId ?? null,
          english ? plan.bids.length : 0,
          english ? plan.bids.length : 0,
          closed ? (last?.buyer.organizationId ?? null) : null,
          closed ? (last?.amountFen ?? null) : null,
          closed ? plan.endsAt : null,
          plan.seller.userId,
          at(-DAY_MS),
        ],
      );
      for (const [n, bid] of plan.bids.entries()) {
        if (english) {
          await manager.query(
            `INSERT INTO auction_bid (auction_id, seq, bidder_organization_id, bidder_user_id, amount_fen, accepted,
                                      idempotency_key, created_at)
             VALUES ($1, $2, $3, $4, $5, true, $6, $7)`,
            [id, n + 1, bid.buyer.organizationId, bid.buyer.userId, bid.amountFen, `demo-${n + 1}`, at(-bid.ago)],
          );
        } else {
          await manager.query(
            `INSERT INTO sealed_bid (auction_id, bidder_organization_id, bidder_user_id, amount_fen, first_placed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)`,
            [id, bid.buyer.organizationId, bid.buyer.userId, bid.amountFen, at(-bid.ago)],
          );
        }
      }
      if (plan.status !== AuctionStatus.Scheduled) {
        // Both demo buyers transferred their deposit; the market operator recorded its arrival.
        for (const buyer of [leader, outbidder]) {
          const depositId = randomUUID();
          await manager.query(
            `INSERT INTO deposit (id, purpose, reference_id, payer_organization_id, amount_fen, method, status,
                                  offline_reference, receipt_recorded_by, held_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
            [
              depositId,
              DepositPurpose.Auction,
              id,
              buyer.organizationId,
              depositFen,
              DepositMethod.Offline,
              DepositStatus.Held,
              // The form of the bank-transfer reference the payments context gives a payer.
              `BZJ-${depositId.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
              operator.userId,
              new Date(plan.startsAt.getTime() - HOUR_MS),
            ],
          );
        }
      }
      if (plan.status === AuctionStatus.Scheduled) {
        await addJob(
          manager,
          JobName.AuctionOpenDue,
          { auctionId: id, at: plan.startsAt.toISOString() },
          plan.startsAt,
        );
      } else if (plan.status === AuctionStatus.Open) {
        await addJob(manager, JobName.AuctionCloseDue, { auctionId: id, at: plan.endsAt.toISOString() }, plan.endsAt);
      } else {
        await addJob(manager, JobName.AuctionSettle, { auctionId: id }, at(0));
      }
    };

    // Open now, ends in two days: both buyers have bid; the second may outbid the leader at once.
    await auction({
      seller: university,
      serial: 9102,
      kind: AuctionKind.English,
      status: AuctionStatus.Open,
      startingPriceFen: 500_000_00,
      startsAt: at(-3 * HOUR_MS),
      endsAt: at(2 * DAY_MS),
      bids: [
        { buyer: outbidder, amountFen: 500_000_00, ago: 2 * HOUR_MS },
        { buyer: leader, amountFen: 510_000_00, ago: 90 * 60 * 1000 },
        { buyer: outbidder, amountFen: 520_000_00, ago: HOUR_MS },
        { buyer: leader, amountFen: 535_000_00, ago: 20 * 60 * 1000 },
      ],
    });
    // Sealed-bid, open for three more days: one buyer has bid; nobody sees the amount until the close.
    await auction({
      seller: institute,
      serial: 9103,
      kind: AuctionKind.Sealed,
      status: AuctionStatus.Open,
      startingPriceFen: 300_000_00,
      startsAt: at(-DAY_MS),
      endsAt: at(3 * DAY_MS),
      bids: [{ buyer: leader, amountFen: 342_000_00, ago: 5 * HOUR_MS }],
    });
    // Opens tomorrow.
    await auction({
      seller: university,
      serial: 9104,
      kind: AuctionKind.English,
      status: AuctionStatus.Scheduled,
      startingPriceFen: 1_200_000_00,
      startsAt: at(DAY_MS),
      endsAt: at(3 * DAY_MS),
      bids: [],
    });
    // Ended yesterday with a winner; the worker settles it.
    await auction({
      seller: institute,
      serial: 9105,
      kind: AuctionKind.English,
      status: AuctionStatus.Closed,
      startingPriceFen: 800_000_00,
      startsAt: at(-4 * DAY_MS),
      endsAt: at(-DAY_MS),
      bids: [
        { buyer: leader, amountFen: 800_000_00, ago: 3 * DAY_MS },
        { buyer: outbidder, amountFen: 820_000_00, ago: 2 * DAY_MS },
        { buyer: leader, amountFen: 840_000_00, ago: 2 * DAY_MS - HOUR_MS },
        { buyer: outbidder, amountFen: 868_000_00, ago: DAY_MS + HOUR_MS },
      ],
    });
  });
}

/** The demo broker, invited by the university into its open negotiation. */
export const DEMO_BROKER_EMAIL = 'broker@cstt.demo.xiaoxiang.market';

/**
 * Negotiations (协议定价) on negotiated listings of the demo university and institute, in several
 * states: one open with the broker of the demo agency invited by the university (the buyer must
 * answer the university's counter-offer), a deal in its price announcement (交易价格公示, an
 * institute is state-funded), one the university rejected and one whose offer expired. Their
 * deadlines are outbox jobs, as the services would have written them. Skipped when the demo
 * sellers have any negotiation.
 */
async function seedDemoNegotiations(dataSource: DataSource): Promise<void> {
  const parties: (DemoParty & { email: string; kind: string })[] = await dataSource.query(
    `SELECT o.id AS "organizationId", o.name, o.kind, u.id AS "userId", u.email
       FROM organization o JOIN app_user u ON u.organization_id = o.id
      WHERE u.email = ANY($1) AND o.verified_at IS NOT NULL`,
    [
      [
        'seller@csu.demo.xiaoxiang.market',
        'seller@hnaas.demo.xiaoxiang.market',
        DEMO_LEADER_EMAIL,
        DEMO_OUTBIDDER_EMAIL,
        DEMO_BROKER_EMAIL,
      ],
    ],
  );
  const party = (email: string) => parties.find((p) => p.email === email);
  const [university, institute, leader, outbidder, broker] = [
    party('seller@csu.demo.xiaoxiang.market'),
    party('seller@hnaas.demo.xiaoxiang.market'),
    party(DEMO_LEADER_EMAIL),
    party(DEMO_OUTBIDDER_EMAIL),
    party(DEMO_BROKER_EMAIL),
  ];
  if (!university || !institute || !leader || !outbidder || !broker) return;
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM negotiation WHERE seller_organization_id = ANY($1)`,
    [[university.organizationId, institute.organizationId]],
  );
  if (count > 0) return;

  const random = seededRandom(2028);
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs);
  const modes = [
    TransferMode.Assignment,
    TransferMode.ExclusiveLicense,
    TransferMode.SoleLicense,
    TransferMode.NonExclusiveLicense,
  ];
  const hunanLicense = (exclusivity: 'exclusive' | 'sole' | 'non_exclusive') => ({
    fieldOfUse: 'all fields',
    territory: ['430000'],
    termMonths: 60,
    exclusivity,
  });
  const lumpSum = { kind: 'lump_sum' as const, dueOn: null };

  await dataSource.transaction(async (manager) => {
    const listing = async (seller: DemoParty, serial: number) => {
      const generated = {
        ...generateListing(random, serial),
        pricingMode: PricingMode.Negotiated,
        transferModes: modes,
      };
      const row = listingRow(generated, seller, ListingStatus.Open, at(-30 * DAY_MS));
      const placeholders = row.map((_, n) => `$${n + 1}`).join(', ');
      const [inserted] = await manager.query(
        `INSERT INTO listing (${LISTING_INSERT_COLUMNS.join(', ')}) VALUES (${placeholders}) RETURNING id, title`,
        row,
      );
      return inserted as { id: string; title: string };
    };
    const negotiation = async (fields: {
      listing: { id: string; title: string };
      seller: DemoParty;
      buyer: DemoParty;
      status: string;
      createdAgo: number;
      extra?: Record<string, unknown>;
    }): Promise<string> => {
      const values: Record<string, unknown> = {
        listing_id: fields.listing.id,
        listing_title: fields.listing.title,
        seller_organization_id: fields.seller.organizationId,
        seller_name: fields.seller.name,
        buyer_organization_id: fields.buyer.organizationId,
        buyer_name: fields.buyer.name,
        opened_by: fields.buyer.userId,
        status: fields.status,
        created_at: at(-fields.createdAgo),
        ...fields.extra,
      };
      const columns = Object.keys(values);
      const [{ id }] = await manager.query(
        `INSERT INTO negotiation (${columns.join(', ')}) VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')}) RETURNING id`,
        Object.values(values).map((v) =>
          v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v,
        ),
      );
      return id as string;
    };
    const offer = async (fields: {
      negotiationId: string;
      seq: number;
      side: 'buyer' | 'seller';
      status: string;
      by: DemoParty;
      priceFen: number;
      terms: object;
      ago: number;
      expiresAt: Date;
      reason?: string;
    }): Promise<string> => {
      const [{ id }] = await manager.query(
        `INSERT INTO negotiation_offer (negotiation_id, seq, side, status, proposed_by, price_fen, terms, validity_days,
                                        expires_at, answered_at, reason, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 7, $8, $9, $10, $11) RETURNING id`,
        [
          fields.negotiationId,
          fields.seq,
          fields.side,
          fields.status,
          fields.by.userId,
          fields.priceFen,
          JSON.stringify(fields.terms),
          fields.expiresAt,
          fields.status === 'open' ? null : at(-Math.min(fields.ago, DAY_MS)),
          fields.reason ?? null,
          at(-fields.ago),
        ],
      );
      return id as string;
    };
    /** An outbox row as `Outbox.add` writes it, with its deadline key. */
    const deadline = async <N extends JobName>(job: N, payload: JobPayloads[N], runAt: Date) => {
      await manager.query(
        `INSERT INTO outbox_event (job_name, payload, run_at, deadline_key) VALUES ($1, $2, $3, $4)`,
        [job, payload, runAt, deadlineKeyOf(job, payload)],
      );
    };

    // Open, with the demo broker invited by the university: the buyer must answer the counter-offer.
    const brokered = await listing(university, 9200);
    const openId = await negotiation({
      listing: brokered,
      seller: university,
      buyer: leader,
      status: 'open',
      createdAgo: 3 * DAY_MS,
      extra: {
        broker_user_id: broker.userId,
        broker_organization_id: broker.organizationId,
        broker_client_side: 'seller',
        broker_commission: { rateBasisPoints: 300, fixedFen: null, paidBy: 'seller' },
        offer_count: 2,
        last_offer_side: 'seller',
      },
    });
    const licenseTerms = {
      transferMode: 'exclusive_license',
      license: hunanLicense('exclusive'),
      paymentSchedule: lumpSum,
    };
    await offer({
      negotiationId: openId,
      seq: 1,
      side: 'buyer',
      status: 'superseded',
      by: leader,
      priceFen: 1_200_000_00,
      terms: licenseTerms,
      ago: 3 * DAY_MS,
      expiresAt: at(4 * DAY_MS),
    });
    const counterExpires = at(6 * DAY_MS);
    const counterId = await offer({
      negotiationId: openId,
      seq: 2,
      side: 'seller',
      status: 'open',
      by: university,
      priceFen: 1_500_000_00,
      terms: {
        ...licenseTerms,
        paymentSchedule: {
          kind: 'instalments',
          instalments: [
            { amountFen: 500_000_00, dueOn: new Date(now + 30 * DAY_MS).toISOString().slice(0, 10) },
            { amountFen: 1_000_000_00, dueOn: new Date(now + 180 * DAY_MS).toISOString().slice(0, 10) },
          ],
        },
      },
      ago: DAY_MS,
      expiresAt: counterExpires,
    });
    await manager.query(`UPDATE negotiation SET current_offer_id = $2 WHERE id = $1`, [openId, counterId]);
    await manager.query(`UPDATE listing SET open_negotiations = 1 WHERE id = $1`, [brokered.id]);
    for (const [author, role, body, ago] of [
      [leader, 'buyer', '我方计划在株洲建设年产500吨的中试线，希望获得湖南省内独占许可。', 3 * DAY_MS],
      [broker, 'broker', '学校可接受分期付款，首期建议在合同登记后30日内支付。', 2 * DAY_MS],
      [university, 'seller', '已按技术经理人的建议调整付款方式，请贵司确认。', DAY_MS],
    ] as const) {
      await manager.query(
        `INSERT INTO negotiation_message (negotiation_id, author_user_id, author_organization_id, author_role, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [openId, author.userId, author.organizationId, role, body, at(-ago)],
      );
    }
    const offerDeadline = { negotiationId: openId, offerId: counterId };
    await deadline(
      JobName.NegotiationOfferExpiryDue,
      { ...offerDeadline, at: counterExpires.toISOString() },
      counterExpires,
    );
    const remindAt = new Date(counterExpires.getTime() - DAY_MS);
    await deadline(JobName.NegotiationAnswerReminderDue, { ...offerDeadline, at: remindAt.toISOString() }, remindAt);

    // Agreed with the institute three days ago: its price is announced for 15 days.
    const announcedListing = await listing(institute, 9201);
    const agreedAt = at(-3 * DAY_MS);
    const endsAt = at(12 * DAY_MS);
    const terms: AgreedTerms = {
      priceFen: 2_800_000_00,
      transferMode: 'assignment',
      license: null,
      paymentSchedule: lumpSum,
      commission: null,
      depositAppliedFen: 0,
    };
    const announcedId = await negotiation({
      listing: announcedListing,
      seller: institute,
      buyer: outbidder,
      status: 'announced',
      createdAgo: 10 * DAY_MS,
      extra: {
        offer_count: 1,
        last_offer_side: 'buyer',
        agreed_at: agreedAt,
        agreed_price_fen: terms.priceFen,
        agreed_terms: terms,
        announcement_started_at: agreedAt,
        announcement_ends_at: endsAt,
      },
    });
    const agreedOffer = await offer({
      negotiationId: announcedId,
      seq: 1,
      side: 'buyer',
      status: 'accepted',
      by: outbidder,
      priceFen: terms.priceFen,
      terms: { transferMode: 'assignment', license: null, paymentSchedule: lumpSum },
      ago: 5 * DAY_MS,
      expiresAt: at(2 * DAY_MS),
    });
    await manager.query(`UPDATE negotiation SET current_offer_id = $2, agreed_offer_id = $2 WHERE id = $1`, [
      announcedId,
      agreedOffer,
    ]);
    await deadline(
      JobName.NegotiationAnnouncementEnded,
      { negotiationId: announcedId, endsAt: endsAt.toISOString() },
      endsAt,
    );

    // Declined by the university at once, with its reason; and one the institute let expire.
    const declinedId = await negotiation({
      listing: brokered,
      seller: university,
      buyer: outbidder,
      status: 'rejected',
      createdAgo: 8 * DAY_MS,
      extra: {
        offer_count: 1,
        last_offer_side: 'buyer',
        ended_at: at(-7 * DAY_MS),
        ended_reason: '报价低于学校评估备案价，暂不洽谈',
      },
    });
    await offer({
      negotiationId: declinedId,
      seq: 1,
      side: 'buyer',
      status: 'rejected',
      by: outbidder,
      priceFen: 300_000_00,
      terms: {
        transferMode: 'non_exclusive_license',
        license: hunanLicense('non_exclusive'),
        paymentSchedule: lumpSum,
      },
      ago: 8 * DAY_MS,
      expiresAt: at(-DAY_MS),
      reason: '报价低于学校评估备案价，暂不洽谈',
    });
    const lapsedListing = await listing(institute, 9202);
    const lapsedId = await negotiation({
      listing: lapsedListing,
      seller: institute,
      buyer: leader,
      status: 'expired',
      createdAgo: 12 * DAY_MS,
      extra: {
        offer_count: 1,
        last_offer_side: 'buyer',
        ended_at: at(-5 * DAY_MS),
        ended_reason: 'the buyer’s offer was not answered in time',
      },
    });
    await offer({
      negotiationId: lapsedId,
      seq: 1,
      side: 'buyer',
      status: 'expired',
      by: leader,
      priceFen: 450_000_00,
      terms: { transferMode: 'sole_license', license: hunanLicense('sole'), paymentSchedule: lumpSum },
      ago: 12 * DAY_MS,
      expiresAt: at(-5 * DAY_MS),
    });
  });
}
