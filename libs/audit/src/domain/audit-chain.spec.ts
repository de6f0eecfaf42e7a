import { AuditRecord, ChainVerifier, hashOf, nextLink } from './audit-chain';

function chain(name: string, n: number): (AuditRecord & { hash: string })[] {
  const out: (AuditRecord & { hash: string })[] = [];
  let prevHash: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const record: AuditRecord = {
      chain: name,
      seq,
      at: `2026-03-0${seq}T00:00:00.000Z`,
      actorId: null,
      action: `step${seq}`,
      reason: null,
      detail: { seq },
      prevHash,
    };
    const hash = hashOf(record);
    out.push({ ...record, hash });
    prevHash = hash;
  }
  return out;
}

const firstBroken = (entries: (AuditRecord & { hash: string })[]) => {
  const verifier = new ChainVerifier();
  for (const entry of entries) {
    const broken = verifier.check(entry);
    if (broken) return broken;
  }
  return null;
};

describe('audit hash chains', () => {
  it('accepts intact chains', () => {
    expect(firstBroken([...chain('a', 3), ...chain('b', 2)])).toBeNull();
  });

  it('finds a changed row, a deleted row and a row inserted out of order', () => {
    const changed = chain('a', 3);
    changed[1] = { ...changed[1], reason: 'rewritten' };
    expect(firstBroken(changed)).toEqual({ chain: 'a', seq: 2, problem: 'hash_mismatch' });

    const deleted = chain('a', 3).filter((e) => e.seq !== 2);
    expect(firstBroken(deleted)).toEqual({ chain: 'a', seq: 3, problem: 'sequence_gap' });

    const swapped = chain('a', 3);
    const [two, three] = [swapped[1], swapped[2]];
    swapped[1] = { ...three, seq: 2 };
    swapped[2] = { ...two, seq: 3 };
    expect(firstBroken(swapped)).toEqual({ chain: 'a', seq: 2, problem: 'previous_hash_mismatch' });
  });

  it('builds the next link one way for a single append and a batch: numbered, linked and hashed over its fields', () => {
    const first = nextLink('c', undefined, '2026-03-01T00:00:00.000Z', { actorId: null, action: 'opened' });
    expect(first).toMatchObject({ seq: 1, prevHash: null, reason: null, detail: {} });
    const second = nextLink('c', first, '2026-03-02T00:00:00.000Z', {
      actorId: null,
      action: 'changed',
      reason: 'why',
      detail: { k: 1 },
    });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, reason: 'why' });
    const { hash, ...record } = second;
    expect(hash).toBe(hashOf(record));
    expect(firstBroken([first, second])).toBeNull();
  });
});
