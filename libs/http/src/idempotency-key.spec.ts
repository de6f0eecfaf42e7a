import { isIdempotencyKey } from './idempotency-key';

describe('the Idempotency-Key rule', () => {
  it('takes 1 to 255 printable ASCII characters and nothing else', () => {
    for (const good of ['a', 'order-42/retry_1', '~!@#$%^&*()', 'x'.repeat(255)])
      expect(isIdempotencyKey(good)).toBe(true);
    for (const bad of [
      '',
      'x'.repeat(256),
      'with space',
      'tab\t',
      'ключ',
      '键',
      'nul\u0000',
      '\ud800',
      42,
      undefined,
      ['a'],
    ]) {
      expect(isIdempotencyKey(bad)).toBe(false);
    }
  });
});
