import { DomainError } from '@market/http';
import {
  agree,
  announce,
  annul,
  canTransition,
  endNegotiation,
  ensureOpen,
  finalize,
  NegotiationLifecycle,
  NegotiationStatus,
  pauseAnnouncement,
  refusalFor,
  resumeAnnouncement,
} from './negotiation-state';
import { canMoveOffer, moveOffer, OfferStatus } from './offer-state';

const now = new Date('2026-11-29T08:00:00Z');

function negotiation(status = NegotiationStatus.Open): NegotiationLifecycle & { endedReason: string | null } {
  return {
    status,
    agreedOfferId: null,
    agreedAt: null,
    announcementEndsAt: null,
    announcementPausedAt: null,
    announcementRemainingMs: null,
    finalAt: null,
    endedAt: null,
    endedReason: null,
  };
}

const codeOf = (fn: () => void): string => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return 'none';
};

describe('negotiation state machine', () => {
  it('agrees an open negotiation, then makes it final', () => {
    const n = negotiation();
    agree(n, 'offer-1', now);
    expect(n).toMatchObject({ status: NegotiationStatus.Agreed, agreedOfferId: 'offer-1', agreedAt: now });
    finalize(n, now);
    expect(n.status).toBe(NegotiationStatus.Final);
  });

  it('announces a public institution’s deal before it is final or annulled', () => {
    const n = negotiation();
    agree(n, 'offer-1', now);
    announce(n, new Date(now.getTime() + 1000));
    expect(n.status).toBe(NegotiationStatus.Announced);
    annul(n, 'objection upheld', now);
    expect(n).toMatchObject({ status: NegotiationStatus.Annulled, endedReason: 'objection upheld' });
  });

  it('refuses to finalize twice: one final deal, one trade.agreed', () => {
    const n = negotiation();
    agree(n, 'offer-1', now);
    finalize(n, now);
    expect(codeOf(() => finalize(n, now))).toBe('NEGOTIATION.ILLEGAL_TRANSITION');
  });

  it('ends only an open negotiation without a deal', () => {
    for (const to of [
      NegotiationStatus.Rejected,
      NegotiationStatus.Withdrawn,
      NegotiationStatus.Expired,
      NegotiationStatus.Closed,
    ] as const) {
      const n = negotiation();
      endNegotiation(n, to, 'why', now);
      expect(n).toMatchObject({ status: to, endedReason: 'why', endedAt: now });
      expect(codeOf(() => agree(n, 'x', now))).toBe('NEGOTIATION.ILLEGAL_TRANSITION');
    }
    expect(canTransition(NegotiationStatus.Agreed, NegotiationStatus.Withdrawn)).toBe(false);
    expect(canTransition(NegotiationStatus.Final, NegotiationStatus.Annulled)).toBe(false);
  });

  it('tells the loser of a race what happened first', () => {
    const expectations: [NegotiationStatus, string][] = [
      [NegotiationStatus.Agreed, 'NEGOTIATION.ALREADY_ACCEPTED'],
      [NegotiationStatus.Announced, 'NEGOTIATION.ALREADY_ACCEPTED'],
      [NegotiationStatus.Final, 'NEGOTIATION.ALREADY_ACCEPTED'],
      [NegotiationStatus.Withdrawn, 'NEGOTIATION.WITHDRAWN'],
      [NegotiationStatus.Expired, 'NEGOTIATION.OFFER_EXPIRED'],
      [NegotiationStatus.Rejected, 'NEGOTIATION.REJECTED'],
      [NegotiationStatus.Closed, 'NEGOTIATION.CLOSED'],
    ];
    for (const [status, code] of expectations) {
      expect(refusalFor(negotiation(status)).code).toBe(code);
      expect(refusalFor(negotiation(status)).kind).toBe('conflict');
    }
    expect(() => ensureOpen(negotiation())).not.toThrow();
  });

  it('pauses the announcement with the time left and resumes with it', () => {
    const n = negotiation();
    agree(n, 'offer-1', now);
    announce(n, new Date(now.getTime() + 10_000));
    pauseAnnouncement(n, new Date(now.getTime() + 4_000));
    expect(n.announcementRemainingMs).toBe(6_000);
    const later = new Date(now.getTime() + 100_000);
    expect(resumeAnnouncement(n, later).getTime()).toBe(later.getTime() + 6_000);
    expect(n.announcementPausedAt).toBeNull();
  });
});

describe('offer state machine', () => {
  it('lets a broker’s proposal take effect only through confirmation', () => {
    expect(canMoveOffer(OfferStatus.AwaitingConfirmation, OfferStatus.Accepted)).toBe(false);
    const offer = { status: OfferStatus.AwaitingConfirmation, answeredAt: null as Date | null };
    moveOffer(offer, OfferStatus.Open, now);
    expect(offer).toEqual({ status: OfferStatus.Open, answeredAt: null });
    moveOffer(offer, OfferStatus.Accepted, now);
    expect(offer.answeredAt).toBe(now);
  });

  it('refuses to answer an offer twice', () => {
    const offer = { status: OfferStatus.Open, answeredAt: null as Date | null };
    moveOffer(offer, OfferStatus.Superseded, now);
    expect(codeOf(() => moveOffer(offer, OfferStatus.Accepted, now))).toBe('NEGOTIATION.ILLEGAL_TRANSITION');
  });
});
