/**
 * One folder written whole or not at all. Writers fill a fresh temporary folder beside the
 * target; `commit` renames the old tree away, the new one in, and removes the old one, so
 * readers never see a half-built tree and a fill that fails leaves the old tree as it was.
 *
 * A manifest of content hashes from the previous tree lets unchanged files be hard-linked
 * instead of rewritten (a rebuild after a few changed files mostly links), and a file another
 * tool already wrote beside the tree can be adopted by rename (written once, never copied).
 *
 * A commit with 'spare' keeps the tree it swapped out as `.<name>.spare` (with its manifest)
 * instead of removing it; the next writer of the same target takes it over by rename as its
 * temporary folder and changes only what differs: a file whose path and hash the spare already
 * has stays as it is, others are unlinked and written (or linked) anew, and files the new tree
 * lacks are removed before the swap. So a rebuild after one change touches the files that changed
 * in the last two builds, not every file. Files are never changed in place (a spare's files are
 * hard links shared with the live tree), so the live tree never sees a byte of the next one.
 *
 * A process killed at any point leaves at most its own `.<name>.tmp-<pid>-…`, `.<name>.old-<pid>-…`
 * and `.<name>.del-<pid>-…` folders, which the next writer of the same target removes; if it died
 * between its two renames, the next writer first puts the previous tree (its `.old-`) back. An
 * old tree is renamed to `.del-` before it is removed, so a half-removed tree is never put back.
 */
import { spawn } from 'node:child_process';
import { hash as oneShotHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  /**
   * Absolute folder being written (for emitters that run tools writing files themselves). Reading
   * it removes a reused spare's files this build has not written yet (see AtomicOutput.dir).
   */
  readonly dir: string;
  /**
   * A folder on the tree's file system, beside it, where a tool may write files that are then
   * adopted. Reading it changes nothing in the tree: a reused spare keeps every file.
   */
  readonly stagingParent: string;
}

export interface WriteStats {
  written: number;
  linked: number;
  /** Files the reused spare tree already had with the same bytes: neither written nor linked. */
  kept: number;
}

/** What `commit` does with the tree it swapped out. */
export type OldTree = 'background' | 'now' | 'spare';

/** SHA-1, base64url, of the bytes (a string as its UTF-8). One-shot: no hash object per file. */
function hashOf(content: string | Uint8Array): string {
  return oneShotHash('sha1', content, 'base64url');
}

/** The content hash the tree records for a file (its manifest's values), for callers that pass it to `adopt` or `link`. */
export const contentHash = hashOf;

export class AtomicOutput implements OutputTree {
  /** The folder being written (the temporary tree, or the spare taken over). */
  private readonly work: string;
  readonly target: string;
  private readonly previous: Map<string, string>;
  private readonly hashes = new Map<string, string>();
  private readonly dirs = new Set<string>();
  /** Files of the spare tree this build has not written yet: path → hash. Removed before the swap. */
  private readonly leftover: Map<string, string>;
  readonly stats: WriteStats = { written: 0, linked: 0, kept: 0 };

  /** Hard links taken from the previous tree, checked again if another writer swapped it meanwhile. */
  private readonly linkedFromTarget: string[] = [];
  private readonly previousStamp: string | undefined;
  private readonly forget: () => void;

  constructor(target: string) {
    this.target = target;
    const parent = dirname(target);
    mkdirSync(parent, { recursive: true });
    recoverTree(target);
    const work = join(parent, temporaryName(tmpKind(target)));
    this.work = work;
    const spare = claimSpare(target, work);
    if (spare === undefined) mkdirSync(work);
    this.leftover = spare ?? new Map();
    this.forget = undoIfInterrupted(() => rmSync(work, { recursive: true, force: true }));
    this.previousStamp = manifestStamp(target);
    // With a spare, a file it lacks is written, not linked from the live tree: that is only the
    // files changed in the last two builds, and the live tree's manifest need not be read at all.
    this.previous = spare === undefined ? (readManifest(target) ?? new Map()) : new Map();
  }

  /**
   * The folder being written, for tools that write (or read) files in it themselves: files of a
   * reused spare that this build has not written yet are removed first, so it holds only this build's files.
   */
  get dir(): string {
    this.removeLeftovers();
    return this.work;
  }

  get stagingParent(): string {
    return dirname(this.work);
  }

  has(path: string): boolean {
    return this.hashes.has(path);
  }

