import { Role } from '../domain/role';
import { VerifiedTokens } from './verified-tokens';

const actor = { userId: 'u1', organizationId: 'o1', roles: [Role.Buyer] };

function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

describe('VerifiedTokens', () => {
  let nowMs = 1_800_000_000_000;
  const clock = () => nowMs;

  it('recalls a remembered token until its expiry, then forgets it', () => {
    const tokens = new VerifiedTokens(10, clock);
    const t = token({ sub: 'u1', exp: nowMs / 1000 + 60 });
    tokens.remember(t, actor);
    expect(tokens.recall(t)).toEqual(actor);
    nowMs += 60_000;
    expect(tokens.recall(t)).toBeUndefined();
  });

  it('recalls nothing for another text, a token without expiry or one already expired', () => {
    const tokens = new VerifiedTokens(10, clock);
    const t = token({ sub: 'u1', exp: nowMs / 1000 + 60 });
    tokens.remember(t, actor);
    expect(tokens.recall(`${t}x`)).toBeUndefined();
    const noExpiry = token({ sub: 'u1' });
    tokens.remember(noExpiry, actor);
    expect(tokens.recall(noExpiry)).toBeUndefined();
    const expired = token({ sub: 'u1', exp: nowMs / 1000 - 1 });
    tokens.remember(expired, actor);
    expect(tokens.recall(expired)).toBeUndefined();
  });

  it('drops the least recently used entry at capacity', () => {
    const tokens = new VerifiedTokens(2, clock);
    const [a, b, c] = [1, 2, 3].map((n) => token({ sub: `u${n}`, exp: nowMs / 1000 + 60 }));
    tokens.remember(a, actor);
    tokens.remember(b, actor);
    expect(tokens.recall(a)).toEqual(actor); // a is in use, b is not
    tokens.remember(c, actor);
    expect([tokens.recall(a), tokens.recall(b), tokens.recall(c)]).toEqual([actor, undefined, actor]);
  });
});
