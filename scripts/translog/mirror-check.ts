/**
 * What a mirror checks in an upstream's log before it copies anything (`sync`), reading only what
 * it needs: the checkpoint (signed by a pinned key), the tiles on the proofs of the leaves it is
 * about to mirror and on the consistency proof from the checkpoint it recorded last time, the
 * entry bundles of those leaves, and the exact bytes served for each of them. So an incremental
 * sync of a few new versions reads a few files, and a full one at most every tile once. Each
 * failure carries a stable code. The fetch is passed in (audit.ts LogFetch); pure otherwise.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Result } from '../core/result.ts';
import type { LogFetch } from './audit.ts';
import type { LogEntry } from './entry.ts';
import { servedPath, sha256Hex } from './entry.ts';
import type { Hash } from './merkle.ts';
import { consistencyProofWith, equalHashes, inclusionPathWith, leafHash, verifyConsistency, verifyInclusion } from './merkle.ts';
import type { Checkpoint, VerifierKey } from './note.ts';
import { openCheckpoint, parseCheckpointBody } from './note.ts';
import type { TileHashes } from './tile-hashes.ts';
import { addTile, subtreeFromTiles, tileHashes } from './tile-hashes.ts';
import { TILE_WIDTH, parseEntryBundle, tilePath } from './tiles.ts';

/** Why a log check failed, by what failed. */
export type MirrorCheckCode =
  /** The checkpoint is not a signed note, or no pinned key signed it. */
  | 'checkpoint'
  /** The tiles do not make the signed root, or contradict an entry. */
  | 'tiles'
  /** A version to mirror has no leaf, or its leaf names something else. */
  | 'entry'
  /** The exact bytes served for a leaf do not hash to it, or are not the server.json the API answers. */
  | 'file'
  /** The tree is not an extension of the one recorded before: history rewritten, dropped or forked. */
  | 'inconsistent'
  /** A file of the log could not be fetched. */
  | 'fetch';

export interface MirrorCheckFailure {
  code: MirrorCheckCode;
  message: string;
}

/** One version about to be mirrored: the leaf the API answer's `_meta` names, and the server.json it answers. */
export interface MirroredVersion {
  name: string;
  version: string;
  leafIndex: number;
  sha256: string;
  server: unknown;
}

export interface MirrorCheckOptions {
  keys: readonly VerifierKey[];
  /** The checkpoint recorded at the previous sync (its body is enough: it was verified then). */
  previous?: Checkpoint;
  versions: readonly MirroredVersion[];
  /** Parallel fetches (default 16). */
  concurrency?: number;
}

export interface MirrorCheckReport {
  checkpoint: Checkpoint;
  signedBy: string[];
  /** Versions proven included, with their served bytes checked. */
  included: number;
  /** Size of the previous checkpoint the tree extends, when there was one. */
  consistentWith?: number;
  /** Tiles and bundles fetched. */
  fetched: number;
}

type Check<T> = Result<T, MirrorCheckFailure>;

function fail(code: MirrorCheckCode, message: string): { ok: false; error: MirrorCheckFailure } {
  return { ok: false, error: { code, message } };
}

/** Runs `work` over `items` with at most `limit` at a time; the results in item order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Opens a checkpoint note, telling a malformed note from one no pinned key signed. */
export function openPinned(note: string, keys: readonly VerifierKey[]): Check<{ checkpoint: Checkpoint; signedBy: string[] }> {
  const opened = openCheckpoint(note, keys);
  if (!opened.ok) return fail('checkpoint', `the checkpoint: ${opened.error}`);
  return { ok: true, value: opened.value };
}

/** The checkpoint a note holds, without its signatures (a record this registry made after checking them). */
export function checkpointOfNote(note: string): Result<Checkpoint> {
  const split = note.lastIndexOf('\n\n');
  return parseCheckpointBody(split < 0 ? note : note.slice(0, split + 1));
}

