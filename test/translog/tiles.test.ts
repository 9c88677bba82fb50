import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootHash } from '../../scripts/translog/merkle.ts';
import { entryBundle, logTiles, parseEntryBundle, tileIndexPath, tilePath } from '../../scripts/translog/tiles.ts';

// An RFC 6962 tree hash written here from the RFC, sharing nothing with the log writer.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
const hashesOf = (tile: Uint8Array) => Array.from({ length: tile.length / 32 }, (_, i) => tile.slice(i * 32, i * 32 + 32));

describe('tlog tiles', () => {
  it('spell tile indexes in 3-digit groups as the spec does', () => {
    expect(tileIndexPath(0)).toBe('000');
    expect(tileIndexPath(5)).toBe('005');
    expect(tileIndexPath(1000)).toBe('x001/000');
    expect(tileIndexPath(1234067)).toBe('x001/x234/067');
    expect(tilePath(0, 2, 88)).toBe('tile/0/002.p/88');
    expect(tilePath('entries', 1, 256)).toBe('tile/entries/001');
  });

  it('bundle entries with big-endian uint16 lengths, and refuse one too long', () => {
    const b = entryBundle([Uint8Array.of(7), new Uint8Array(300)]);
    expect([...b.slice(0, 5)]).toEqual([0, 1, 7, 1, 44]);
    expect(parseEntryBundle(b)?.map((e) => e.length)).toEqual([1, 300]);
    expect(parseEntryBundle(b.slice(0, -1))).toBeUndefined();
    expect(() => entryBundle([new Uint8Array(65536)])).toThrow(RangeError);
  });

  it('write full tiles and a partial right edge from which an independent verifier rebuilds the root', () => {
    const entries = Array.from({ length: 600 }, (_, i) => new TextEncoder().encode(`{"n":${i}}`));
    const { files, leaves } = logTiles(entries);
    expect([...files.keys()].sort()).toEqual([
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/88',
      'tile/1/000.p/2',
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/88',
    ]);
    // Entries from the bundles, leaf hashes from the entries, and the level-0 tiles agree.
    const fromBundles = ['tile/entries/000', 'tile/entries/001', 'tile/entries/002.p/88'].flatMap((p) => parseEntryBundle(files.get(p)!)!);
    expect(fromBundles.map((e) => new TextDecoder().decode(e))).toEqual(entries.map((e) => new TextDecoder().decode(e)));
    const level0 = ['tile/0/000', 'tile/0/001', 'tile/0/002.p/88'].flatMap((p) => hashesOf(files.get(p)!));
    expect(level0).toEqual(fromBundles.map((e) => sha(Uint8Array.of(0), e)));
    // Level 1 holds the roots of the two complete 256-leaf subtrees.
    expect(hashesOf(files.get('tile/1/000.p/2')!)).toEqual([mth(level0.slice(0, 256)), mth(level0.slice(256, 512))]);
    expect(Buffer.from(mth(level0)).toString('hex')).toBe(Buffer.from(rootHash(leaves)).toString('hex'));
  });

  it('write nothing for an empty log and one full tile for 256 entries', () => {
    expect(logTiles([]).files.size).toBe(0);
    const { files } = logTiles(Array.from({ length: 256 }, (_, i) => Uint8Array.of(i)));
    expect([...files.keys()].sort()).toEqual(['tile/0/000', 'tile/1/000.p/1', 'tile/entries/000']);
  });

  it('gives the root of the RFC 6962 tree for every size, from the subtrees it hashed', () => {
    for (const size of [0, 1, 2, 3, 5, 7, 8, 255, 256, 257, 511, 513, 1000, 65_537]) {
      const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`entry ${i}`));
      const leaves = entries.map((e) => sha(Uint8Array.of(0), e));
      const { root } = logTiles(entries);
      expect(Buffer.from(root).toString('hex'), `size ${size}`).toBe(Buffer.from(size > 5000 ? rootHash(leaves) : mth(leaves)).toString('hex'));
    }
  });
});
