/**
 * Validated files kept between builds, so a build after a merge reads only the files that changed:
 * per path, the file's stat key (size, modification and change times in nanoseconds, inode, device:
 * load/file-digests.ts), the SHA-256 and content hash (SHA-1 base64url, as the output tree records
 * it) of its bytes, the diagnostics per-file validation gave, and the parsed document. A file whose
 * stat is the recorded one is not read; a file whose stat differs but whose bytes have the recorded
 * content hash (a fresh checkout on a CI runner) is read but not validated again; a file modified less than RACY_MS before its record was
 * written is always read (git's "racily clean" rule), and the change time cannot be set back by a
 * program, so a file rewritten with the same size and modification time is read again too.
 *
 * A whole cache belongs to one stamp (verdict-cache.ts: the validator's sources, schemas, lock and
 * the registry config). It is two files: a base with every record and a small delta of the records
 * changed since the base (null for a file gone), so a build after one merge writes a few records,
 * not tens of thousands; the base is rewritten when the delta grows past 1/32 of it. The delta
 * names its base by id, so a delta left beside another base is ignored. A missing or corrupt part
 * only costs reading the files again. Registry-wide rules are not cached: they run on every build.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { ServerJson } from '../core/api-types.ts';
import { RACY_MS, statKey } from '../load/file-digests.ts';
import type { FileStat, StatKey } from '../load/file-digests.ts';

const FORMAT = 'entries/1';

export interface EntryRecord {
  key: StatKey;
  sha256: string;
  /** SHA-1 base64url of the bytes (files/atomic-tree.ts contentHash). */
  contentHash: string;
  diagnostics: Diagnostic[];
  value: ServerJson;
}

interface Held {
  record: EntryRecord;
  /** When the run that wrote the record started (ms since the epoch): the racy check's clock. */
  at: number;
}

type Wire = [string, string, string, Diagnostic[], ServerJson];

