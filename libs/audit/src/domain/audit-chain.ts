import { createHash } from 'node:crypto';

/**
 * A tamper-evident log: entries form one hash chain per subject (`contract:<id>`,
 * `organization:<id>`, `listing:<id>`), so writers of different subjects never queue on one row.
 * Each entry's hash covers its own fields and the hash before it; changing, deleting or inserting
 * a row out of order breaks the chain at that point.
 */
export interface AuditRecord {
  chain: string;
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  reason: string | null;
  detail: Record<string, unknown>;
  prevHash: string | null;
}

export type BrokenLink = {
  chain: string;
  seq: number;
  problem: 'hash_mismatch' | 'previous_hash_mismatch' | 'sequence_gap';
};

/** Canonical JSON: keys sorted at every depth, so the same record always hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function hashOf(record: AuditRecord): string {
  return createHash('sha256').update(canonical(record), 'utf8').digest('hex');
}

/** What an entry to append says; the chain fills in the rest. */
export interface ChainEvent {
  actorId: string | null;
  action: string;
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * The next link of a chain after `last` (none: the chain's first entry), with its hash: the one
 * place a record is built for hashing, whether entries are appended one at a time or in a batch.
 */
export function nextLink(
  chain: string,
  last: { seq: number; hash: string } | undefined,
  at: string,
  event: ChainEvent,
): AuditRecord & { hash: string } {
  const record: AuditRecord = {
    chain,
    seq: (last?.seq ?? 0) + 1,
    at,
    actorId: event.actorId,
    action: event.action,
    reason: event.reason ?? null,
    detail: event.detail ?? {},
    prevHash: last?.hash ?? null,
  };
  return { ...record, hash: hashOf(record) };
}

/**
 * Walks entries in (chain, seq) order and returns the first broken link, or null. Feed it page by
 * page: `state` carries the last entry seen across calls.
 */
export class ChainVerifier {
  private chain: string | null = null;
  private seq = 0;
  private hash: string | null = null;
  checked = 0;
  chains = 0;

  check(entry: AuditRecord & { hash: string }): BrokenLink | null {
    this.checked++;
    if (entry.chain !== this.chain) {
      this.chain = entry.chain;
      this.seq = 0;
      this.hash = null;
      this.chains++;
    }
    const { hash, ...record } = entry;
    if (entry.seq !== this.seq + 1) return { chain: entry.chain, seq: entry.seq, problem: 'sequence_gap' };
    if (entry.prevHash !== this.hash) return { chain: entry.chain, seq: entry.seq, problem: 'previous_hash_mismatch' };
    if (hashOf(record) !== hash) return { chain: entry.chain, seq: entry.seq, problem: 'hash_mismatch' };
    this.seq = entry.seq;
    this.hash = hash;
    return null;
  }
}