/** Loads the missing tiles `compute` asks for until it answers; at most a round per tile level. */
async function withTiles<T>(
  fetch: LogFetch,
  t: TileHashes,
  concurrency: number,
  counter: { fetched: number },
  compute: () => T | undefined,
): Promise<Check<T>> {
  for (let round = 0; round < 8; round++) {
    t.missing.clear();
    const value = compute();
    if (t.missing.size === 0 && value !== undefined) return { ok: true, value };
    const paths = [...t.missing].sort();
    const got = await mapBounded(paths, concurrency, async (path) => ({ path, got: await fetch(path) }));
    counter.fetched += got.length;
    for (const { path, got: r } of got) {
      if (!r.ok) return fail('fetch', `${path}: ${r.error}`);
      if (!addTile(t, path, r.value)) return fail('tiles', `${path} is not the ${/\.p\/(\d+)$/.exec(path)?.[1] ?? TILE_WIDTH} hashes its name says`);
    }
  }
  return fail('tiles', 'the tiles never gave every hash the proof needs');
}

/** The entry bundles holding these leaf indexes, parsed: leaf index → entry bytes. */
async function loadEntries(
  fetch: LogFetch,
  size: number,
  indexes: readonly number[],
  concurrency: number,
  counter: { fetched: number },
): Promise<Check<Map<number, Uint8Array>>> {
  const bundles = [...new Set(indexes.map((i) => Math.floor(i / TILE_WIDTH)))].sort((a, b) => a - b);
  const got = await mapBounded(bundles, concurrency, async (n) => {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const path = tilePath('entries', n, width);
    return { n, width, path, got: await fetch(path) };
  });
  counter.fetched += got.length;
  const entries = new Map<number, Uint8Array>();
  for (const { n, width, path, got: r } of got) {
    if (!r.ok) return fail('fetch', `${path}: ${r.error}`);
    const items = parseEntryBundle(r.value);
    if (items === undefined || items.length !== width) return fail('tiles', `${path} is not a bundle of ${width} entries`);
    for (const [i, bytes] of items.entries()) entries.set(n * TILE_WIDTH + i, bytes);
  }
  return { ok: true, value: entries };
}

