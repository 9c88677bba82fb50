/**
 * One folder written whole or not at all. Writers fill a fresh temporary folder beside the
 * target; `commit` renames the old tree away, the new one in, and removes the old one, so
 * readers never see a half-built tree and a fill that fails leaves the old tree as it was.
 *
 * A manifest of content hashes from the previous tree lets unchanged files be hard-linked
 * instead of rewritten (a rebuild after a few changed files mostly links), and a file another
 * tool already wrote beside the tree can be adopted by rename (written once, never copied).
 *
 * A process killed at any point leaves at most its own `.<name>.tmp-<pid>-…`, `.<name>.old-<pid>-…`
 * and `.<name>.del-<pid>-…` folders, which the next writer of the same target removes; if it died
 * between its two renames, the next writer first puts the previous tree (its `.old-`) back. An
 * old tree is renamed to `.del-` before it is removed, so a half-removed tree is never put back.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from '../core/compare.ts';
import { environmentError } from '../core/errors.ts';
import { undoIfInterrupted } from '../proc/exit-hooks.ts';
import { isAlive, ownerOf, removeStaleTemporaries, temporaryName } from './temporaries.ts';

export const MANIFEST = '.build-manifest.json';

export interface OutputTree {
  /** `path` is relative, POSIX separators; a second write to a path replaces the first. */
  write(path: string, content: string | Uint8Array): void;
  has(path: string): boolean;
  /** `path` gets the same content as the already written `existing` (a hard link: no second copy). */
  alias(path: string, existing: string): void;
  /**
   * Takes the finished file at `file` as `path`, by rename, and records it as if written. `file`
   * must be on the tree's file system: a folder beside `dir` (its parent) is.
   */
  adopt(path: string, file: string): void;
  /** Absolute folder being written (for emitters that run tools writing files themselves). */
  readonly dir: string;
}

export interface WriteStats {
  written: number;
  linked: number;
}

function hashOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

/** The content hash the tree records for a file (its manifest's values), for callers that pass it to `adopt` or `link`. */
export const contentHash = hashOf;

export class AtomicOutput implements OutputTree {
  readonly dir: string;
  readonly target: string;
  private readonly previous: Map<string, string>;
  private readonly hashes = new Map<string, string>();
  private readonly dirs = new Set<string>();
  readonly stats: WriteStats = { written: 0, linked: 0 };

  /** Hard links taken from the previous tree, checked again if another writer swapped it meanwhile. */
  private readonly linkedFromTarget: string[] = [];
  private readonly previousStamp: string | undefined;
  private readonly forget: () => void;

  constructor(target: string) {
    this.target = target;
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true });
    recoverTree(target);
    this.dir = join(parent, temporaryName(tmpKind(target)));
    mkdirSync(this.dir);
    this.forget = undoIfInterrupted(() => rmSync(this.dir, { recursive: true, force: true }));
    this.previousStamp = manifestStamp(target);
    this.previous = readManifest(target);
  }

  has(path: string): boolean {
    return this.hashes.has(path);
  }

  alias(path: string, existing: string): void {
    const hash = this.hashes.get(existing);
    if (hash === undefined) throw new Error(`alias ${path}: ${existing} has not been written`);
    const file = this.prepare(path, hash);
    linkSync(join(this.dir, existing), file);
    this.stats.linked += 1;
  }

  /** `hash`, when the caller has it (contentHash of the file's bytes), saves reading the file again. */
  adopt(path: string, file: string, hash?: string): void {
    renameSync(file, this.prepare(path, hash ?? hashOf(readFileSync(file))));
    this.stats.written += 1;
  }

  /**
   * `path` gets the bytes of the finished file `file`, whose contentHash is `hash`, by a hard link
   * (a copy across file systems); `file` stays. For caches of files that are never changed in place.
   */
  link(path: string, file: string, hash: string): void {
    const target = this.prepare(path, hash);
    try {
      linkSync(file, target);
      this.stats.linked += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(file, target);
      this.stats.written += 1;
    }
  }

  /** Makes the folder, clears an earlier write of `path`, records its hash; returns the file. */
  private prepare(path: string, hash: string): string {
    const file = join(this.dir, path);
    const folder = dirname(file);
    if (!this.dirs.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.dirs.add(folder);
    }
    if (this.hashes.has(path)) rmSync(file, { force: true });
    this.hashes.set(path, hash);
    return file;
  }

  write(path: string, content: string | Uint8Array): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const hash = hashOf(bytes);
    const file = this.prepare(path, hash);
    if (this.previous.get(path) === hash) {
      try {
        linkSync(join(this.target, path), file);
        this.linkedFromTarget.push(path);
        this.stats.linked += 1;
        return;
      } catch {
        // The old file is gone or on another device: write it.
      }
    }
    writeFileSync(file, bytes);
    this.stats.written += 1;
  }

  /**
   * Writes the manifest (unless `manifest` is false: for hosts that would publish it) and swaps
   * the new tree in. The old tree is removed by a detached process unless `removeOld` is 'now'.
   */
  commit(manifest = true, removeOld: 'background' | 'now' = 'background'): void {
    this.recheckLinks();
    if (manifest) {
      const hashes: Record<string, string> = {};
      for (const path of [...this.hashes.keys()].sort(compareStrings)) hashes[path] = this.hashes.get(path) as string;
      writeFileSync(join(this.dir, MANIFEST), JSON.stringify(hashes));
    }
    const old = join(dirname(this.target), temporaryName(oldKind(this.target)));
    const hadOld = existsSync(this.target);
    try {
      if (hadOld) renameSync(this.target, old);
      renameSync(this.dir, this.target);
    } catch (error) {
      if (hadOld && !existsSync(this.target)) renameSync(old, this.target);
      this.abort();
      throw environmentError(`cannot replace ${this.target}: ${(error as Error).message}`, error);
    }
    this.forget();
    if (!hadOld) return;
    // Out of recovery's reach before a single file goes: a tree half removed must never be put back.
    const trash = join(dirname(this.target), temporaryName(delKind(this.target)));
    let doomed = trash;
    try {
      renameSync(old, trash);
    } catch {
      doomed = old;
    }
    if (removeOld === 'now') rmSync(doomed, { recursive: true, force: true });
    else removeInBackground(doomed);
  }

  abort(): void {
    this.forget();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Files are never changed in place, so a link holds the bytes its source had; but if another
   * writer swapped in its tree after this one read the manifest, a link may come from that tree.
   */
  private recheckLinks(): void {
    if (this.linkedFromTarget.length === 0 || manifestStamp(this.target) === this.previousStamp) return;
    for (const path of this.linkedFromTarget) {
      if (hashOf(readFileSync(join(this.dir, path))) === this.hashes.get(path)) continue;
      throw environmentError(`another build replaced ${this.target} while this one ran (${path} differs); build again`);
    }
  }
}

