import { DomainError } from '@market/http';
import { AuctionBiddingState } from '../domain/bid-rules';
import {
  AcceptedBid,
  answerAuction,
  BidRequest,
  KnownAuction,
  planAuction,
  PlanContext,
  StoredDecision,
} from './bid-round';

const AUCTION = '00000000-0000-4000-8000-00000000a001';
const SELLER = '00000000-0000-4000-8000-000000000050';
const [A, B] = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1'];
const [USER_A, USER_B] = ['00000000-0000-4000-8000-0000000001a1', '00000000-0000-4000-8000-0000000001b1'];
const NOW = new Date('2026-11-29T10:00:00Z');

function known(overrides: Partial<AuctionBiddingState> = {}): KnownAuction {
  return {
    version: 7,
    state: {
      status: 'open',
      sellerOrganizationId: SELLER,
      allowedBuyerOrganizationIds: null,
      startingPriceFen: 1_000_000,
      incrementFen: 10_000,
      currentPriceFen: null,
      leadingBidderOrganizationId: null,
      bidCount: 0,
      lastSeq: 0,
      endsAt: new Date(NOW.getTime() + 3_600_000),
      ...overrides,
    },
  };
}

function context(overrides: Partial<PlanContext> = {}): PlanContext {
  let n = 0;
  return {
    now: NOW,
    antiSnipingMs: 300_000,
    holdsDeposit: () => true,
    stored: new Map(),
    newId: () => `bid-${++n}`,
    ...overrides,
  };
}

const bidOf = (organizationId: string, userId: string, amountFen: number, idempotencyKey?: string): BidRequest => ({
  bidderOrganizationId: organizationId,
  bidderUserId: userId,
  amountFen,
  idempotencyKey,
});

const accepted = (outcome: unknown) => outcome as AcceptedBid;

describe('a round of bids on one auction', () => {
  it('gives every new bid its own row id before anything is written', () => {
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_000_000), bidOf(B, USER_B, 1_010_000), bidOf(A, USER_A, 1_000_000)],
      known(),
      context({ newId: undefined }),
    );
    const ids = plan.records.map((r) => r.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('matches written rows to bids by id, whatever order the rows come back in', () => {
    const bids = [bidOf(A, USER_A, 1_000_000), bidOf(B, USER_B, 1_010_000), bidOf(A, USER_A, 1_020_000)];
    const plan = planAuction(AUCTION, bids, known(), context());
    // Rows back in reverse order, each with its own time: position would give each bid another's row.
    const createdAt = new Map(
      [...plan.records].reverse().map((r, n) => [r.id, new Date(NOW.getTime() + (n + 1) * 1000)] as const),
    );
    const { answers, events } = answerAuction(plan, createdAt);

    for (const { bid, outcome } of answers) {
      const record = plan.records.find((r) => r.amountFen === bid.amountFen)!;
      expect(accepted(outcome).bid).toEqual({
        id: record.id,
        seq: bids.indexOf(bid) + 1,
        amountFen: bid.amountFen,
        createdAt: createdAt.get(record.id)!.toISOString(),
      });
    }
    expect(events.map((e) => (e.type === 'bid' ? [e.seq, e.at] : []))).toEqual(
      plan.records.map((r, n) => [n + 1, createdAt.get(r.id)!.toISOString()]),
    );
  });

  it('refuses to answer a bid whose row the write did not return', () => {
    const plan = planAuction(AUCTION, [bidOf(A, USER_A, 1_000_000)], known(), context());
    expect(() => answerAuction(plan, new Map([['some-other-id', NOW]]))).toThrow(/was not written/);
  });

  it('decides in arrival order against the known state, and leaves the known state as it was', () => {
    const auction = known({ currentPriceFen: 1_100_000, bidCount: 3, lastSeq: 3 });
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_105_000), bidOf(A, USER_A, 1_110_000), bidOf(B, USER_B, 1_115_000)],
      auction,
      context(),
    );
    expect(plan.records.map((r) => r.decision)).toEqual([
      { accepted: false, reason: 'TOO_LOW', minimumFen: 1_110_000 },
      { accepted: true, seq: 4, amountFen: 1_110_000, extendedTo: null },
      { accepted: false, reason: 'TOO_LOW', minimumFen: 1_120_000 },
    ]);
    expect(plan).toMatchObject({ version: 7, changed: true, extended: false });
    expect(plan.state).toMatchObject({ currentPriceFen: 1_110_000, leadingBidderOrganizationId: A, lastSeq: 4 });
    expect(auction.state).toMatchObject({ currentPriceFen: 1_100_000, lastSeq: 3 });
  });

  it('refuses a bidder this process has not seen holding a deposit', () => {
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_000_000), bidOf(B, USER_B, 1_000_000)],
      known(),
      context({ holdsDeposit: (org) => org === B }),
    );
    expect(plan.records.map((r) => r.decision.accepted)).toEqual([false, true]);
    expect(plan.records[0].decision).toMatchObject({ reason: 'NO_DEPOSIT' });
  });

  it('answers a key repeated within the round with its first decision, and writes it once', () => {
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_000_000, 'k'), bidOf(A, USER_A, 1_000_000, 'k'), bidOf(A, USER_A, 1_050_000, 'k')],
      known(),
      context(),
    );
    expect(plan.records).toHaveLength(1);
    const { answers } = answerAuction(plan, new Map([[plan.records[0].id, NOW]]));
    const [first, retry, changed] = answers.map((a) => a.outcome);
    expect(accepted(first)).toMatchObject({ bid: { id: plan.records[0].id, seq: 1 }, replayed: false });
    expect(accepted(retry)).toMatchObject({ bid: { id: plan.records[0].id, seq: 1 }, replayed: true });
    expect((changed as DomainError).code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('answers a key decided in an earlier round from the stored row, and writes nothing', () => {
    const stored: StoredDecision = {
      id: 'earlier-bid',
      auction_id: AUCTION,
      bidder_user_id: USER_A,
      idempotency_key: 'k',
      seq: 1,
      amount_fen: '1000000',
      accepted: true,
      refusal_reason: null,
      minimum_fen: null,
      created_at: NOW,
    };
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_000_000, 'k'), bidOf(A, USER_A, 1_200_000, 'k')],
      known({ currentPriceFen: 1_000_000, bidCount: 1, lastSeq: 1 }),
      context({ stored: new Map([[`${AUCTION}/${USER_A}/k`, stored]]) }),
    );
    expect(plan.records).toEqual([]);
    expect(plan.changed).toBe(false);
    const [replay, other] = answerAuction(plan, new Map()).answers.map((a) => a.outcome);
    expect(accepted(replay)).toMatchObject({ bid: { id: 'earlier-bid', seq: 1 }, replayed: true });
    expect((other as DomainError).code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('marks the plan extended when an accepted bid moves the end', () => {
    const plan = planAuction(
      AUCTION,
      [bidOf(A, USER_A, 1_000_000)],
      known({ endsAt: new Date(NOW.getTime() + 60_000) }),
      context(),
    );
    expect(plan.extended).toBe(true);
    expect(plan.state.endsAt).toEqual(new Date(NOW.getTime() + 300_000));
    const { events } = answerAuction(plan, new Map([[plan.records[0].id, NOW]]));
    expect(events.map((e) => e.type)).toEqual(['bid', 'extended']);
  });
});