function parseEntry(bytes: Uint8Array): LogEntry | undefined {
  try {
    const e = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as LogEntry;
    return typeof e.name === 'string' && typeof e.version === 'string' && typeof e.sha256 === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The served exact bytes of one logged version (entry.ts servedPath) against its entry's sha256 and,
 * when given, the server.json the API answered for it; what is wrong, or undefined. `audit` and `sync` share it.
 */
export async function servedFileProblem(fetch: LogFetch, entry: Pick<LogEntry, 'name' | 'version' | 'sha256'>, server?: unknown): Promise<string | undefined> {
  const path = servedPath(entry.name, entry.version);
  if (path === undefined) return 'the version cannot be a file name, so its exact bytes are not served and cannot be checked';
  const got = await fetch(path);
  if (!got.ok) return `its server.json is not served: ${got.error}`;
  if (sha256Hex(got.value) !== entry.sha256) return `the served ${path} does not hash to the logged sha256: the file was changed after it was logged`;
  if (server === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(got.value));
  } catch {
    return `the served ${path} is not UTF-8 JSON`;
  }
  if (!isDeepStrictEqual(parsed, server)) {
    return `the API answers a server.json that is not the one logged and served as ${path}: the API answer was changed`;
  }
  return undefined;
}

/**
 * Checks an upstream's log for a mirror: the note against the pinned keys, the tree against the
 * previous checkpoint (consistency proof), and each version to mirror (its entry, its inclusion
 * proof under the signed root, its served bytes). The first failure is the answer.
 */
export async function checkMirror(fetch: LogFetch, note: string, options: MirrorCheckOptions): Promise<Check<MirrorCheckReport>> {
  const opened = openPinned(note, options.keys);
  if (!opened.ok) return opened;
  const { checkpoint, signedBy } = opened.value;
  const { size, root } = checkpoint;
  const concurrency = options.concurrency ?? 16;
  const counter = { fetched: 0 };
  const t = tileHashes(size);
  const report: MirrorCheckReport = { checkpoint, signedBy, included: 0, fetched: 0 };

  const before = options.previous;
  if (before !== undefined) {
    if (before.origin !== checkpoint.origin) {
      return fail('inconsistent', `the upstream's log is now "${checkpoint.origin}", not "${before.origin}" as at the previous sync: a different log`);
    }
    if (before.size > size) return fail('inconsistent', `the log shrank from ${before.size} to ${size} entries since the previous sync: history was dropped`);
    if (before.size > 0 && before.size < size) {
      const proof = await withTiles(fetch, t, concurrency, counter, () => {
        const p = consistencyProofWith((lo, hi) => subtreeFromTiles(t, lo, hi), before.size, size);
        return p.every((h) => h !== undefined) ? (p as Hash[]) : undefined;
      });
      if (!proof.ok) return proof;
      const consistent = verifyConsistency(before.size, size, proof.value, before.root, root);
      if (!consistent.ok) return fail('inconsistent', `not consistent with the checkpoint of the previous sync (size ${before.size}): ${consistent.error}`);
    } else {
      const consistent = verifyConsistency(before.size, size, [], before.root, root);
      if (!consistent.ok) return fail('inconsistent', `not consistent with the checkpoint of the previous sync (size ${before.size}): ${consistent.error}`);
    }
    report.consistentWith = before.size;
  }

  const versions = [...options.versions].sort((a, b) => a.leafIndex - b.leafIndex);
  for (const v of versions) {
    if (!Number.isSafeInteger(v.leafIndex) || v.leafIndex < 0 || v.leafIndex >= size) {
      return fail('entry', `${v.name} ${v.version}: its _meta names leaf ${v.leafIndex}, which is not in the log of ${size} entries`);
    }
  }
  if (versions.length > 0) {
    const entries = await loadEntries(
      fetch,
      size,
      versions.map((v) => v.leafIndex),
      concurrency,
      counter,
    );
    if (!entries.ok) return entries;
    const leaves = new Map<number, Hash>();
    for (const v of versions) {
      const bytes = entries.value.get(v.leafIndex) as Uint8Array;
      const entry = parseEntry(bytes);
      if (entry === undefined || entry.status !== undefined || entry.name !== v.name || entry.version !== v.version || entry.sha256 !== v.sha256) {
        return fail(
          'entry',
          `${v.name} ${v.version}: leaf ${v.leafIndex} of the log is ${entry === undefined ? 'not an entry' : `${entry.name} ${entry.version}${entry.status === undefined ? '' : ` (${entry.status})`} with sha256 ${entry.sha256}`}, not this version with the sha256 its _meta gives (${v.sha256})`,
        );
      }
      leaves.set(v.leafIndex, leafHash(bytes));
    }
    // Every leaf's proof, from one set of tiles; and each leaf against the hash its tile stores.
    const proofs = await withTiles(fetch, t, concurrency, counter, () => {
      const all = new Map<number, Hash[]>();
      let complete = true;
      for (const v of versions) {
        const p = inclusionPathWith((lo, hi) => subtreeFromTiles(t, lo, hi), v.leafIndex, size);
        subtreeFromTiles(t, v.leafIndex, v.leafIndex + 1);
        if (p.every((h) => h !== undefined)) all.set(v.leafIndex, p as Hash[]);
        else complete = false;
      }
      return complete ? all : undefined;
    });
    if (!proofs.ok) return proofs;
    for (const v of versions) {
      if (!equalHashes(leaves.get(v.leafIndex) as Hash, subtreeFromTiles(t, v.leafIndex, v.leafIndex + 1) as Hash)) {
        return fail('tiles', `${v.name} ${v.version}: leaf ${v.leafIndex} does not hash to the hash its tile stores: an entry or a tile was changed`);
      }
    }
    for (const v of versions) {
      const leaf = leaves.get(v.leafIndex) as Hash;
      const included = verifyInclusion(leaf, v.leafIndex, size, proofs.value.get(v.leafIndex) as Hash[], root);
      if (!included.ok) return fail('tiles', `${v.name} ${v.version}: leaf ${v.leafIndex} is not included under the signed root: ${included.error}`);
    }
    const problems = await mapBounded(versions, concurrency, async (v) => {
      const problem = await servedFileProblem(fetch, v, v.server);
      return problem === undefined ? undefined : `${v.name} ${v.version} (leaf ${v.leafIndex}): ${problem}`;
    });
    const first = problems.find((p) => p !== undefined);
    if (first !== undefined) return fail('file', first);
    report.included = versions.length;
  }
  report.fetched = counter.fetched;
  return { ok: true, value: report };
}
