/**
 * An append-only Merkle tree as RFC 6962 / RFC 9162 define it: leaf hash SHA-256(0x00 ‖ entry),
 * node hash SHA-256(0x01 ‖ left ‖ right), the empty tree's root SHA-256(""). Proofs are built
 * from the leaf hashes and checked by the verifiers of RFC 9162 §2.1.3.2 and §2.1.4.2, which use
 * nothing but the proof, the sizes and the roots. Pure: no files, no clock, no network.
 */
import { createHash } from 'node:crypto';
import type { Result } from '../core/result.ts';
import { err, ok } from '../core/result.ts';

export type Hash = Uint8Array;

function sha256(...parts: Uint8Array[]): Hash {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

export function leafHash(entry: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, entry);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

export function emptyRoot(): Hash {
  return sha256();
}

export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes. */
function subtreeRoot(leaves: readonly Hash[], lo: number, hi: number): Hash {
  const n = hi - lo;
  if (n === 0) return emptyRoot();
  if (n === 1) return leaves[lo] as Hash;
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

/** The root of the first `size` leaves (all of them by default). */
export function rootHash(leaves: readonly Hash[], size: number = leaves.length): Hash {
  if (!Number.isSafeInteger(size) || size < 0 || size > leaves.length) {
    throw new RangeError(`tree size ${size} is outside 0..${leaves.length}`);
  }
  return subtreeRoot(leaves, 0, size);
}

/**
 * MTH of the leaves [lo, hi), from wherever the hashes come: the leaves in memory, or a log's
 * tiles (tile-hashes.ts). A source that lacks a hash answers undefined, and so do the proofs.
 */
export type SubtreeHash<H> = (lo: number, hi: number) => H;

function path<H>(subtree: SubtreeHash<H>, m: number, lo: number, hi: number): H[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = split(n);
  if (m < k) return [...path(subtree, m, lo, lo + k), subtree(lo + k, hi)];
  return [...path(subtree, m - k, lo + k, hi), subtree(lo, lo + k)];
}

/** PATH(index, D[0:size]) over a subtree source; the caller checks index < size. */
export function inclusionPathWith<H>(subtree: SubtreeHash<H>, index: number, size: number): H[] {
  return path(subtree, index, 0, size);
}

/** PATH(index, D[0:size]) of RFC 9162 §2.1.3.1. */
export function inclusionProof(leaves: readonly Hash[], index: number, size: number = leaves.length): Result<Hash[]> {
  if (!Number.isSafeInteger(size) || size < 1 || size > leaves.length) {
    return err(`tree size ${size} is outside 1..${leaves.length}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    return err(`leaf index ${index} is outside 0..${size - 1}`);
  }
  return ok(path((lo, hi) => subtreeRoot(leaves, lo, hi), index, 0, size));
}

function subproof<H>(subtree: SubtreeHash<H>, m: number, lo: number, hi: number, whole: boolean): H[] {
  const n = hi - lo;
  if (m === n) return whole ? [] : [subtree(lo, hi)];
  const k = split(n);
  if (m <= k) return [...subproof(subtree, m, lo, lo + k, whole), subtree(lo + k, hi)];
  return [...subproof(subtree, m - k, lo + k, hi, false), subtree(lo, lo + k)];
}

/** PROOF(first, D[0:second]) over a subtree source; the caller checks 0 < first < second. */
export function consistencyProofWith<H>(subtree: SubtreeHash<H>, first: number, second: number): H[] {
  return subproof(subtree, first, 0, second, true);
}

/** PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1: the tree of `second` leaves extends the one of `first`. */
export function consistencyProof(leaves: readonly Hash[], first: number, second: number = leaves.length): Result<Hash[]> {
  if (!Number.isSafeInteger(second) || second < 0 || second > leaves.length) {
    return err(`tree size ${second} is outside 0..${leaves.length}`);
  }
  if (!Number.isSafeInteger(first) || first < 0 || first > second) {
    return err(`old tree size ${first} is outside 0..${second}`);
  }
  if (first === 0 || first === second) return ok([]);
  return ok(subproof((lo, hi) => subtreeRoot(leaves, lo, hi), first, 0, second, true));
}

/** RFC 9162 §2.1.3.2: does `proof` show the leaf at `index` is in the tree of `size` leaves with `root`? */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): Result<true> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return err(`leaf index ${index} is not below tree size ${size}`);
  }
  // BigInt keeps the shifts exact past 2^31 leaves.
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return err('the inclusion proof is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return err('the inclusion proof is shorter than the tree is deep');
  if (!equalHashes(r, root)) return err('the inclusion proof leads to another root');
  return ok(true);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (second, secondRoot) extends (first, firstRoot)? */
export function verifyConsistency(first: number, second: number, proof: readonly Hash[], firstRoot: Hash, secondRoot: Hash): Result<true> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    return err(`old tree size ${first} is larger than new tree size ${second}`);
  }
  if (first === second) {
    if (proof.length !== 0) return err('a proof between equal sizes must be empty');
    return equalHashes(firstRoot, secondRoot) ? ok(true) : err(`two different roots for tree size ${first}: the log forked`);
  }
  if (first === 0) {
    if (proof.length !== 0) return err('a proof from the empty tree must be empty');
    return equalHashes(firstRoot, emptyRoot()) ? ok(true) : err('the old root of size 0 is not the empty tree root');
  }
  if (proof.length === 0) return err('the consistency proof is empty');
  const path: Hash[] = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0n) return err('the consistency proof is longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return err('the consistency proof is shorter than the tree is deep');
  if (!equalHashes(fr, firstRoot)) return err(`the new tree does not contain the old tree of size ${first}: history was rewritten`);
  if (!equalHashes(sr, secondRoot)) return err(`the consistency proof does not lead to the new root of size ${second}`);
  return ok(true);
}
