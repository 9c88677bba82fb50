/**
 * Copies of the served server.json files (`dist/log/servers/…`), one per content hash, in the
 * build cache (`.cache/log-files/<contentHash>.json`): dist/ takes them by hard link, so a build
 * after a merge neither reads nor writes the files it served before.
 *
 * Why not link the files of servers/ themselves: every link made or removed changes the source
 * file's change time, which is part of the stat key the entry cache trusts (validate/entry-cache.ts),
 * so each build would read and validate again every file the previous one linked. A copy also keeps
 * an in-place edit of servers/ from reaching the live dist/.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentError } from '../core/errors.ts';
import { temporaryFileName } from '../files/atomic-file.ts';
import { contentHash } from '../files/atomic-tree.ts';

export const LOG_FILES_CACHE = 'log-files';

const PRUNE_AFTER_MS = 60 * 60 * 1000;

/** What the store needs of the output tree (files/atomic-tree.ts AtomicOutput.link). */
export interface Linker {
  link(path: string, file: string, hash: string): void;
}

export interface StoredSource {
  /** The file under servers/ the copy is made from, when the store lacks it. */
  absolute: string;
  /** Its content hash as validation recorded it (files/atomic-tree.ts contentHash). */
  contentHash: string;
}

export class LogFileStore {
  private readonly dir: string;
  private readonly used = new Set<string>();
  private made = false;
  /** Copies written this build. */
  added = 0;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, LOG_FILES_CACHE);
  }

  /** `path` in `out` gets the bytes of `source` from the store's copy, made first when missing. */
  serve(out: Linker, path: string, source: StoredSource): void {
    const name = `${source.contentHash}.json`;
    const file = join(this.dir, name);
    this.used.add(name);
    try {
      out.link(path, file, source.contentHash);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.store(file, source);
    out.link(path, file, source.contentHash);
  }

  /**
   * Removes the copies this build did not serve (versions gone from servers/) and stray temporaries,
   * once older than an hour: a copy just made by another build of the same root may not be linked yet.
   */
  prune(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (this.used.has(name)) continue;
      const file = join(this.dir, name);
      try {
        if (statSync(file).mtimeMs < now - PRUNE_AFTER_MS) rmSync(file, { force: true });
      } catch {
        // Gone already.
      }
    }
  }

  private store(file: string, source: StoredSource): void {
    const bytes = readFileSync(source.absolute);
    // Validation hashed these bytes: a file changed since then would serve bytes its leaf does not hash to.
    if (contentHash(bytes) !== source.contentHash) {
      throw environmentError(`${source.absolute} changed while the build ran; build again`);
    }
    if (!this.made) {
      mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const temp = temporaryFileName(file);
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    this.added += 1;
  }
}

/** The output tree can take a finished file by hard link (files/atomic-tree.ts AtomicOutput.link). */
export function canLink(out: object): out is Linker {
  return typeof (out as Partial<Linker>).link === 'function';
}
