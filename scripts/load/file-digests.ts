/**
 * SHA-256 of source files without reading the unchanged ones, as git's index does: a file whose
 * size, modification and change times (nanoseconds) and inode are those recorded with its digest
 * is not read again. The change time cannot be set back by a program (`touch -d` and utimes set
 * only the modification time), so a file rewritten with the same size and modification time is
 * read again too. A file modified less than RACY_MS before the record was written may have changed
 * again within the same timestamp tick, so it is always read ("racily clean" in git's terms); the
 * record's time is when its run started, before any file was looked at.
 * The build keeps the record in `.cache/` (emit/build-cache.ts); losing it costs one read of every file.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 'file-digests/1';

/** Coarse file systems keep modification times in seconds (FAT: two). */
export const RACY_MS = 2_000;

/** size, mtime ns, ctime ns, inode, device: what identifies a file version without reading it. */
export type StatKey = string;

interface Recorded {
  key: StatKey;
  sha256: string;
}

export interface FileStat {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export function statKey(s: FileStat): StatKey {
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;
}

export class FileDigests {
  /** When the run that wrote the record read started (ms since the epoch); files modified after `writtenAt - RACY_MS` are read. */
  private readonly writtenAt: number;
  /** When this run started: the time its record carries. */
  private readonly startedAt: number;
  private readonly previous: Map<string, Recorded>;
  private readonly next = new Map<string, Recorded>();
  /** Files read this run (not taken from the record). */
  reads = 0;

  constructor(previous: Map<string, Recorded> = new Map(), writtenAt = 0, startedAt = Date.now()) {
    this.previous = previous;
    this.writtenAt = writtenAt;
    this.startedAt = startedAt;
  }

  /** Pure but for the clock (this run's start): a record of another format, or one that does not parse, starts empty. */
  static parse(text: string | undefined, startedAt = Date.now()): FileDigests {
    if (text === undefined) return new FileDigests(new Map(), 0, startedAt);
    try {
      const value = JSON.parse(text) as { format?: unknown; writtenAt?: unknown; files?: unknown };
      if (value.format !== FORMAT || typeof value.writtenAt !== 'number' || typeof value.files !== 'object' || value.files === null)
        return new FileDigests(new Map(), 0, startedAt);
      const files = new Map<string, Recorded>();
      for (const [path, pair] of Object.entries(value.files as Record<string, unknown>)) {
        if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string' || !/^[0-9a-f]{64}$/.test(pair[1]))
          return new FileDigests(new Map(), 0, startedAt);
        files.set(path, { key: pair[0], sha256: pair[1] });
      }
      return new FileDigests(files, value.writtenAt, startedAt);
    } catch {
      return new FileDigests(new Map(), 0, startedAt);
    }
  }

  /**
   * Pure: the digest recorded for `path` when `stat` is the one recorded and the file was not
   * modified within RACY_MS of the record being written; else undefined (read the file).
   */
  known(path: string, stat: FileStat): string | undefined {
    const seen = this.previous.get(path);
    if (seen === undefined || seen.key !== statKey(stat)) return undefined;
    if (Number(stat.mtimeNs / 1_000_000n) >= this.writtenAt - RACY_MS) return undefined;
    return seen.sha256;
  }

  remember(path: string, stat: FileStat, sha256: string): void {
    this.next.set(path, { key: statKey(stat), sha256 });
  }

  /** The SHA-256 of `root/path`: from the record when its stat matches, else read (and remembered). */
  sha256(root: string, path: string): string {
    const file = join(root, path);
    const stat = lstatSync(file, { bigint: true });
    const known = this.known(path, stat);
    if (known !== undefined) {
      this.next.set(path, this.previous.get(path) as Recorded);
      return known;
    }
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    this.reads += 1;
    // The stat taken before the read: if the file changes meanwhile, the next run sees a new stat.
    this.remember(path, stat, sha256);
    return sha256;
  }

  /** True when the record of this run differs from the one read (a file read, added or gone). */
  changed(): boolean {
    if (this.reads > 0 || this.next.size !== this.previous.size) return true;
    for (const path of this.next.keys()) if (!this.previous.has(path)) return true;
    return false;
  }

  /** Only this run's files, sorted, stamped with this run's start (the racy check's clock). */
  render(): string {
    const files: Record<string, [string, string]> = {};
    for (const path of [...this.next.keys()].sort()) {
      const r = this.next.get(path) as Recorded;
      files[path] = [r.key, r.sha256];
    }
    return `${JSON.stringify({ format: FORMAT, writtenAt: this.startedAt, files })}\n`;
  }
}
