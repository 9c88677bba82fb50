/**
 * Temporaries that a killed process leaves behind, and how the next run clears them up.
 *
 * Every temporary file or folder is named `<kind><pid>-<random>`: a later run removes those
 * whose process is gone and leaves those of a live process (a concurrent build) alone. A pid
 * taken over by an unrelated process only delays the removal. While a temporary exists, its
 * removal is registered with proc/exit-hooks.ts, so an early exit or SIGINT/SIGTERM removes it too.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { undoIfInterrupted } from '../proc/exit-hooks.ts';

export function temporaryName(kind: string): string {
  return `${kind}${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a name made by `temporaryName(kind)` (or the older `<kind><pid>`), else undefined. */
export function ownerOf(name: string, kind: string): number | undefined {
  if (!name.startsWith(kind)) return undefined;
  const match = /^(\d+)(?:-[0-9a-f]{8})?$/.exec(name.slice(kind.length));
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes the entries of `dir` named `<kind><pid>…` whose process is gone; returns their names.
 * Best effort: a temporary that cannot be removed now is tried again by the next run.
 */
export function removeStaleTemporaries(dir: string, kind: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = ownerOf(name, kind);
    if (pid === undefined || isAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Another run is sweeping the same folder, or the file system refuses: next time.
    }
  }
  return removed.sort();
}

export interface TemporaryDir {
  readonly path: string;
  remove(): void;
}

/**
 * A new folder `<parent>/<kind><pid>-<random>`, after sweeping the stale ones of that kind;
 * removed by `remove()`, or on the way out if the process ends first.
 */
export function makeTemporaryDir(parent: string, kind: string): TemporaryDir {
  mkdirSync(parent, { recursive: true });
  removeStaleTemporaries(parent, kind);
  const path = join(parent, temporaryName(kind));
  mkdirSync(path);
  const undo = () => rmSync(path, { recursive: true, force: true });
  const forget = undoIfInterrupted(undo);
  return {
    path,
    remove() {
      forget();
      undo();
    },
  };
}
