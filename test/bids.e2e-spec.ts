import type { INestApplicationContext } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AcceptedBid, AuctionEventsService, BidBatcher } from '@market/auction';
import { JobName } from '@market/queue';
import { Account } from './support/accounts';
import {
  bid,
  createAuction as createAuctionFor,
  holdDeposit,
  runAuctionJob,
  verifiedBuyer,
  startAuctionMarket,
  AuctionMarket,
} from './support/auctions';
import { settleDeposit } from './support/deposits';
import { FakeClock } from './support/fake-clock';
import { Api } from './support/market';
import { TestEnvironment } from './support/test-env';

const MINUTE = 60_000;

describe('bids', () => {
  let env: TestEnvironment;
  let api: Api;
  let worker: INestApplicationContext;
  const clock = new FakeClock();
  let admin: Account;
  let seller: Account;
  let finance: Account;

  let market: AuctionMarket;

  beforeAll(async () => {
    market = await startAuctionMarket(clock, { consume: false });
    ({ env, api, worker, admin, seller, finance } = market);
  });

  afterAll(() => market?.close());

  const createAuction = (overrides: Record<string, unknown> = {}) =>
    createAuctionFor({ api, worker, env, clock, seller, admin }, overrides);

  async function openAuction(id: string): Promise<void> {
    clock.advance(2 * MINUTE);
    await runAuctionJob(worker, env, id, JobName.AuctionOpenDue);
  }

  const auctionRow = async (id: string) =>
    (
      await env.query<{ current_price_fen: string; bid_count: number; leading_bidder_organization_id: string }>(
        `SELECT current_price_fen, bid_count, leading_bidder_organization_id FROM auction WHERE id = $1`,
        [id],
      )
    )[0];

  const bidRows = (auctionId: string) =>
    env.query<{ amount_fen: string; accepted: boolean; refusal_reason: string | null; idempotency_key: string | null }>(
      `SELECT amount_fen, accepted, refusal_reason, idempotency_key FROM auction_bid WHERE auction_id = $1 ORDER BY created_at, amount_fen`,
      [auctionId],
    );

  describe('a deposit released while the auction runs', () => {
    it('stops its bidder: the next bid is refused with AUCTION.NO_DEPOSIT and moves nothing', async () => {
      const auctionId = await createAuction();
      const [buyer, rival] = [await verifiedBuyer(api, admin), await verifiedBuyer(api, admin)];
      const depositId = await holdDeposit(api, finance, buyer, auctionId);
      await holdDeposit(api, finance, rival, auctionId);
      await openAuction(auctionId);
      // The api has now seen both deposits held.
      await bid(api, buyer, auctionId, 1_000_000).expect(201);
      await bid(api, rival, auctionId, 1_010_000).expect(201);

      // The hold goes away meanwhile (released, or a card authorisation that lapsed or was canceled).
      expect(await settleDeposit(worker, env, depositId, 'release')).toMatchObject({ status: 'released' });

      const refused = await bid(api, buyer, auctionId, 1_050_000);
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'AUCTION.NO_DEPOSIT', minimumFen: 1_020_000 });
      expect(await auctionRow(auctionId)).toMatchObject({
        current_price_fen: '1010000',
        bid_count: 2,
        leading_bidder_organization_id: rival.organizationId,
      });
      expect((await bidRows(auctionId)).filter((b) => b.accepted).map((b) => b.amount_fen)).toEqual([
        '1000000',
        '1010000',
      ]);

      // The other bidder, whose deposit still holds, bids on as before.
      const next = await bid(api, rival, auctionId, 1_020_000).expect(201);
      expect(next.body).toMatchObject({ bid: { seq: 3 }, auction: { currentPriceFen: 1_020_000 } });
    });

    it('lets the bidder back in once a new deposit is held', async () => {
      const auctionId = await createAuction();
      const buyer = await verifiedBuyer(api, admin);
      const depositId = await holdDeposit(api, finance, buyer, auctionId);
      await openAuction(auctionId);
      await bid(api, buyer, auctionId, 1_000_000).expect(201);
      await settleDeposit(worker, env, depositId, 'release');
      expect((await bid(api, buyer, auctionId, 1_010_000)).body.code).toBe('AUCTION.NO_DEPOSIT');

      await holdDeposit(api, finance, buyer, auctionId);
      await bid(api, buyer, auctionId, 1_010_000).expect(201);
    });
  });

  describe('a round of bids on several auctions', () => {
    let buyer: Account;
    let batcher: BidBatcher;
    /** The batcher's insides a test replaces or watches; private to it. */
    let insides: { decideLocked: (auctions: { auctionId: string }[]) => Promise<unknown> };

    beforeAll(async () => {
      buyer = await verifiedBuyer(api, admin);
      batcher = api.get(BidBatcher);
      insides = batcher as unknown as typeof insides;
    });

    afterEach(() => jest.restoreAllMocks());

    /** Open English auctions with the buyer's deposit held on each (long enough to outlast the setup's 16-day announcements). */
    async function openAuctions(count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let n = 0; n < count; n++) {
        ids.push(await createAuctionFor({ api, worker, env, clock, seller, admin }, {}, 365 * 24 * 60));
      }
      for (const id of ids) await holdDeposit(api, finance, buyer, id);
      clock.advance(2 * MINUTE);
      for (const id of ids) await runAuctionJob(worker, env, id, JobName.AuctionOpenDue);
      return ids;
    }

    /**
     * Bids straight into the batcher. The first call of a burst starts a round of its own at once;
     * the calls made right after it wait together for the next round.
     */
    const submit = (auctionId: string, amountFen: number, idempotencyKey?: string): Promise<AcceptedBid> =>
      batcher.submit(auctionId, {
        bidderOrganizationId: buyer.organizationId,
        bidderUserId: buyer.userId,
        amountFen,
        idempotencyKey,
      });

    it('answers and publishes the auctions it wrote even when another auction of the round fails under lock', async () => {
      const [first, written, changed] = await openAuctions(3);
      for (const id of [first, written, changed]) await submit(id, 1_000_000);
      // Changed behind this process's back (the version trigger moves): the round must decide it under lock.
      await env.query(`UPDATE auction SET ends_at = ends_at WHERE id = $1`, [changed]);
      const lost = new Error('connection to the database lost');
      const locked = jest.spyOn(insides, 'decideLocked').mockRejectedValue(lost);
      const published = jest.spyOn(api.get(AuctionEventsService), 'publish');

      const opening = submit(first, 1_010_000);
      const [writtenAnswer, changedAnswer] = await Promise.allSettled([
        submit(written, 1_010_000),
        submit(changed, 1_010_000),
      ]);
      await opening;

      expect(writtenAnswer).toMatchObject({
        status: 'fulfilled',
        value: { bid: { seq: 2, amountFen: 1_010_000 }, auction: { id: written, currentPriceFen: 1_010_000 } },
      });
      expect(changedAnswer).toEqual({ status: 'rejected', reason: lost });
      expect(locked.mock.calls.map(([auctions]) => auctions.map((a) => a.auctionId))).toEqual([[changed]]);
      const events = published.mock.calls.flatMap(([batch]) => batch);
      expect(events).toContainEqual(expect.objectContaining({ type: 'bid', auctionId: written, seq: 2 }));
      expect(events.filter((e) => e.auctionId === changed)).toEqual([]);
      expect(await auctionRow(written)).toMatchObject({ current_price_fen: '1010000', bid_count: 2 });
      expect(await auctionRow(changed)).toMatchObject({ current_price_fen: '1000000', bid_count: 1 });
    });

    it('decides every auction of a round found in the database, however few auctions the process remembers', async () => {
      const ids = await openAuctions(3);
      const remembered = batcher as unknown as Record<'knownAuctions' | 'knownDeposits', unknown>;
      const saved = { knownAuctions: remembered.knownAuctions, knownDeposits: remembered.knownDeposits };
      Object.assign(remembered, { knownAuctions: new LRUCache({ max: 1 }), knownDeposits: new LRUCache({ max: 1 }) });
      try {
        // One round for the first auction, then one round reading the other two: only one fits in memory.
        const answers = await Promise.all(ids.map((id) => submit(id, 1_000_000)));
        expect(answers.map((a) => [a.auction.id, a.bid.seq])).toEqual(ids.map((id) => [id, 1]));
      } finally {
        Object.assign(remembered, saved);
      }
      for (const id of ids) expect(await auctionRow(id)).toMatchObject({ bid_count: 1 });
    });

    it('keeps a fresh bid on another auction optimistic when a round carries a resent key', async () => {
      const [first, keyed, fresh] = await openAuctions(3);
      await submit(keyed, 1_000_000, 'resent');
      for (const id of [first, fresh]) await submit(id, 1_000_000);
      const locked = jest.spyOn(insides, 'decideLocked');

      const opening = submit(first, 1_010_000);
      const [replay, accepted] = await Promise.all([submit(keyed, 1_000_000, 'resent'), submit(fresh, 1_010_000)]);
      await opening;

      expect(replay).toMatchObject({ replayed: true, bid: { seq: 1 } });
      expect(accepted).toMatchObject({ replayed: false, bid: { seq: 2, amountFen: 1_010_000 } });
      expect(locked.mock.calls.map(([auctions]) => auctions.map((a) => a.auctionId))).toEqual([[keyed]]);
      expect(await auctionRow(fresh)).toMatchObject({ current_price_fen: '1010000', bid_count: 2 });
      expect((await bidRows(keyed)).filter((b) => b.idempotency_key === 'resent')).toHaveLength(1);
    });
  });

  describe('Idempotency-Key on an English bid', () => {
    let auctionId: string;
    let buyer: Account;

    beforeAll(async () => {
      auctionId = await createAuction();
      buyer = await verifiedBuyer(api, admin);
      await holdDeposit(api, finance, buyer, auctionId);
      await openAuction(auctionId);
    });

    it.each([
      ['longer than 255 characters', 'k'.repeat(256)],
      ['with a space', 'my key'],
      ['with a character outside ASCII', 'clé-1'],
      ['empty', ''],
    ])('refuses a key %s with a 400 problem and records nothing', async (_what, key) => {
      const before = (await bidRows(auctionId)).length;
      const response = await bid(api, buyer, auctionId, 1_000_000, undefined).set('idempotency-key', key);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.BAD_KEY' });
      expect(await bidRows(auctionId)).toHaveLength(before);
      expect(await auctionRow(auctionId)).toMatchObject({ bid_count: 0 });
    });

    it('keeps two keys that differ only after the 255th character apart: the longer one is refused', async () => {
      const stem = 'x'.repeat(255);
      const first = await bid(api, buyer, auctionId, 1_000_000, stem).expect(201);
      expect(first.body.bid.seq).toBe(1);
      const longer = await bid(api, buyer, auctionId, 1_010_000, `${stem}y`);
      expect(longer.status).toBe(400);
      expect((await bidRows(auctionId)).map((b) => b.idempotency_key)).toEqual([stem]);
    });
  });

  describe('Idempotency-Key on a sealed bid', () => {
    let auctionId: string;
    let buyer: Account;

    beforeAll(async () => {
      auctionId = await createAuction({ kind: 'sealed', incrementFen: undefined });
      buyer = await verifiedBuyer(api, admin);
      await holdDeposit(api, finance, buyer, auctionId);
      await openAuction(auctionId);
    });

    const sealedRow = async () =>
      (
        await env.query<{ amount_fen: string; revision: number }>(
          `SELECT amount_fen, revision FROM sealed_bid WHERE auction_id = $1 AND bidder_organization_id = $2`,
          [auctionId, buyer.organizationId],
        )
      )[0];

    it('replays the first answer to a late retry and leaves the later revision standing', async () => {
      const first = await bid(api, buyer, auctionId, 1_300_000, 'sealed-1').expect(201);
      expect(first.body).toEqual({ amountFen: 1_300_000, revision: 1 });
      await bid(api, buyer, auctionId, 1_400_000, 'sealed-2').expect(201);

      const late = await bid(api, buyer, auctionId, 1_300_000, 'sealed-1').expect(201);
      expect(late.body).toEqual({ amountFen: 1_300_000, revision: 1 });
      expect(late.headers['idempotent-replayed']).toBe('true');
      expect(await sealedRow()).toEqual({ amount_fen: '1400000', revision: 2 });
    });

    it('refuses the same key with another amount with a 422 and changes nothing', async () => {
      const reused = await bid(api, buyer, auctionId, 1_350_000, 'sealed-1');
      expect(reused.status).toBe(422);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
      expect(await sealedRow()).toEqual({ amount_fen: '1400000', revision: 2 });
    });

    it('answers concurrent retries with one key once, writing one revision', async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => bid(api, buyer, auctionId, 1_500_000, 'sealed-3')),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      for (const a of answers) expect(a.body).toEqual({ amountFen: 1_500_000, revision: 3 });
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
      expect(await sealedRow()).toEqual({ amount_fen: '1500000', revision: 3 });
    });

    it('lets a key whose bid was refused be used again', async () => {
      const tooLow = await bid(api, buyer, auctionId, 900_000, 'sealed-4');
      expect(tooLow.body.code).toBe('AUCTION.TOO_LOW');
      const placed = await bid(api, buyer, auctionId, 1_600_000, 'sealed-4').expect(201);
      expect(placed.body).toEqual({ amountFen: 1_600_000, revision: 4 });
      expect(placed.headers['idempotent-replayed']).toBeUndefined();
    });

    it('refuses a key longer than 255 characters with a 400 and places nothing', async () => {
      const response = await bid(api, buyer, auctionId, 1_700_000, 'k'.repeat(256));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.BAD_KEY' });
      expect(await sealedRow()).toEqual({ amount_fen: '1600000', revision: 4 });
    });
  });
});
