/**
 * Auditing a served log from its static files alone: open the checkpoint (signature checked
 * against the pinned keys), read every entry bundle and level-0 tile, check that each entry hashes
 * to its leaf and that the leaves make the checkpoint's root, and, given a checkpoint seen before,
 * that the new tree extends it (the old root is the root of the new tree's first leaves, shown by
 * a consistency proof checked with the RFC 9162 verifier), and that the server.json served for
 * each entry (`servers/…` below the log, entry.ts servedPath) hashes to the entry's sha256. The
 * fetch is passed in.
 */
import type { Result } from '../core/result.ts';
import type { LogEntry } from './entry.ts';
import { servedPath } from './entry.ts';
import type { Hash } from './merkle.ts';
import { consistencyProof, equalHashes, leafHash, rootHash, verifyConsistency } from './merkle.ts';
import { mapBounded, servedFileProblem } from './mirror-check.ts';
import type { Checkpoint, VerifierKey } from './note.ts';
import { openCheckpoint } from './note.ts';
import { TILE_WIDTH, parseEntryBundle, tilePath } from './tiles.ts';

/** GET a path below the log (`checkpoint`, `tile/0/000`): its bytes, or why not. */
export type LogFetch = (path: string) => Promise<Result<Uint8Array>>;

export interface AuditOptions {
  keys: readonly VerifierKey[];
  /** A checkpoint note seen before (it must verify with the same keys). */
  since?: string;
  origin?: string;
  /** Also fetch each entry's served server.json and compare its hash (default true). */
  files?: boolean;
  /** Parallel fetches of served files (default 16). */
  concurrency?: number;
}

export interface AuditReport {
  checkpoint: Checkpoint;
  signedBy: string[];
  entries: LogEntry[];
  /** Tree size of the checkpoint seen before, when one was given. */
  consistentWith?: number;
  /** Served server.json files whose bytes hash to their entry; entries whose version cannot be a file name are not served. */
  files?: { checked: number; notServed: number };
}

export async function auditLog(fetch: LogFetch, options: AuditOptions): Promise<Result<AuditReport>> {
  const note = await fetch('checkpoint');
  if (!note.ok) return note;
  const opened = openCheckpoint(new TextDecoder().decode(note.value), options.keys, options.origin);
  if (!opened.ok) return { ok: false, error: `checkpoint: ${opened.error}` };
  const { checkpoint, signedBy } = opened.value;
  const leaves: Hash[] = [];
  const entries: LogEntry[] = [];
  for (let n = 0; n * TILE_WIDTH < checkpoint.size; n++) {
    const width = Math.min(TILE_WIDTH, checkpoint.size - n * TILE_WIDTH);
    const bundlePath = tilePath('entries', n, width);
    const bundle = await fetch(bundlePath);
    if (!bundle.ok) return bundle;
    const items = parseEntryBundle(bundle.value);
    if (items === undefined || items.length !== width) return { ok: false, error: `${bundlePath}: not a bundle of ${width} entries` };
    const hashPath = tilePath(0, n, width);
    const tile = await fetch(hashPath);
    if (!tile.ok) return tile;
    if (tile.value.length !== width * 32) return { ok: false, error: `${hashPath}: not ${width} hashes` };
    for (let i = 0; i < width; i++) {
      const index = n * TILE_WIDTH + i;
      const leaf = leafHash(items[i] as Uint8Array);
      if (!equalHashes(leaf, tile.value.subarray(i * 32, i * 32 + 32))) {
        return { ok: false, error: `entry ${index} does not hash to leaf ${index} of ${hashPath}: an entry or a tile was changed` };
      }
      let entry: LogEntry;
      try {
        entry = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(items[i])) as LogEntry;
      } catch {
        return { ok: false, error: `entry ${index} in ${bundlePath} is not UTF-8 JSON` };
      }
      if (typeof entry.name !== 'string' || typeof entry.version !== 'string' || !/^[0-9a-f]{64}$/.test(String(entry.sha256))) {
        return { ok: false, error: `entry ${index} in ${bundlePath} lacks name, version or a hex sha256` };
      }
      leaves.push(leaf);
      entries.push(entry);
    }
  }
  if (!equalHashes(rootHash(leaves), checkpoint.root)) {
    return { ok: false, error: `the served tiles do not make the checkpoint's root for tree size ${checkpoint.size}` };
  }
  const report: AuditReport = { checkpoint, signedBy, entries };
  if (options.files !== false) {
    const files = await checkServedFiles(fetch, entries, options.concurrency ?? 16);
    if (!files.ok) return files;
    report.files = files.value;
  }
  if (options.since !== undefined) {
    const old = openCheckpoint(options.since, options.keys, checkpoint.origin);
    if (!old.ok) return { ok: false, error: `previous checkpoint: ${old.error}` };
    const before = old.value.checkpoint;
    if (before.size > checkpoint.size) {
      return { ok: false, error: `the log shrank from ${before.size} to ${checkpoint.size} entries: history was dropped` };
    }
    // The served leaves are all here: their first `before.size` must make the old root (the proof
    // below checks the same, but for an old size that is a power of two it cannot say which root failed).
    if (before.size < checkpoint.size && !equalHashes(rootHash(leaves, before.size), before.root)) {
      return {
        ok: false,
        error: `not consistent with the previous checkpoint: the first ${before.size} entries no longer make its root: history was rewritten`,
      };
    }
    const proof = consistencyProof(leaves, before.size, checkpoint.size);
    if (!proof.ok) return proof;
    const consistent = verifyConsistency(before.size, checkpoint.size, proof.value, before.root, checkpoint.root);
    if (!consistent.ok) return { ok: false, error: `not consistent with the previous checkpoint: ${consistent.error}` };
    report.consistentWith = before.size;
  }
  return { ok: true, value: report };
}

/** Every entry's served server.json against its sha256; the first mismatch (in log order) is the answer. */
async function checkServedFiles(fetch: LogFetch, entries: readonly LogEntry[], concurrency: number): Promise<Result<{ checked: number; notServed: number }>> {
  const versions = entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.status === undefined); // a status change names a version whose own entry is checked
  const served = versions.filter(({ entry }) => servedPath(entry.name, entry.version) !== undefined);
  const problems = await mapBounded(served, concurrency, async ({ entry, index }) => {
    const problem = await servedFileProblem(fetch, entry);
    return problem === undefined ? undefined : `entry ${index} (${entry.name} ${entry.version}): ${problem}`;
  });
  const first = problems.find((p) => p !== undefined);
  if (first !== undefined) return { ok: false, error: first };
  return { ok: true, value: { checked: served.length, notServed: versions.length - served.length } };
}
