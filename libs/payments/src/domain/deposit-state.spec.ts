import {
  canMove,
  capturedAtOnce,
  DepositPurpose,
  DepositStatus,
  instruction,
  moveDeposit,
  releaseOutcome,
  statusAfterStripeEvent,
} from './deposit-state';

const authorised = { status: 'requires_capture', amount: 50_000, amountCapturable: 50_000 };

describe('deposit state machine', () => {
  it('holds a pending deposit once the card is authorised for the whole amount', () => {
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.amount_capturable_updated', authorised, 50_000),
    ).toBe(DepositStatus.Held);
  });

  it('does not hold a deposit for an authorisation of another amount', () => {
    const partial = { ...authorised, amountCapturable: 10_000 };
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.amount_capturable_updated', partial, 50_000),
    ).toBeUndefined();
  });

  it('ignores an event that arrives after the deposit moved on', () => {
    expect(
      statusAfterStripeEvent(DepositStatus.Captured, 'payment_intent.amount_capturable_updated', authorised, 50_000),
    ).toBeUndefined();
    expect(
      statusAfterStripeEvent(
        DepositStatus.Released,
        'payment_intent.canceled',
        { ...authorised, status: 'canceled' },
        50_000,
      ),
    ).toBeUndefined();
    expect(
      statusAfterStripeEvent(DepositStatus.Held, 'payment_intent.payment_failed', authorised, 50_000),
    ).toBeUndefined();
  });

  it('calls off a pending deposit whose intent is canceled, and releases a held one', () => {
    const canceled = { ...authorised, status: 'canceled' };
    expect(statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.canceled', canceled, 50_000)).toBe(
      DepositStatus.Canceled,
    );
    expect(statusAfterStripeEvent(DepositStatus.Held, 'payment_intent.canceled', canceled, 50_000)).toBe(
      DepositStatus.Released,
    );
  });

  it('fails a pending deposit whose payment failed', () => {
    const failed = { ...authorised, status: 'requires_payment_method', amountCapturable: 0 };
    expect(statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.payment_failed', failed, 50_000)).toBe(
      DepositStatus.Failed,
    );
  });

  it('moves money only through an instruction: no market move goes from held straight to captured or released', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    for (const to of [DepositStatus.Captured, DepositStatus.Released]) {
      expect(canMove(DepositStatus.Held, to)).toBe(false);
      const deposit = { id: 'd1', status: DepositStatus.Held, heldAt: now, releasedAt: null, capturedAt: null };
      expect(() => moveDeposit(deposit, to, now)).toThrow(
        expect.objectContaining({ code: 'PAYMENTS.ILLEGAL_TRANSITION' }),
      );
      expect(deposit).toMatchObject({ status: DepositStatus.Held, releasedAt: null, capturedAt: null });
    }
    expect(canMove(DepositStatus.Held, DepositStatus.Capturing)).toBe(true);
    expect(canMove(DepositStatus.Held, DepositStatus.Releasing)).toBe(true);
    expect(canMove(DepositStatus.Pending, DepositStatus.Captured)).toBe(false);
  });

  it('lets only the provider report that a held deposit is gone (its hold lapsed or was canceled there)', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(canMove(DepositStatus.Held, DepositStatus.Released, 'provider')).toBe(true);
    expect(canMove(DepositStatus.Held, DepositStatus.Captured, 'provider')).toBe(false);
    const deposit = { id: 'd1', status: DepositStatus.Held, heldAt: now, releasedAt: null, capturedAt: null };
    moveDeposit(deposit, DepositStatus.Released, now, 'provider');
    expect(deposit).toMatchObject({ status: DepositStatus.Released, releasedAt: now });
  });

  it('records settlement instructions before money moves: held to capturing or releasing, pending to releasing', () => {
    expect(instruction(DepositStatus.Held, 'capture')).toEqual({ action: 'instruct', to: DepositStatus.Capturing });
    expect(instruction(DepositStatus.Held, 'release')).toEqual({ action: 'instruct', to: DepositStatus.Releasing });
    expect(instruction(DepositStatus.Pending, 'release')).toEqual({ action: 'instruct', to: DepositStatus.Releasing });
    expect(instruction(DepositStatus.Capturing, 'capture')).toEqual({ action: 'none' });
    expect(instruction(DepositStatus.Released, 'release')).toEqual({ action: 'none' });
    expect(instruction(DepositStatus.Pending, 'capture')).toEqual({ action: 'refuse' });
    expect(instruction(DepositStatus.Released, 'capture')).toEqual({ action: 'refuse' });
    expect(instruction(DepositStatus.Capturing, 'release')).toEqual({ action: 'refuse' });
  });

  it('carries out an instruction: capturing is captured, releasing is released if it was ever held, else canceled', () => {
    expect(canMove(DepositStatus.Capturing, DepositStatus.Captured)).toBe(true);
    expect(canMove(DepositStatus.Capturing, DepositStatus.Canceled)).toBe(false);
    expect(releaseOutcome(true)).toBe(DepositStatus.Released);
    expect(releaseOutcome(false)).toBe(DepositStatus.Canceled);
    expect(canMove(DepositStatus.Releasing, DepositStatus.Released)).toBe(true);
    expect(canMove(DepositStatus.Releasing, DepositStatus.Canceled)).toBe(true);
    expect(canMove(DepositStatus.Releasing, DepositStatus.Captured)).toBe(false);
  });

  it('releases a deposit whose hold was canceled at Stripe while its capture was on its way', () => {
    const canceled = { ...authorised, status: 'canceled' };
    expect(statusAfterStripeEvent(DepositStatus.Capturing, 'payment_intent.canceled', canceled, 50_000, true)).toBe(
      DepositStatus.Released,
    );
    expect(
      statusAfterStripeEvent(DepositStatus.Releasing, 'payment_intent.amount_capturable_updated', authorised, 50_000),
    ).toBeUndefined();
  });

  it('moves a deposit only along the state machine, stamping the time, and refuses any other move', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const deposit = { id: 'd1', status: DepositStatus.Held, heldAt: now, releasedAt: null, capturedAt: null };
    moveDeposit(deposit, DepositStatus.Capturing, now);
    moveDeposit(deposit, DepositStatus.Captured, now);
    expect(deposit).toMatchObject({ status: DepositStatus.Captured, capturedAt: now, releasedAt: null });
    expect(() => moveDeposit(deposit, DepositStatus.Released, now)).toThrow(
      expect.objectContaining({ code: 'PAYMENTS.ILLEGAL_TRANSITION' }),
    );
    expect(deposit.status).toBe(DepositStatus.Captured);
  });
});

