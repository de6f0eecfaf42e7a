import {
  AuctionLifecycle,
  AuctionStatus,
  chooseWinner,
  closeAuction,
  openAuction,
  settleAuction,
} from './auction-state';

const NOW = new Date('2026-12-01T04:00:00Z');

function auction(status: AuctionStatus): AuctionLifecycle {
  return { id: 'a1', status, winnerOrganizationId: null, finalPriceFen: null, closedAt: null, settledAt: null };
}

const code = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('auction state machine', () => {
  it('opens a scheduled auction and refuses to open any other', () => {
    const scheduled = auction(AuctionStatus.Scheduled);
    openAuction(scheduled);
    expect(scheduled.status).toBe(AuctionStatus.Open);
    expect(code(() => openAuction(auction(AuctionStatus.Open)))).toBe('AUCTION.ILLEGAL_TRANSITION');
    expect(code(() => openAuction(auction(AuctionStatus.Closed)))).toBe('AUCTION.ILLEGAL_TRANSITION');
  });

  it('closes an open auction with its provisional winner, and refuses to close a scheduled one', () => {
    const open = auction(AuctionStatus.Open);
    closeAuction(open, { organizationId: 'b1', amountFen: 1_200_000 }, NOW);
    expect(open).toMatchObject({
      status: AuctionStatus.Closed,
      closedAt: NOW,
      winnerOrganizationId: 'b1',
      finalPriceFen: 1_200_000,
    });
    expect(code(() => closeAuction(auction(AuctionStatus.Scheduled), null, NOW))).toBe('AUCTION.ILLEGAL_TRANSITION');
  });

  it('settles a closed auction on a winner, fails it without one, and never settles twice', () => {
    const won = auction(AuctionStatus.Closed);
    settleAuction(won, { organizationId: 'b2', amountFen: 1_100_000 }, NOW);
    expect(won).toMatchObject({ status: AuctionStatus.Settled, winnerOrganizationId: 'b2', finalPriceFen: 1_100_000 });
    const lost = auction(AuctionStatus.Closed);
    lost.winnerOrganizationId = 'b1';
    settleAuction(lost, null, NOW);
    expect(lost).toMatchObject({ status: AuctionStatus.Failed, winnerOrganizationId: null, finalPriceFen: null });
    expect(code(() => settleAuction(won, null, NOW))).toBe('AUCTION.ILLEGAL_TRANSITION');
    expect(code(() => settleAuction(auction(AuctionStatus.Open), null, NOW))).toBe('AUCTION.ILLEGAL_TRANSITION');
  });
});

describe('choosing the winner', () => {
  const offers = [
    { organizationId: 'top', amountFen: 1_500_000 },
    { organizationId: 'top', amountFen: 1_400_000 },
    { organizationId: 'second', amountFen: 1_300_000 },
    { organizationId: 'third', amountFen: 1_000_000 },
  ];

  it('is the highest bidder when its deposit is held', () => {
    expect(chooseWinner(offers, null, () => true)).toEqual({ organizationId: 'top', amountFen: 1_500_000 });
  });

  it("passes over a bidder whose deposit lapsed to the next bidder's best offer, not the lapsed one's lower bids", () => {
    expect(chooseWinner(offers, null, (org) => org !== 'top')).toEqual({
      organizationId: 'second',
      amountFen: 1_300_000,
    });
  });

  it('is nobody when the next bidder with a held deposit is below the reserve', () => {
    expect(chooseWinner(offers, 1_200_000, (org) => org === 'third')).toBeNull();
    expect(chooseWinner(offers, 1_200_000, (org) => org === 'second')).toEqual({
      organizationId: 'second',
      amountFen: 1_300_000,
    });
  });

  it('is nobody without bids or without a held deposit', () => {
    expect(chooseWinner([], null, () => true)).toBeNull();
    expect(chooseWinner(offers, null, () => false)).toBeNull();
  });
});
