import { proxyEntries, validateEnv } from './env.schema';

const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/market',
  REDIS_URL: 'redis://localhost:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('environment validation', () => {
  it('fills defaults and converts numbers', () => {
    const env = validateEnv({ ...valid, PORT: '8080' });
    expect(env.PORT).toBe(8080);
    expect(env.QUEUE_PREFIX).toBe('market');
  });

  it('names a missing variable', () => {
    expect(() => validateEnv({ ...valid, DATABASE_URL: undefined })).toThrow(/DATABASE_URL.*required/);
  });

  it('names every malformed variable at once', () => {
    expect(() => validateEnv({ ...valid, PORT: 'eighty', REDIS_URL: 'http://nope', JWT_SECRET: 'short' })).toThrow(
      /PORT.*REDIS_URL.*JWT_SECRET|PORT.*JWT_SECRET.*REDIS_URL/,
    );
  });

  it('needs the webhook signing secret once a Stripe key is set', () => {
    expect(validateEnv(valid).STRIPE_SECRET_KEY).toBeUndefined();
    expect(() => validateEnv({ ...valid, STRIPE_SECRET_KEY: 'sk_test_123' })).toThrow(
      /STRIPE_WEBHOOK_SECRET.*required/,
    );
    expect(
      validateEnv({ ...valid, STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).STRIPE_SECRET_KEY,
    ).toBe('sk_test_123');
    expect(() => validateEnv({ ...valid, STRIPE_API_URL: 'ftp://x' })).toThrow(/STRIPE_API_URL/);
  });

  it('trusts no proxy unless told which, and names a malformed one', () => {
    expect(proxyEntries(validateEnv(valid).TRUST_PROXY)).toEqual([]);
    expect(proxyEntries(validateEnv({ ...valid, TRUST_PROXY: '' }).TRUST_PROXY)).toEqual([]);
    expect(
      proxyEntries(validateEnv({ ...valid, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback,::1,fd00::/8' }).TRUST_PROXY),
    ).toEqual(['10.0.0.0/8', '127.0.0.1', 'loopback', '::1', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', '10.0.0', 'example.com']) {
      expect(() => validateEnv({ ...valid, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });
});
