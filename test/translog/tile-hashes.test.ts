import { describe, expect, it } from 'vitest';
import { consistencyProof, consistencyProofWith, inclusionPathWith, inclusionProof, rootHash } from '../../scripts/translog/merkle.ts';
import { addTile, subtreeFromTiles, tileHashes, tileOf } from '../../scripts/translog/tile-hashes.ts';
import { logTiles } from '../../scripts/translog/tiles.ts';

/** A tree of `size` leaves, and the tile store answered from only the files the log writer wrote for it. */
function fixture(size: number) {
  const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`{"n":${i}}`));
  const { files, leaves } = logTiles(entries);
  const store = tileHashes(size);
  const loaded = new Set<string>();
  /** Loads what the last question missed, as an edge would; how many rounds a question took. */
  const ask = <T>(question: () => T): { value: T; rounds: number } => {
    for (let rounds = 1; ; rounds++) {
      store.missing.clear();
      const value = question();
      if (store.missing.size === 0) return { value, rounds };
      for (const path of store.missing) {
        const bytes = files.get(path);
        if (bytes === undefined) throw new Error(`asked for ${path}, which the writer did not write`);
        loaded.add(path);
        expect(addTile(store, path, bytes)).toBe(true);
      }
    }
  };
  return { leaves, store, ask, loaded, files };
}

describe('subtree hashes from tiles', () => {
  it.each([1, 2, 255, 256, 257, 600, 65_537])('give the root, inclusion and consistency proofs of a tree of %i leaves', (size) => {
    const { leaves, store, ask } = fixture(size);
    const sub = (lo: number, hi: number) => subtreeFromTiles(store, lo, hi);
    expect(ask(() => sub(0, size)).value).toEqual(rootHash(leaves));
    for (const index of [0, size - 1, Math.floor(size / 3)]) {
      const fromTiles = ask(() => inclusionPathWith(sub, index, size));
      expect(fromTiles.value).toEqual((inclusionProof(leaves, index) as { value: Uint8Array[] }).value);
    }
    for (const first of [1, Math.floor(size / 2), size - 1].filter((f) => f > 0 && f < size)) {
      expect(ask(() => consistencyProofWith(sub, first, size)).value).toEqual((consistencyProof(leaves, first) as { value: Uint8Array[] }).value);
    }
  });

  it('read a few tiles for one leaf of a large tree, not the whole log', () => {
    const { store, ask, loaded, files } = fixture(70_001);
    const proof = ask(() => inclusionPathWith((lo, hi) => subtreeFromTiles(store, lo, hi), 40_000, 70_001));
    const all = [...files.keys()].filter((p) => !p.startsWith('tile/entries/'));
    expect(all.length).toBe(277); // 274 tiles of level 0, 2 of level 1, 1 of level 2
    expect(loaded.size).toBeLessThanOrEqual(6);
    expect(proof.rounds).toBeLessThanOrEqual(4);
  });

  it('name the partial tile at the right edge and refuse a tile of the wrong length', () => {
    expect(tileOf(600, 0, 599)).toEqual({ path: 'tile/0/002.p/88', width: 88, offset: 87 });
    expect(tileOf(600, 1, 1)).toEqual({ path: 'tile/1/000.p/2', width: 2, offset: 1 });
    const store = tileHashes(600);
    expect(addTile(store, 'tile/0/002.p/88', new Uint8Array(87 * 32))).toBe(false);
  });
});