  alias(path: string, existing: string): void {
    const hash = this.hashes.get(existing);
    if (hash === undefined) throw new Error(`alias ${path}: ${existing} has not been written`);
    if (this.keep(path, hash)) return;
    const file = this.prepare(path, hash);
    this.create(path, () => linkSync(join(this.work, existing), file));
    this.stats.linked += 1;
  }

  /** `hash`, when the caller has it (contentHash of the file's bytes), saves reading the file again. */
  adopt(path: string, file: string, hash?: string): void {
    const own = hash ?? hashOf(readFileSync(file));
    if (this.keep(path, own)) {
      rmSync(file, { force: true });
      return;
    }
    const into = this.prepare(path, own);
    this.create(path, () => renameSync(file, into));
    this.stats.written += 1;
  }

  /**
   * `path` gets the bytes of the finished file `file`, whose contentHash is `hash`, by a hard link
   * (a copy across file systems); `file` stays. For caches of files that are never changed in place.
   */
  link(path: string, file: string, hash: string): void {
    if (this.keep(path, hash)) return;
    const target = this.prepare(path, hash);
    try {
      this.create(path, () => linkSync(file, target));
      this.stats.linked += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(file, target);
      this.stats.written += 1;
    }
  }

  /** True when the spare already holds `path` with this hash: it stays, recorded as written. */
  private keep(path: string, hash: string): boolean {
    if (this.leftover.get(path) !== hash) return false;
    this.leftover.delete(path);
    this.hashes.set(path, hash);
    this.stats.kept += 1;
    return true;
  }

  /** Makes the folder, clears an earlier write of `path` (or the spare's file), records its hash; returns the file. */
  private prepare(path: string, hash: string): string {
    const file = join(this.work, path);
    const folder = dirname(file);
    if (!this.dirs.has(folder)) {
      try {
        mkdirSync(folder, { recursive: true });
      } catch (error) {
        // A spare's file where this tree has a folder: it goes, then the folder is made.
        if (!this.clearLeftoverAncestors(path)) throw error;
        mkdirSync(folder, { recursive: true });
      }
      this.dirs.add(folder);
    }
    if (this.hashes.has(path)) rmSync(file, { force: true });
    else if (this.leftover.delete(path)) rmSync(file, { force: true });
    this.hashes.set(path, hash);
    return file;
  }