describe('a payment captured at once (a contract milestone by card)', () => {
  const succeeded = { status: 'succeeded', amount: 50_000, amountCapturable: 0, amountReceived: 50_000 };

  it('is captured when its intent succeeds, from pending, and only then', () => {
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.succeeded', succeeded, 50_000, false, true),
    ).toBe(DepositStatus.Captured);
    expect(
      statusAfterStripeEvent(DepositStatus.Captured, 'payment_intent.succeeded', succeeded, 50_000, false, true),
    ).toBeUndefined();
    const short = { ...succeeded, amountReceived: 10_000 };
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.succeeded', short, 50_000, false, true),
    ).toBeUndefined();
  });

  it('leaves a hold to the market’s own capture: its succeeded event changes nothing', () => {
    expect(
      statusAfterStripeEvent(DepositStatus.Capturing, 'payment_intent.succeeded', succeeded, 50_000, true, false),
    ).toBeUndefined();
    expect(capturedAtOnce(DepositPurpose.ContractMilestone)).toBe(true);
    expect(capturedAtOnce(DepositPurpose.Auction)).toBe(false);
  });

  it('is a move only the provider reports: the market never captures a pending deposit itself', () => {
    expect(canMove(DepositStatus.Pending, DepositStatus.Captured, 'provider')).toBe(true);
    expect(canMove(DepositStatus.Pending, DepositStatus.Captured, 'market')).toBe(false);
  });

  it('is captured when charged before a call-off reached the provider (releasing), a hold never is', () => {
    expect(
      statusAfterStripeEvent(DepositStatus.Releasing, 'payment_intent.succeeded', succeeded, 50_000, false, true),
    ).toBe(DepositStatus.Captured);
    expect(canMove(DepositStatus.Releasing, DepositStatus.Captured, 'market')).toBe(false);
    expect(
      statusAfterStripeEvent(DepositStatus.Releasing, 'payment_intent.succeeded', succeeded, 50_000, true, false),
    ).toBeUndefined();
  });

  it('stays pending after a declined card (the same intent may be confirmed again); fails once the intent is canceled', () => {
    const declined = { status: 'requires_payment_method', amount: 50_000, amountCapturable: 0, amountReceived: 0 };
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.payment_failed', declined, 50_000, false, true),
    ).toBeUndefined();
    expect(
      statusAfterStripeEvent(
        DepositStatus.Pending,
        'payment_intent.payment_failed',
        { ...declined, status: 'canceled' },
        50_000,
        false,
        true,
      ),
    ).toBe(DepositStatus.Failed);
    // The retry then succeeds from pending: one payment, captured once.
    expect(
      statusAfterStripeEvent(DepositStatus.Pending, 'payment_intent.succeeded', succeeded, 50_000, false, true),
    ).toBe(DepositStatus.Captured);
  });
});
