import type { Actor } from './actor';

/**
 * Bearer tokens that passed verification, with the actor each proves, until they expire.
 *
 * A client sends the same token on every request of a session, and verifying it (two base64
 * decodes, two JSON parses and an HMAC) is a large share of a small request such as a bid. Only a
 * token passport-jwt accepted is remembered, under its exact text — another text, a tampered one
 * included, is verified afresh — and only until its `exp`, read on jsonwebtoken's clock (the
 * system's). The oldest entry makes room when the capacity is reached.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  recall(token: string): Actor | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.actor;
  }

  /** Call only with a token that was just verified; one without an expiry is not remembered. */
  remember(token: string, actor: Actor): void {
    const expiresAtMs = expiryOf(token);
    if (expiresAtMs === undefined || expiresAtMs <= this.now()) return;
    if (this.entries.size >= this.capacity && !this.entries.has(token)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, { actor, expiresAtMs });
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
