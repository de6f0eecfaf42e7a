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
   * Appends one event to each of several existing chains at once (a batch of applications): one
   * query locks every chain's last entry, one inserts every entry. One event per chain.
   */
  async appendMany(events: (AuditEvent & { chain: string })[]): Promise<void> {
    if (events.length === 0) return;
    const chains = events.map((e) => e.chain);
    if (new Set(chains).size !== chains.length) throw new Error('appendMany takes one event per chain');
    const tx = this.txHost.tx;
    // In chain order, so two batches touching the same chains lock them in the same order.
    const lasts = (await tx.query(
      `SELECT c.chain, l.seq, l.hash FROM unnest($1::text[]) WITH ORDINALITY AS c (chain, n)
         CROSS JOIN LATERAL (SELECT seq, hash FROM audit_entry a WHERE a.chain = c.chain
                              ORDER BY seq DESC LIMIT 1 FOR UPDATE) l
        ORDER BY c.n`,
      [[...chains].sort()],
    )) as { chain: string; seq: number; hash: string }[];
    const lastOf = new Map(lasts.map((l) => [l.chain, l]));
    await this.insertLinks(events.map((event) => ({ event, last: lastOf.get(event.chain) })));
  }

  /**
   * Opens several new chains at once, one first entry each, with one statement: for subjects whose
   * id was made in this transaction (a batch of new contracts), so there is no last entry to read
   * or lock. A chain that already had entries collides on its (chain, seq) key and the transaction
   * fails rather than forking it.
   */
  async startMany(events: (AuditEvent & { chain: string })[]): Promise<void> {
    await this.insertLinks(events.map((event) => ({ event, last: undefined })));
  }

  private async insertLinks(
    links: { event: AuditEvent & { chain: string }; last: { seq: number; hash: string } | undefined }[],
  ): Promise<void> {
    if (links.length === 0) return;
    const at = this.clock.now().toISOString();
    const rows = links.map(({ event, last }) => nextLink(event.chain, last, at, event));
    await this.txHost.tx.query(
      `INSERT INTO audit_entry (chain, seq, at, actor_id, action, reason, detail, prev_hash, hash)
       SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[],
                            $7::jsonb[], $8::text[], $9::text[])`,
      [
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
    );
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
