import { CreditEventKind, pointsOf, ratingOf } from './rating';

const now = new Date('2026-11-29T00:00:00Z');
const at = (iso: string, kind: CreditEventKind) => ({ kind, occurredAt: new Date(iso) });

describe('credit rating', () => {
  it('rates a clean record A, and does not bank credit above 100', () => {
    expect(ratingOf(pointsOf([], now))).toBe('A');
    expect(pointsOf([at('2026-01-01T00:00:00Z', CreditEventKind.ContractRegistered)], now)).toBe(100);
  });

  it('rates one refusal B-free (A at 90), two B, four C, and a confirmed false contract D', () => {
    const refused = (n: number) =>
      Array.from({ length: n }, () => at('2026-06-01T00:00:00Z', CreditEventKind.RegistrationRefused));
    expect(ratingOf(pointsOf(refused(1), now))).toBe('A');
    expect(ratingOf(pointsOf(refused(2), now))).toBe('B');
    expect(ratingOf(pointsOf(refused(4), now))).toBe('C');
    expect(ratingOf(pointsOf([at('2026-06-01T00:00:00Z', CreditEventKind.ContractConfirmedFalse)], now))).toBe('D');
  });

  it('lets registered contracts offset refusals, and forgets events older than three years', () => {
    const events = [
      at('2026-06-01T00:00:00Z', CreditEventKind.RegistrationRefused),
      at('2026-06-01T00:00:00Z', CreditEventKind.RegistrationRefused),
      ...Array.from({ length: 5 }, () => at('2026-07-01T00:00:00Z', CreditEventKind.ContractRegistered)),
    ];
    expect(pointsOf(events, now)).toBe(85);
    expect(ratingOf(pointsOf([at('2023-11-28T00:00:00Z', CreditEventKind.ContractConfirmedFalse)], now))).toBe('A');
  });

  it('takes 15 points for an objection upheld or a deal annulled: one makes B, and with a refusal C', () => {
    for (const kind of [CreditEventKind.ObjectionUpheld, CreditEventKind.DealAnnulled]) {
      expect(pointsOf([at('2026-06-01T00:00:00Z', kind)], now)).toBe(85);
      expect(ratingOf(pointsOf([at('2026-06-01T00:00:00Z', kind)], now))).toBe('B');
    }
    const three = [
      at('2026-06-01T00:00:00Z', CreditEventKind.ObjectionUpheld),
      at('2026-07-01T00:00:00Z', CreditEventKind.DealAnnulled),
      at('2026-08-01T00:00:00Z', CreditEventKind.RegistrationRefused),
    ];
    expect(ratingOf(pointsOf(three, now))).toBe('C');
  });
});