/** `fill(dir)` writes the new tree into `dir`; it then replaces `target`. Returns what `fill` returned. */
export async function writeTreeAtomically<T>(target: string, fill: (dir: string) => Promise<T>): Promise<T> {
  const out = new AtomicOutput(target);
  let result: T;
  try {
    result = await fill(out.dir);
  } catch (error) {
    out.abort();
    throw error;
  }
  out.commit(false, 'now');
  return result;
}

function tmpKind(target: string): string {
  return `.${basename(target)}.tmp-`;
}

function oldKind(target: string): string {
  return `.${basename(target)}.old-`;
}

/** An old tree being removed: swept, never restored. */
function delKind(target: string): string {
  return `.${basename(target)}.del-`;
}

function manifestStamp(target: string): string | undefined {
  try {
    const s = statSync(join(target, MANIFEST));
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch {
    return undefined;
  }
}

/**
 * A writer killed between renaming the target away and renaming its new tree in leaves no
 * target at all; the tree it renamed away is complete, so it goes back (the newest, if
 * several). Then the temporaries of writers that are gone are removed.
 *
 * An `.old-` folder is only ever a whole tree: commit renames it to `.del-` before removing a
 * file of it, and `.del-` folders are never restored. No target while a live writer holds an
 * `.old-` folder means that writer is between its renames: its tree is about to go in, and
 * restoring another would make its rename fail, so nothing is restored then.
 */
export function recoverTree(target: string): void {
  const parent = dirname(target);
  const kind = oldKind(target);
  if (!existsSync(target)) {
    const olds = namesIn(parent).flatMap((name) => {
      const pid = ownerOf(name, kind);
      return pid === undefined ? [] : [{ name, alive: isAlive(pid) }];
    });
    const orphans = olds
      .filter((o) => !o.alive)
      .map(({ name }) => ({ name, at: statSync(join(parent, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    const newest = orphans[0];
    if (newest && !olds.some((o) => o.alive)) renameSync(join(parent, newest.name), target);
  }
  removeStaleTemporaries(parent, tmpKind(target));
  // With a live writer between its renames, a dead writer's tree stays: it is restored if that writer dies too.
  if (existsSync(target)) removeStaleTemporaries(parent, kind);
  removeStaleTemporaries(parent, delKind(target));
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Unlinking tens of thousands of files takes seconds on slow disks; the new tree is already in
 * place, so the old one is removed by a detached process instead of delaying the build.
 */
function removeInBackground(dir: string): void {
  const child = spawn(process.execPath, ['-e', 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })', dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => rmSync(dir, { recursive: true, force: true }));
  child.unref();
}

function readManifest(target: string): Map<string, string> {
  try {
    const raw = JSON.parse(readFileSync(join(target, MANIFEST), 'utf8')) as Record<string, string>;
    return new Map(Object.entries(raw));
  } catch {
    return new Map();
  }
}
