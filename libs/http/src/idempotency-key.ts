import { DomainError } from './domain-error';

/** The one rule for an Idempotency-Key, wherever it is read: 1 to 255 printable ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && IDEMPOTENCY_KEY_PATTERN.test(value);
}

export const IdempotencyErrors = {
  badKey: () =>
    new DomainError('IDEMPOTENCY.BAD_KEY', 'invalid', 'Idempotency-Key must be 1 to 255 printable ASCII characters'),
  keyReused: () =>
    new DomainError(
      'IDEMPOTENCY.KEY_REUSED',
      'unprocessable',
      'This Idempotency-Key was already used with a different request',
    ),
};
