/**
 * Subtree hashes of a log of `size` leaves from its hash tiles alone (pure), so a client checks
 * a few leaves without reading the whole log: a complete, aligned subtree of 256^L leaves is one
 * stored hash of a level-L tile, anything smaller is hashed up from the level below. A hash whose
 * tile is not loaded yet answers undefined and its tile's path is added to `missing`; the edge
 * fetches those and asks again (mirror-check.ts). Results are memoised, so the proofs of many
 * leaves share their work. Nothing here trusts a tile: the proofs built from them are checked
 * against a signed root.
 */
import type { Hash } from './merkle.ts';
import { emptyRoot, nodeHash, split } from './merkle.ts';
import { TILE_HEIGHT, TILE_WIDTH, tilePath } from './tiles.ts';

export interface TileHashes {
  size: number;
  /** Loaded hash tiles by path (`tile/0/000.p/10`), each `width × 32` bytes. */
  tiles: Map<string, Uint8Array>;
  /** Paths of tiles a question needed and that are not loaded. */
  missing: Set<string>;
  memo: Map<string, Hash>;
}

export function tileHashes(size: number): TileHashes {
  return { size, tiles: new Map(), missing: new Set(), memo: new Map() };
}

/** How many leaves one stored hash of level L covers. */
function span(level: number): number {
  return TILE_WIDTH ** level;
}

/** The path and width of the level-L tile that holds stored hash `index`, in a tree of `size` leaves. */
export function tileOf(size: number, level: number, index: number): { path: string; width: number; offset: number } {
  const stored = Math.floor(size / span(level));
  const n = Math.floor(index / TILE_WIDTH);
  const width = Math.min(TILE_WIDTH, stored - n * TILE_WIDTH);
  return { path: tilePath(level, n, width), width, offset: index - n * TILE_WIDTH };
}

function stored(t: TileHashes, level: number, index: number): Hash | undefined {
  const { path, offset } = tileOf(t.size, level, index);
  const tile = t.tiles.get(path);
  if (tile === undefined) {
    t.missing.add(path);
    return undefined;
  }
  return tile.subarray(offset * 32, offset * 32 + 32);
}

/** MTH(D[lo:hi]); undefined (with `missing` filled) when a tile it needs is not loaded. */
export function subtreeFromTiles(t: TileHashes, lo: number, hi: number): Hash | undefined {
  const n = hi - lo;
  if (n === 0) return emptyRoot();
  if (n === 1) return stored(t, 0, lo);
  const key = `${lo}:${hi}`;
  const known = t.memo.get(key);
  if (known !== undefined) return known;
  let result: Hash | undefined;
  // A whole stored hash: n is 256^L and the subtree starts on its boundary.
  const level = Math.round(Math.log2(n) / TILE_HEIGHT);
  if (level >= 1 && span(level) === n && lo % n === 0) result = stored(t, level, lo / n);
  else {
    const k = split(n);
    // Both halves, so one pass collects every missing tile.
    const left = subtreeFromTiles(t, lo, lo + k);
    const right = subtreeFromTiles(t, lo + k, hi);
    result = left === undefined || right === undefined ? undefined : nodeHash(left, right);
  }
  if (result !== undefined) t.memo.set(key, result);
  return result;
}

/** Adds a fetched tile; false when its length is not its width's 32-byte hashes. */
export function addTile(t: TileHashes, path: string, bytes: Uint8Array): boolean {
  const width = Number(/\.p\/(\d+)$/.exec(path)?.[1] ?? TILE_WIDTH);
  if (bytes.length !== width * 32) return false;
  t.tiles.set(path, bytes);
  t.missing.delete(path);
  return true;
}
