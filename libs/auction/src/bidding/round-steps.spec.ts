import type { AcceptedBid, BidRequest } from './bid-round';
import { AuctionBids, decideInSteps, Step } from './round-steps';

const [A, B, C] = ['auction-a', 'auction-b', 'auction-c'];

const bidOf = (amountFen: number, idempotencyKey?: string): BidRequest => ({
  bidderOrganizationId: 'org',
  bidderUserId: 'user',
  amountFen,
  idempotencyKey,
});

const auction = (auctionId: string, ...bids: BidRequest[]): AuctionBids<BidRequest> => ({ auctionId, bids });

const acceptedOf = (auctionId: string, amountFen: number): AcceptedBid => ({
  bid: { id: `${auctionId}-bid`, seq: 1, amountFen, createdAt: '2026-11-29T10:00:00.000Z' },
  auction: { id: auctionId, currentPriceFen: amountFen, bidCount: 1, endsAt: '2026-11-29T11:00:00.000Z' },
  replayed: false,
});

/** Records which auctions each call got; answers each written auction's bids as accepted. */
function step(decide: (auctions: AuctionBids<BidRequest>[], call: number) => string[] | Error) {
  const calls: string[][] = [];
  const run: Step<BidRequest> = (auctions) => {
    calls.push(auctions.map((a) => a.auctionId));
    const result = decide(auctions, calls.length);
    if (result instanceof Error) return Promise.reject(result);
    const stale = auctions.filter((a) => result.includes(a.auctionId));
    const written = auctions.filter((a) => !result.includes(a.auctionId));
    return Promise.resolve({
      done: {
        answers: written.flatMap((a) =>
          a.bids.map((bid) => ({ bid, outcome: acceptedOf(a.auctionId, bid.amountFen) })),
        ),
        events: written.map((a) => ({
          type: 'bid' as const,
          auctionId: a.auctionId,
          seq: 1,
          amountFen: a.bids[0].amountFen,
          at: '2026-11-29T10:00:00.000Z',
        })),
      },
      stale,
    });
  };
  return { run, calls };
}

class KeyReused extends Error {}
const isKeyReused = (error: unknown) => error instanceof KeyReused;

describe('the steps of a round of bids', () => {
  it('keeps what the optimistic step wrote when the locked step fails, and fails only the auctions still pending', async () => {
    const lost = new Error('connection to the database lost');
    const optimistic = step(() => [C]);
    const locked = step(() => lost);
    const decided = await decideInSteps([auction(A, bidOf(100)), auction(B, bidOf(200)), auction(C, bidOf(300))], {
      optimistic: optimistic.run,
      locked: locked.run,
      isKeyReused,
    });

    expect(decided.answers.map((a) => [(a.outcome as AcceptedBid).auction.id, a.bid.amountFen])).toEqual([
      [A, 100],
      [B, 200],
    ]);
    expect(decided.events.map((e) => e.auctionId)).toEqual([A, B]);
    expect(decided.failed).toEqual([{ auctions: [auction(C, bidOf(300))], error: lost }]);
    expect(locked.calls).toEqual([[C]]);
  });

  it('sends only the auctions with keyed bids under lock when a key was reused, and decides the others optimistically again', async () => {
    const optimistic = step((_auctions, call) => (call === 1 ? new KeyReused() : []));
    const locked = step(() => []);
    const decided = await decideInSteps([auction(A, bidOf(100, 'used-before')), auction(B, bidOf(200))], {
      optimistic: optimistic.run,
      locked: locked.run,
      isKeyReused,
    });

    expect(optimistic.calls).toEqual([[A, B], [B]]);
    expect(locked.calls).toEqual([[A]]);
    expect(decided.answers.map((a) => (a.outcome as AcceptedBid).auction.id).sort()).toEqual([A, B]);
    expect(decided.failed).toEqual([]);
  });

  it('retries under lock once, and then fails only the auction a concurrent writer still beat', async () => {
    const optimistic = step(() => [A, B]);
    const locked = step((_auctions, call) => (call === 1 ? [A, B] : [A]));
    const decided = await decideInSteps([auction(A, bidOf(100)), auction(B, bidOf(200))], {
      optimistic: optimistic.run,
      locked: locked.run,
      isKeyReused,
    });

    expect(locked.calls).toEqual([
      [A, B],
      [A, B],
    ]);
    expect(decided.answers.map((a) => (a.outcome as AcceptedBid).auction.id)).toEqual([B]);
    expect(decided.failed).toHaveLength(1);
    expect(decided.failed[0].auctions.map((a) => a.auctionId)).toEqual([A]);
    expect(String(decided.failed[0].error)).toMatch(/could not be written/);
  });

  it('decides again under lock the auctions whose locked write met a key written meanwhile', async () => {
    const optimistic = step((_auctions, call) => (call === 1 ? new KeyReused() : []));
    const locked = step((_auctions, call) => (call === 1 ? new KeyReused() : []));
    const decided = await decideInSteps([auction(A, bidOf(100, 'k'))], {
      optimistic: optimistic.run,
      locked: locked.run,
      isKeyReused,
    });

    expect(optimistic.calls).toEqual([[A]]);
    expect(locked.calls).toEqual([[A], [A]]);
    expect(decided.answers).toHaveLength(1);
    expect(decided.failed).toEqual([]);
  });
});
