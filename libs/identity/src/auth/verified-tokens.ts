import { LRUCache } from 'lru-cache';
import type { Actor } from './actor';

/**
 * Bearer tokens that passed verification, with the actor each proves, until they expire.
 *
 * A client sends the same token on every request of a session, and verifying it (two base64
 * decodes, two JSON parses and an HMAC) is a large share of a small request such as a bid. Only a
 * token passport-jwt accepted is remembered, under its exact text — another text, a tampered one
 * included, is verified afresh — and only until its `exp`, read on jsonwebtoken's clock (the
 * system's). At capacity the least recently used token makes room.
 */
export class VerifiedTokens {
  private readonly entries: LRUCache<string, Actor>;

  constructor(
    capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    // ttlResolution 0: every read asks the clock, so an expiry is exact to the millisecond.
    this.entries = new LRUCache<string, Actor>({ max: capacity, ttlResolution: 0, perf: { now } });
  }

  recall(token: string): Actor | undefined {
    return this.entries.get(token);
  }

  /** Call only with a token that was just verified; one without an expiry is not remembered. */
  remember(token: string, actor: Actor): void {
    const expiresAtMs = expiryOf(token);
    if (expiresAtMs === undefined) return;
    // lru-cache keeps an entry while its age is at most ttl; the token is dead at expiresAtMs itself.
    const ttl = expiresAtMs - this.now() - 1;
    if (ttl <= 0) return; // (a ttl of 0 would mean "forever")
    this.entries.set(token, actor, { ttl });
  }
}

function expiryOf(token: string): number | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
