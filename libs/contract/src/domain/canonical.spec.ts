import { canonicalJson, contentHash, sha256Hex } from './canonical';

describe('canonical JSON and the signed hash', () => {
  it('sorts keys at every depth and drops undefined members, so key order never changes the hash', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, u: undefined };
    const b = { a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('hashes with SHA-256 over the contract id, version and content', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const h = contentHash('c1', 1, { projectName: '甲' });
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash('c1', 2, { projectName: '甲' })).not.toBe(h);
    expect(contentHash('c1', 1, { projectName: '乙' })).not.toBe(h);
  });
});
