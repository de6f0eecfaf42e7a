import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Clock } from '@market/clock';
import { AuditEntry } from './audit-entry.entity';
import { BrokenLink, ChainEvent, ChainVerifier, nextLink } from './domain/audit-chain';

export type AuditEvent = ChainEvent;

export interface AuditVerification {
  checkedEntries: number;
  chains: number;
  firstBroken: BrokenLink | null;
}

const PAGE = 5_000;

/**
 * Appends to a subject's audit chain inside the caller's transaction (the change and its entry
 * commit together), and verifies every chain.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly clock: Clock,
  ) {}

  async append(chain: string, event: AuditEvent): Promise<AuditEntry> {
    const tx = this.txHost.tx;
    // The chain's last entry, locked: a concurrent append to the same chain waits for this one.
    // (The first entry of a chain has none to lock; two at once collide on the key and one fails.)
    const [last] = (await tx.query(
      `SELECT seq, hash FROM audit_entry WHERE chain = $1 ORDER BY seq DESC LIMIT 1 FOR UPDATE`,
      [chain],
    )) as { seq: number; hash: string }[];
    const record = nextLink(chain, last, this.clock.now().toISOString(), event);
    const entry = tx.getRepository(AuditEntry).create({ ...record, at: new Date(record.at) });
    await tx.query(
      `INSERT INTO audit_entry (chain, seq, at, actor_id, action, reason, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        chain,
        record.seq,
        entry.at,
        record.actorId,
        record.action,
        record.reason,
        record.detail,
        record.prevHash,
        entry.hash,
      ],
    );
    return entry;
  }

  /**
   * Appends events to several existing chains at once (a batch of applications): one query locks
   * every chain's last entry, one inserts every entry. Events of the same chain are linked in the
   * order given.
   */
  async appendMany(events: (AuditEvent & { chain: string })[]): Promise<void> {
    if (events.length === 0) return;
    const chains = [...new Set(events.map((e) => e.chain))].sort();
    const tx = this.txHost.tx;
    // In chain order, so two batches touching the same chains lock them in the same order.
    const lasts = (await tx.query(
      `SELECT c.chain, l.seq, l.hash FROM unnest($1::text[]) WITH ORDINALITY AS c (chain, n)
         CROSS JOIN LATERAL (SELECT seq, hash FROM audit_entry a WHERE a.chain = c.chain
                              ORDER BY seq DESC LIMIT 1 FOR UPDATE) l
        ORDER BY c.n`,
      [chains],
    )) as { chain: string; seq: number; hash: string }[];
    const lastOf = new Map<string, { seq: number; hash: string }>(lasts.map((l) => [l.chain, l]));
    const { sql, params } = this.linksStatement(events, lastOf, 1);
    await tx.query(sql, params);
  }

  /**
   * Opens several new chains, one first entry each, as a part of the caller's own statement (a
   * data-modifying `WITH` item), which saves a hot path a round trip: for subjects whose id the
   * caller made, so there is no last entry to read or lock. A chain that already had entries
   * collides on its (chain, seq) key and the statement fails rather than forking it. Parameters are
   * numbered from `$first`; the rows come from `unnest(…) AS link (chain, …)`, so the caller may
   * append `WHERE link.chain …` to keep the chains of the subjects its statement actually wrote.
   */
  startManyStatement(events: (AuditEvent & { chain: string })[], first: number): { sql: string; params: unknown[] } {
    return this.linksStatement(events, new Map(), first);
  }

  /**
   * The insert of the next entries of their chains after `lastOf` (no entry: a new chain), each
   * event linked to the one before it on its chain; parameters numbered from `$first`.
   */
  private linksStatement(
    events: (AuditEvent & { chain: string })[],
    lastOf: Map<string, { seq: number; hash: string }>,
    first: number,
  ): { sql: string; params: unknown[] } {
    const at = this.clock.now().toISOString();
    const rows = events.map((event) => {
      const link = nextLink(event.chain, lastOf.get(event.chain), at, event);
      lastOf.set(event.chain, link);
      return link;
    });
    const $ = (n: number) => `$${first + n}`;
    return {
      sql: `INSERT INTO audit_entry (chain, seq, at, actor_id, action, reason, detail, prev_hash, hash)
            SELECT * FROM unnest(${$(0)}::text[], ${$(1)}::int[], ${$(2)}::timestamptz[], ${$(3)}::uuid[],
                                 ${$(4)}::text[], ${$(5)}::text[], ${$(6)}::jsonb[], ${$(7)}::text[], ${$(8)}::text[])
              AS link (chain, seq, at, actor_id, action, reason, detail, prev_hash, hash)`,
      params: [
        rows.map((r) => r.chain),
        rows.map((r) => r.seq),
        rows.map((r) => r.at),
        rows.map((r) => r.actorId),
        rows.map((r) => r.action),
        rows.map((r) => r.reason),
        rows.map((r) => JSON.stringify(r.detail)),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
      ],
    };
  }

  async entries(chain: string): Promise<AuditEntry[]> {
    return this.txHost.tx.getRepository(AuditEntry).find({ where: { chain }, order: { seq: 'ASC' } });
  }

  /** Every chain, page by page in (chain, seq) order; stops at the first broken link. */
  async verify(): Promise<AuditVerification> {
    return verifyAuditChains((sql, params) => this.txHost.tx.query(sql, params));
  }
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

interface Row {
  chain: string;
  seq: number;
  at: Date;
  actor_id: string | null;
  action: string;
  reason: string | null;
  detail: Record<string, unknown>;
  prev_hash: string | null;
  hash: string;
}

/** The verification itself, over any connection (the api's, or `npm run audit:verify`'s own). */
export async function verifyAuditChains(query: Query): Promise<AuditVerification> {
  const verifier = new ChainVerifier();
  let after: [string, number] = ['', 0];
  for (;;) {
    const rows = (await query(
      `SELECT chain, seq, at, actor_id, action, reason, detail, prev_hash, hash FROM audit_entry
        WHERE (chain, seq) > ($1, $2) ORDER BY chain, seq LIMIT ${PAGE}`,
      after,
    )) as Row[];
    for (const row of rows) {
      const broken = verifier.check({
        chain: row.chain,
        seq: row.seq,
        at: new Date(row.at).toISOString(),
        actorId: row.actor_id,
        action: row.action,
        reason: row.reason,
        detail: row.detail,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
      if (broken) return { checkedEntries: verifier.checked, chains: verifier.chains, firstBroken: broken };
    }
    if (rows.length < PAGE) return { checkedEntries: verifier.checked, chains: verifier.chains, firstBroken: null };
    const last = rows[rows.length - 1];
    after = [last.chain, last.seq];
  }
}
