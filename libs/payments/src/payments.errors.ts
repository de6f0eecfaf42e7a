import { DomainError } from '@market/http';

export const PaymentsErrors = {
  invalidAmount: (amountFen: unknown) =>
    new DomainError(
      'PAYMENTS.INVALID_AMOUNT',
      'invalid',
      `A deposit is a positive whole number of fen, not ${String(amountFen)}`,
    ),
  invalidReference: (field: string) =>
    new DomainError('PAYMENTS.INVALID_REFERENCE', 'invalid', `${field} must be a UUID`),
  invalidPurpose: (purpose: unknown) =>
    new DomainError('PAYMENTS.INVALID_PURPOSE', 'invalid', `A deposit cannot be for ${String(purpose)}`),
  invalidMethod: (method: unknown) =>
    new DomainError(
      'PAYMENTS.INVALID_METHOD',
      'invalid',
      `A deposit is paid by "stripe" or "offline", not ${String(method)}`,
    ),
  stripeNotConfigured: () =>
    new DomainError(
      'PAYMENTS.STRIPE_NOT_CONFIGURED',
      'unprocessable',
      'Card payments are not available on this market; pay the deposit by bank transfer (method "offline")',
    ),
  depositAlreadyLive: (depositId: string) =>
    new DomainError(
      'PAYMENTS.DEPOSIT_ALREADY_LIVE',
      'conflict',
      `A deposit for this reference is already pending or held (${depositId}); release it before asking again`,
      { depositId },
    ),
  illegalTransition: (depositId: string, from: string, to: string) =>
    new DomainError('PAYMENTS.ILLEGAL_TRANSITION', 'conflict', `Deposit ${depositId} cannot go from ${from} to ${to}`, {
      from,
      to,
    }),
  notHeld: (depositId: string, status: string) =>
    new DomainError('PAYMENTS.DEPOSIT_NOT_HELD', 'conflict', `Deposit ${depositId} is ${status}, not held`),
  alreadyCaptured: (depositId: string) =>
    new DomainError(
      'PAYMENTS.DEPOSIT_CAPTURED',
      'conflict',
      `Deposit ${depositId} was applied to the price and cannot be released`,
    ),
  notOffline: (depositId: string) =>
    new DomainError(
      'PAYMENTS.NOT_OFFLINE',
      'unprocessable',
      `Deposit ${depositId} is paid by card; only bank transfers are recorded by hand`,
    ),
  receiptByOperatorOnly: () =>
    new DomainError(
      'PAYMENTS.RECEIPT_BY_OPERATOR_ONLY',
      'forbidden',
      "Only the market operator's finance or an admin records that a bank transfer arrived",
    ),
  ownDeposit: (depositId: string) =>
    new DomainError(
      'PAYMENTS.OWN_DEPOSIT',
      'forbidden',
      `Deposit ${depositId} is your own organization's: a party may not confirm its own payment`,
    ),
  closed: (depositId: string, status: string) =>
    new DomainError(
      'PAYMENTS.DEPOSIT_CLOSED',
      'conflict',
      `Deposit ${depositId} is ${status}; a receipt can no longer be recorded`,
    ),
  webhookNotConfigured: () =>
    new DomainError(
      'PAYMENTS.STRIPE_WEBHOOK_NOT_CONFIGURED',
      'unprocessable',
      'This market has no Stripe webhook signing secret configured',
    ),
  badSignature: () =>
    new DomainError(
      'PAYMENTS.BAD_WEBHOOK_SIGNATURE',
      'invalid',
      'The Stripe-Signature header does not match the request body',
    ),
  stripeRefused: (message: string) =>
    new DomainError('PAYMENTS.STRIPE_REFUSED', 'unprocessable', `Stripe refused the request: ${message}`),
  stripeUnavailable: () =>
    new DomainError('PAYMENTS.STRIPE_UNAVAILABLE', 'unavailable', 'Stripe cannot be reached just now; try again'),
};
