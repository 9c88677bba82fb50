/**
 * Where emitters write: a fresh temporary folder beside the output, swapped in by rename when
 * every emitter has finished, so readers never see a half-built tree. A manifest of content
 * hashes from the previous build lets unchanged files be hard-linked instead of rewritten
 * (the incremental part: a rebuild after a few changed files mostly links).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareStrings } from '../core/compare.ts';

export const MANIFEST = '.build-manifest.json';

export interface OutputTree {
  /** `path` is relative, POSIX separators; a second write to a path replaces the first. */
  write(path: string, content: string | Uint8Array): void;
  has(path: string): boolean;
  /** `path` gets the same content as the already written `existing` (a hard link: no second copy). */
  alias(path: string, existing: string): void;
  /** Absolute folder being written (for emitters that run tools writing files themselves). */
  readonly dir: string;
}

export interface WriteStats {
  written: number;
  linked: number;
}

export class AtomicOutput implements OutputTree {
  readonly dir: string;
  readonly target: string;
  private readonly previous: Map<string, string>;
  private readonly hashes = new Map<string, string>();
  private readonly dirs = new Set<string>();
  readonly stats: WriteStats = { written: 0, linked: 0 };

  constructor(target: string) {
    this.target = target;
    this.dir = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
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
    const hash = createHash('sha1').update(bytes).digest('base64url');
    const file = this.prepare(path, hash);
    if (this.previous.get(path) === hash) {
      try {
        linkSync(join(this.target, path), file);
        this.stats.linked += 1;
        return;
      } catch {
        // The old file is gone or on another device: write it.
      }
    }
    writeFileSync(file, bytes);
    this.stats.written += 1;
  }

  /** Writes the manifest and swaps the new tree in. */
  commit(): void {
    const manifest: Record<string, string> = {};
    for (const path of [...this.hashes.keys()].sort(compareStrings)) manifest[path] = this.hashes.get(path) as string;
    writeFileSync(join(this.dir, MANIFEST), JSON.stringify(manifest));
    const old = join(dirname(this.target), `.${basename(this.target)}.old-${randomBytes(6).toString('hex')}`);
    const hadOld = existsSync(this.target);
    if (hadOld) renameSync(this.target, old);
    renameSync(this.dir, this.target);
    if (hadOld) removeInBackground(old);
  }

  abort(): void {
    rmSync(this.dir, { recursive: true, force: true });
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