  /** Runs `make` (which creates the file of `path`); a spare's folder in the way is removed first. */
  private create(path: string, make: () => void): void {
    try {
      make();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EISDIR' && code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') || !this.clearLeftoverFolder(path)) throw error;
      make();
    }
  }

  /** Removes the spare's files at folders above `path`; true when there were any. */
  private clearLeftoverAncestors(path: string): boolean {
    let cleared = false;
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
      const above = path.slice(0, at);
      if (!this.leftover.delete(above)) continue;
      rmSync(join(this.work, above), { force: true });
      cleared = true;
    }
    return cleared;
  }

  /** Removes a folder of the spare at `path` that holds nothing this build wrote; true when it did. */
  private clearLeftoverFolder(path: string): boolean {
    const file = join(this.work, path);
    try {
      if (!lstatSync(file).isDirectory()) return false;
    } catch {
      return false;
    }
    const inside = `${path}/`;
    for (const written of this.hashes.keys()) if (written.startsWith(inside)) return false;
    for (const left of [...this.leftover.keys()]) if (left.startsWith(inside)) this.leftover.delete(left);
    for (const folder of [...this.dirs]) if (folder === file || folder.startsWith(`${file}/`)) this.dirs.delete(folder);
    rmSync(file, { recursive: true, force: true });
    return true;
  }

  /** Removes the spare's files this build did not write, and the folders that leaves empty. */
  private removeLeftovers(): void {
    if (this.leftover.size === 0) return;
    const folders = new Set<string>();
    for (const path of this.leftover.keys()) {
      rmSync(join(this.work, path), { force: true });
      folders.add(dirname(path));
    }
    this.leftover.clear();
    const byDepth = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
    for (const start of byDepth) {
      for (let folder = start; folder !== '.' && folder !== ''; folder = dirname(folder)) {
        try {
          rmdirSync(join(this.work, folder));
          this.dirs.delete(join(this.work, folder));
        } catch {
          break; // not empty (or gone already)
        }
      }
    }
  }

  write(path: string, content: string | Uint8Array): void {
    const digest = hashOf(content);
    if (this.keep(path, digest)) return;
    const file = this.prepare(path, digest);
    if (this.previous.get(path) === digest) {
      try {
        linkSync(join(this.target, path), file);
        this.linkedFromTarget.push(path);
        this.stats.linked += 1;
        return;
      } catch {
        // The old file is gone or on another device: write it.
      }
    }
    this.create(path, () => writeFileSync(file, content));
    this.stats.written += 1;
  }

  /**
   * Writes the manifest (unless `manifest` is false: for hosts that would publish it) and swaps
   * the new tree in. The old tree is removed by a detached process ('background'), at once
   * ('now'), or, with 'spare' and a manifest, kept as the spare the next writer starts from.
   */
  commit(manifest = true, removeOld: OldTree = 'background'): void {
    this.recheckLinks();
    this.removeLeftovers();
    if (manifest) writeFileSync(join(this.work, MANIFEST), manifestText(this.hashes));
    const old = join(dirname(this.target), temporaryName(oldKind(this.target)));
    const hadOld = existsSync(this.target);
    try {
      if (hadOld) renameSync(this.target, old);
      renameSync(this.work, this.target);
    } catch (error) {
      if (hadOld && !existsSync(this.target)) renameSync(old, this.target);
      this.abort();
      throw environmentError(`cannot replace ${this.target}: ${(error as Error).message}`, error);
    }
    this.forget();
    if (!hadOld) return;
    if (removeOld === 'spare' && manifest && existsSync(join(old, MANIFEST))) {
      try {
        // Out of recovery's reach too: a spare is never put back as the target.
        renameSync(old, spareDir(this.target));
        return;
      } catch {
        // A spare is there already (a concurrent build's): this one goes.
      }
    }
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
    rmSync(this.work, { recursive: true, force: true });
  }

  /**
   * Files are never changed in place, so a link holds the bytes its source had; but if another
   * writer swapped in its tree after this one read the manifest, a link may come from that tree.
   */
  private recheckLinks(): void {
    if (this.linkedFromTarget.length === 0 || manifestStamp(this.target) === this.previousStamp) return;
    for (const path of this.linkedFromTarget) {
      if (hashOf(readFileSync(join(this.work, path))) === this.hashes.get(path)) continue;
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

/** The tree a commit with 'spare' kept: `.<name>.spare` beside the target. */
function spareDir(target: string): string {
  return join(dirname(target), `.${basename(target)}.spare`);
}

/**
 * Takes the spare over as `into` (one rename: of two writers at once, one gets it) and returns its
 * manifest; undefined when there is none, or it has no manifest (then it is removed).
 */
function claimSpare(target: string, into: string): Map<string, string> | undefined {
  try {
    renameSync(spareDir(target), into);
  } catch {
    return undefined;
  }
  const hashes = readManifest(into);
  if (hashes === undefined) {
    rmSync(into, { recursive: true, force: true });
    return undefined;
  }
  rmSync(join(into, MANIFEST), { force: true });
  return hashes;
}

/** The manifest's bytes: `{"<path>":"<hash>",…}` in path order, as JSON.stringify of that object writes it. */
function manifestText(hashes: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  // The default sort is code-unit order, as compareStrings, without a call per comparison.
  for (const path of [...hashes.keys()].sort()) parts.push(`${JSON.stringify(path)}:${JSON.stringify(hashes.get(path))}`);
  return `{${parts.join(',')}}`;
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

function readManifest(target: string): Map<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(join(target, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  const plain = plainManifest(text);
  if (plain !== undefined) return plain;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const hashes = new Map<string, string>();
  for (const [path, hash] of Object.entries(raw)) if (typeof hash === 'string') hashes.set(path, hash);
  return hashes;
}

/**
 * The manifest as manifestText writes it, read without JSON.parse when no string in it has an
 * escape (about three times faster at 100,000 files): with no backslash, no path or hash holds a
 * quote, so `","` and `":"` occur only between them. Anything else (an escape, a cut or foreign
 * file) is undefined, and JSON.parse decides.
 */
function plainManifest(text: string): Map<string, string> | undefined {
  if (text === '{}') return new Map();
  if (text.includes('\\') || !text.startsWith('{"') || !text.endsWith('"}')) return undefined;
  const hashes = new Map<string, string>();
  for (const item of text.slice(2, -2).split('","')) {
    const at = item.indexOf('":"');
    if (at === -1 || item.includes('"', at + 3) || item.lastIndexOf('"', at - 1) !== -1) return undefined;
    hashes.set(item.slice(0, at), item.slice(at + 3));
  }
  return hashes;
}
