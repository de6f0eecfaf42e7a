import type { INestApplicationContext } from '@nestjs/common';
import { DEMO_BROKER_EMAIL, DEMO_OUTBIDDER_EMAIL, DEMO_PASSWORD, seedDemoData } from '../tools/demo-data';
import { login } from './support/accounts';
import { Api, eventually, http, startApi, startWorker } from './support/market';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

const TABLES = [
  'organization',
  'app_user',
  'listing',
  'listing_intent',
  'auction',
  'auction_bid',
  'sealed_bid',
  'deposit',
  'negotiation',
  'negotiation_offer',
  'negotiation_message',
  'outbox_event',
  'contract',
  'contract_registration',
  'contract_milestone',
  'demonstration_county',
];

/** The demo data `npm start` loads: a market a newcomer can act in at once, loaded once. */
describe('the demo market', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    env = await createTestEnvironment();
    await seedDemoData(env.databaseUrl);
    api = await startApi();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await env?.close();
  });

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const [{ n }] = await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      result[table] = n;
    }
    return result;
  };

  it('lets a demo buyer bid on the open English auction at once', async () => {
    const [auction] = await env.query<{ id: string; current_price_fen: string; increment_fen: string }>(
      `SELECT id, current_price_fen, increment_fen FROM auction WHERE status = 'open' AND kind = 'english'`,
    );
    const token = await login(api, DEMO_OUTBIDDER_EMAIL, DEMO_PASSWORD);
    const amountFen = Number(auction.current_price_fen) + Number(auction.increment_fen);

    const response = await http(api)
      .post(`/api/v1/auctions/${auction.id}/bids`)
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', 'newcomer-first-bid')
      .send({ amountFen });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ bid: { seq: 5, amountFen }, auction: { currentPriceFen: amountFen } });
    const view = await http(api).get(`/api/v1/auctions/${auction.id}`).expect(200);
    expect(view.body).toMatchObject({ status: 'open', currentPriceFen: amountFen });
  });

  it('shows open listings of every pricing mode', async () => {
    for (const pricingMode of ['negotiated', 'listed', 'auction']) {
      const response = await http(api).get('/api/v1/listings').query({ pricingMode, limit: 100 }).expect(200);
      const open = (response.body.items as { status: string }[]).filter((listing) => listing.status === 'open');
      expect({ pricingMode, open: open.length > 0 }).toEqual({ pricingMode, open: true });
    }
  });

  it('has a listed-price listing with intents from two buyers, waiting for its period to end', async () => {
    const rows = await env.query<{ intents: number; jobs: number }>(
      `SELECT (SELECT count(*)::int FROM listing_intent i WHERE i.listing_id = l.id) AS intents,
              (SELECT count(*)::int FROM outbox_event o
                WHERE o.job_name = 'listing.period_ended' AND o.payload->>'listingId' = l.id::text) AS jobs
         FROM listing l WHERE l.pricing_mode = 'listed' AND l.status = 'open'
        ORDER BY 1 DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ intents: 2, jobs: 1 }]);
  });

  it('has an English auction open now with bids from two demo buyers who hold deposits recorded by the operator', async () => {
    const [auction] = await env.query<{ id: string; ends_at: Date; bidders: number }>(
      `SELECT a.id, a.ends_at,
              (SELECT count(DISTINCT bidder_organization_id)::int FROM auction_bid b WHERE b.auction_id = a.id) AS bidders
         FROM auction a WHERE a.status = 'open' AND a.kind = 'english'`,
    );
    expect(auction.bidders).toBe(2);
    expect(auction.ends_at.getTime()).toBeGreaterThan(Date.now());
    const deposits = await env.query<{ status: string; method: string; recorder: string }>(
      `SELECT d.status, d.method, array_to_string(u.roles, ',') AS recorder
         FROM deposit d JOIN app_user u ON u.id = d.receipt_recorded_by WHERE d.reference_id = $1`,
      [auction.id],
    );
    expect(deposits).toEqual([
      { status: 'held', method: 'offline', recorder: 'admin' },
      { status: 'held', method: 'offline', recorder: 'admin' },
    ]);
  });

  it('has a sealed-bid auction open now and an English auction that opens later', async () => {
    const rows = await env.query<{ kind: string; status: string; future_start: boolean; open_job: boolean }>(
      `SELECT kind, status, starts_at > now() AS future_start,
              EXISTS (SELECT 1 FROM outbox_event o WHERE o.job_name = 'auction.open_due'
                       AND o.payload->>'auctionId' = a.id::text AND o.run_at = a.starts_at) AS open_job
         FROM auction a WHERE status IN ('open', 'scheduled') AND kind = 'sealed' OR status = 'scheduled'
        ORDER BY status`,
    );
    expect(rows).toEqual([
      { kind: 'sealed', status: 'open', future_start: false, open_job: false },
      { kind: 'english', status: 'scheduled', future_start: true, open_job: true },
    ]);
  });

  it('has negotiations in several states: one brokered that a demo buyer may answer, one in its price announcement', async () => {
    const states = await env.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM negotiation GROUP BY status ORDER BY status`,
    );
    expect(states).toEqual([
      { status: 'announced', n: 1 },
      { status: 'expired', n: 1 },
      { status: 'open', n: 1 },
      { status: 'rejected', n: 1 },
    ]);
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const broker = await login(api, DEMO_BROKER_EMAIL, DEMO_PASSWORD);
    const brokered = await http(api).get('/api/v1/negotiations').set(auth(broker)).expect(200);
    expect(brokered.body.items).toHaveLength(1);
    const [open] = brokered.body.items;
    expect(open).toMatchObject({ status: 'open', yourRole: 'broker', awaitingAnswerFrom: 'buyer' });
    expect(open.broker.commission).toEqual({ rateBasisPoints: 300, fixedFen: null, paidBy: 'seller' });
    const thread = await http(api).get(`/api/v1/negotiations/${open.id}/messages`).set(auth(broker)).expect(200);
    expect(thread.body.map((m: { authorRole: string }) => m.authorRole)).toEqual(['buyer', 'broker', 'seller']);
    const listing = await http(api).get(`/api/v1/listings/${open.listingId}`).expect(200);
    expect(listing.body.openNegotiations).toBe(1);

    const running = await http(api).get('/api/v1/price-announcements?state=running').expect(200);
    expect(running.body.items).toHaveLength(1);
    expect(running.body.items[0]).toMatchObject({ transferMode: 'assignment', priceFen: 2_800_000_00, paused: false });

    // The buyer answers the university's counter-offer at once: a public institution's deal is announced first.
    const buyer = await login(api, 'buyer@zzxc.demo.xiaoxiang.market', DEMO_PASSWORD);
    const accepted = await http(api)
      .post(`/api/v1/negotiations/${open.id}/offers/${open.currentOffer.id}/accept`)
      .set(auth(buyer))
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'announced', agreedTerms: { commission: { rateBasisPoints: 300 } } });
  });

  it('adds nothing when loaded a second time', async () => {
    const before = await counts();
    await seedDemoData(env.databaseUrl);
    expect(await counts()).toEqual(before);
  });

  it('settles the auction that ended, through the worker: the trade goes to both parties', async () => {
    worker = await startWorker();
    const settled = await eventually(async () => {
      const [row] = await env.query<{ id: string; winner: string; listing_id: string; final_price_fen: string }>(
        `SELECT id, winner_organization_id AS winner, listing_id, final_price_fen FROM auction WHERE status = 'settled'`,
      );
      return row;
    }, 30_000);
    // Money moves after the books: the deposits reach their final state through their own jobs.
    const deposits = await eventually(async () => {
      const rows = await env.query<{ winner: boolean; status: string }>(
        `SELECT payer_organization_id = $2 AS winner, status FROM deposit WHERE reference_id = $1 ORDER BY 1`,
        [settled.id, settled.winner],
      );
      return rows.every((row) => ['released', 'captured'].includes(row.status)) ? rows : undefined;
    }, 30_000);
    expect(deposits).toEqual([
      { winner: false, status: 'released' },
      { winner: true, status: 'captured' },
    ]);
    const [listing] = await env.query<{ status: string }>(`SELECT status FROM listing WHERE id = $1`, [
      settled.listing_id,
    ]);
    expect(listing.status).toBe('under_contract');
    const notified = await eventually(async () => {
      const rows = await env.query<{ organization_id: string }>(
        `SELECT DISTINCT u.organization_id FROM notification n JOIN app_user u ON u.id = n.user_id
          WHERE n.kind = 'trade.agreed' AND n.data->>'priceFen' = $1`,
        [settled.final_price_fen],
      );
      return rows.length === 2 ? rows : undefined;
    }, 30_000);
    expect(notified.map((r) => r.organization_id)).toContain(settled.winner);
  });

  it('has contracts in every state: draft, signed, awaiting registration (one overdue), registered with a certificate, performing with an overdue milestone, completed', async () => {
    const statuses = await env.query<{ status: string }>(
      `SELECT status FROM contract WHERE source = 'broker' ORDER BY status`,
    );
    expect(statuses.map((r) => r.status).sort()).toEqual(
      ['completed', 'draft', 'performing', 'registered', 'signed', 'under_review', 'under_review'].sort(),
    );
    const auditor = await login(api, 'auditor@registry.demo.xiaoxiang.market', DEMO_PASSWORD);
    const queue = await http(api)
      .get('/api/v1/registrations/queue')
      .set('authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(queue.body.total).toBe(2);
    expect(queue.body.items[0]).toMatchObject({ flag: 'overdue' });
    const seller = await login(api, 'seller@csu.demo.xiaoxiang.market', DEMO_PASSWORD);
    const [registered] = await env.query<{ id: string }>(`SELECT id FROM contract WHERE status = 'registered'`);
    const pdf = await http(api)
      .get(`/api/v1/contracts/${registered.id}/registration-certificate`)
      .set('authorization', `Bearer ${seller}`)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const [performing] = await env.query<{ id: string }>(`SELECT id FROM contract WHERE status = 'performing'`);
    const milestones = await http(api)
      .get(`/api/v1/contracts/${performing.id}/milestones`)
      .set('authorization', `Bearer ${seller}`)
      .expect(200);
    expect(milestones.body.map((m: { status: string }) => m.status)).toEqual(['paid', 'overdue', 'pending']);
  });
  it('shows statistics of the registered demo contracts and a demonstration county with its report', async () => {
    worker ??= await startWorker();
    // The worker counts the registrations announced to the statistics queue.
    const figures = await eventually(async () => {
      const body = (await http(api).get('/api/v1/stats/contracts?groupBy=contractType').expect(200)).body;
      return body.totals.contracts === 3 ? body : undefined;
    }, 30_000);
    expect(figures.rows).toEqual([expect.objectContaining({ key: 'transfer', label: '技术转让', contracts: 3 })]);
    const counties = await http(api).get('/api/v1/stats/counties').expect(200);
    expect(counties.body).toEqual([expect.objectContaining({ regionCode: '430104', name: '岳麓区' })]);
    const admin = await login(api, 'admin@demo.xiaoxiang.market', DEMO_PASSWORD);
    const report = await http(api)
      .get('/api/v1/stats/counties/430104/report')
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(report.body).toMatchObject({ constructionYear: 2, output: { contracts: 3 } });
    expect(report.body.institutions).toEqual([expect.objectContaining({ name: '中南大学', asSeller: 3 })]);
    expect(report.body.featuredIndustries[0]).toMatchObject({ name: '新材料', contracts: 3 });
  });
});
