/**
 * The log as static files, per C2SP tlog-tiles: hash tiles `tile/<L>/<N>[.p/<W>]` (tile height 8,
 * so a full tile holds 256 hashes; level L holds the hashes of complete subtrees of 256^L leaves),
 * entry bundles `tile/entries/<N>[.p/<W>]` (each entry a big-endian uint16 length and its bytes),
 * and `checkpoint`. Only the right edge is partial; full tiles never change once written. Pure:
 * it returns the files and their bytes; emit writes them.
 */
import type { Hash } from './merkle.ts';
import { emptyRoot, leafHash, nodeHash } from './merkle.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** `N` as tlog-tiles spells it: 3-digit groups, every group but the last prefixed with `x`. */
export function tileIndexPath(n: number): string {
  const digits = String(n);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/\d{3}/g) ?? ['000'];
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

export function tilePath(level: number | 'entries', n: number, width: number): string {
  return `tile/${level}/${tileIndexPath(n)}${width === TILE_WIDTH ? '' : `.p/${width}`}`;
}

/** Each entry as a big-endian uint16 length and its bytes; an entry over 65535 bytes cannot be logged. */
export function entryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > 0xffff) throw new RangeError(`a log entry of ${e.length} bytes is over the 65535 an entry bundle holds`);
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

export function parseEntryBundle(bundle: Uint8Array): Uint8Array[] | undefined {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) return undefined;
    const n = ((bundle[at] as number) << 8) | (bundle[at + 1] as number);
    if (at + 2 + n > bundle.length) return undefined;
    entries.push(bundle.slice(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return entries;
}

/**
 * RFC 9162's MTH of `size` leaves from complete subtree hashes: the largest power-of-two subtrees from
 * the left (one per bit of size), folded from the right, as MTH's split at the largest power of two does.
 */
function rootOfHeights(heights: readonly Hash[][], size: number): Hash {
  if (size === 0) return emptyRoot();
  const parts: Hash[] = [];
  let offset = 0;
  for (let h = heights.length - 1; h >= 0; h--) {
    const width = 2 ** h;
    if (offset + width <= size) {
      parts.push((heights[h] as Hash[])[offset / width] as Hash);
      offset += width;
    }
  }
  let root = parts.pop() as Hash;
  while (parts.length > 0) root = nodeHash(parts.pop() as Hash, root);
  return root;
}

function concat(hashes: readonly Hash[]): Uint8Array {
  const out = new Uint8Array(hashes.length * 32);
  for (let i = 0; i < hashes.length; i++) out.set(hashes[i] as Hash, i * 32);
  return out;
}

/**
 * Every tile file of a log of these entries (the checkpoint is signed apart), the leaf hashes and the
 * tree's root, taken from the complete subtrees the tiles hash anyway (no second pass over the tree).
 */
export function logTiles(entries: readonly Uint8Array[]): { files: Map<string, Uint8Array>; leaves: Hash[]; root: Hash } {
  const files = new Map<string, Uint8Array>();
  const leaves = entries.map(leafHash);
  for (let start = 0; start < entries.length; start += TILE_WIDTH) {
    const chunk = entries.slice(start, start + TILE_WIDTH);
    files.set(tilePath('entries', start / TILE_WIDTH, chunk.length), entryBundle(chunk));
  }
  // level: the complete subtree hashes at height TILE_HEIGHT * L.
  let level: Hash[] = leaves;
  // heights[h]: the complete subtree hashes of height h, left to right.
  const heights: Hash[][] = [leaves];
  for (let l = 0; level.length > 0; l++) {
    for (let start = 0; start < level.length; start += TILE_WIDTH) {
      const chunk = level.slice(start, start + TILE_WIDTH);
      files.set(tilePath(l, start / TILE_WIDTH, chunk.length), concat(chunk));
    }
    for (let h = 0; h < TILE_HEIGHT; h++) {
      const up: Hash[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i] as Hash, level[i + 1] as Hash));
      level = up;
      if (up.length > 0) heights.push(up);
    }
  }
  return { files, leaves, root: rootOfHeights(heights, leaves.length) };
}
