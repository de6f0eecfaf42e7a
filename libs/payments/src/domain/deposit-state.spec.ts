import {
  DepositStatus,
  instruction,
  moveDeposit,
  planCapture,
  planRelease,
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

  it('releases a held deposit, calls off a pending one, and refuses to release a captured one', () => {
    expect(planRelease(DepositStatus.Held)).toEqual({ action: 'release', to: DepositStatus.Released });
    expect(planRelease(DepositStatus.Pending)).toEqual({ action: 'release', to: DepositStatus.Canceled });
    expect(planRelease(DepositStatus.Released)).toEqual({ action: 'none' });
    expect(planRelease(DepositStatus.Captured)).toEqual({ action: 'refuse' });
  });

  it('captures only a held deposit, and capturing twice is a no-op', () => {
    expect(planCapture(DepositStatus.Held)).toBe('capture');
    expect(planCapture(DepositStatus.Captured)).toBe('none');
    expect(planCapture(DepositStatus.Pending)).toBe('refuse');
    expect(planCapture(DepositStatus.Released)).toBe('refuse');
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
    expect(planCapture(DepositStatus.Capturing)).toBe('capture');
    expect(planRelease(DepositStatus.Releasing, true)).toEqual({ action: 'release', to: DepositStatus.Released });
    expect(planRelease(DepositStatus.Releasing, false)).toEqual({ action: 'release', to: DepositStatus.Canceled });
    expect(planRelease(DepositStatus.Capturing)).toEqual({ action: 'refuse' });
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