function fromWire(w: unknown): EntryRecord | undefined {
  if (!Array.isArray(w) || w.length !== 5) return undefined;
  const [key, sha256, contentHash, diagnostics, value] = w as unknown[];
  if (typeof key !== 'string' || typeof sha256 !== 'string' || typeof contentHash !== 'string') return undefined;
  if (!Array.isArray(diagnostics) || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { key, sha256, contentHash, diagnostics: diagnostics as Diagnostic[], value: value as ServerJson };
}

function toWire(r: EntryRecord): Wire {
  return [r.key, r.sha256, r.contentHash, r.diagnostics, r.value];
}

/** The two texts to write after a run; `delta` undefined means remove it (a fresh base has none). */
export interface EntryCacheTexts {
  base?: string;
  delta?: string;
}

export function contentHashOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

export class EntryCache {
  readonly stamp: string;
  private readonly baseId: string | undefined;
  /** The base's records, for telling what this run changed. */
  private readonly base: Map<string, Held>;
  private readonly previous: Map<string, Held>;
  private readonly next = new Map<string, Held>();
  private readonly startedAt: number;
  /** Files read this run (not taken from the record). */
  reads = 0;

  private constructor(stamp: string, baseId: string | undefined, base: Map<string, Held>, previous: Map<string, Held>, startedAt: number) {
    this.stamp = stamp;
    this.baseId = baseId;
    this.base = base;
    this.previous = previous;
    this.startedAt = startedAt;
  }

  static empty(stamp: string, startedAt = Date.now()): EntryCache {
    return new EntryCache(stamp, undefined, new Map(), new Map(), startedAt);
  }

  /** Pure but for the clock: a base of another stamp or format, or one that does not parse, starts empty; a delta not of this base is ignored. */
  static parse(baseText: string | undefined, deltaText: string | undefined, stamp: string, startedAt = Date.now()): EntryCache {
    const base = parsePart(baseText, stamp);
    if (base === undefined || typeof base.id !== 'string') return EntryCache.empty(stamp, startedAt);
    const records = new Map<string, Held>();
    for (const [path, w] of Object.entries(base.files)) {
      const record = fromWire(w);
      if (record === undefined) return EntryCache.empty(stamp, startedAt);
      records.set(path, { record, at: base.writtenAt });
    }
    const previous = new Map(records);
    const delta = parsePart(deltaText, stamp);
    if (delta !== undefined && delta.base === base.id) {
      const changes = new Map<string, Held | null>();
      let ok = true;
      for (const [path, w] of Object.entries(delta.files)) {
        if (w === null) {
          changes.set(path, null);
          continue;
        }
        const record = fromWire(w);
        if (record === undefined) {
          ok = false;
          break;
        }
        changes.set(path, { record, at: delta.writtenAt });
      }
      // A corrupt delta is dropped whole: the base alone is still a consistent (older) record.
      if (ok)
        for (const [path, held] of changes) {
          if (held === null) previous.delete(path);
          else previous.set(path, held);
        }
    }
    return new EntryCache(stamp, base.id, records, previous, startedAt);
  }

  /** The record of `path` when `stat` is the recorded one and the file was not modified within RACY_MS of the record being written. */
  known(path: string, stat: FileStat): EntryRecord | undefined {
    const seen = this.previous.get(path);
    if (seen === undefined || seen.record.key !== statKey(stat)) return undefined;
    if (Number(stat.mtimeNs / 1_000_000n) >= seen.at - RACY_MS) return undefined;
    this.next.set(path, seen);
    return seen.record;
  }

  /**
   * The record of `path` when its bytes hash to the recorded content hash, though its stat differs (a fresh
   * checkout, a copy, a file touched): the bytes are read, not parsed or validated again. It is recorded
   * under the new stat.
   */
  knownContent(path: string, stat: FileStat, contentHash: string): EntryRecord | undefined {
    const seen = this.previous.get(path);
    if (seen === undefined || seen.record.contentHash !== contentHash) return undefined;
    const { sha256, diagnostics, value } = seen.record;
    this.remember(path, stat, { sha256, contentHash, diagnostics, value });
    return seen.record;
  }

  /** `stat` is the one taken before the file was read: if it changes meanwhile, the next run sees a new stat. */
  remember(path: string, stat: FileStat, record: Omit<EntryRecord, 'key'>): void {
    this.reads += 1;
    this.next.set(path, { record: { key: statKey(stat), ...record }, at: this.startedAt });
  }

  /** True when this run's records differ from the ones loaded (a file read, added or gone). */
  changed(): boolean {
    if (this.reads > 0 || this.next.size !== this.previous.size) return true;
    for (const path of this.next.keys()) if (!this.previous.has(path)) return true;
    return false;
  }

  /** What to write for this run: nothing when unchanged, a delta against the base when it is small, else a new base. */
  render(): EntryCacheTexts | undefined {
    if (!this.changed()) return undefined;
    // Only the changed paths are sorted: a merge changes a few of tens of thousands.
    const changedPaths: string[] = [];
    for (const [path, held] of this.next) if (this.base.get(path) !== held) changedPaths.push(path);
    for (const path of this.base.keys()) if (!this.next.has(path)) changedPaths.push(path);
    const delta: Record<string, Wire | null> = {};
    for (const path of changedPaths.sort()) {
      const now = this.next.get(path);
      delta[path] = now === undefined ? null : toWire(now.record);
    }
    if (this.baseId !== undefined && changedPaths.length <= Math.max(64, this.base.size / 32)) {
      return { delta: `${JSON.stringify({ format: FORMAT, stamp: this.stamp, base: this.baseId, writtenAt: this.startedAt, files: delta })}\n` };
    }
    // A fresh base: every record carries this run's start, which only makes the racy check stricter.
    const files: Record<string, Wire> = {};
    for (const path of [...this.next.keys()].sort()) files[path] = toWire((this.next.get(path) as Held).record);
    return { base: `${JSON.stringify({ format: FORMAT, stamp: this.stamp, id: randomUUID(), writtenAt: this.startedAt, files })}\n` };
  }
}

interface Part {
  id?: unknown;
  base?: unknown;
  writtenAt: number;
  files: Record<string, unknown>;
}

function parsePart(text: string | undefined, stamp: string): Part | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { format?: unknown; stamp?: unknown; writtenAt?: unknown; files?: unknown };
    if (value.format !== FORMAT || value.stamp !== stamp || typeof value.writtenAt !== 'number') return undefined;
    if (typeof value.files !== 'object' || value.files === null || Array.isArray(value.files)) return undefined;
    return value as Part;
  } catch {
    return undefined;
  }
}
