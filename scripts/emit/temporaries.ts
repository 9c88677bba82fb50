/**
 * What a build leaves behind when it is killed, and how the next one clears it up.
 *
 * Every temporary file or folder of a build is named `<kind><pid>-<random>`: a later build
 * removes those whose process is gone and leaves those of a live process (a concurrent build)
 * alone. A pid taken over by an unrelated process only delays the removal. While a build runs,
 * what it must undo if the process ends early (its temporaries, the site build's process
 * group) is registered here; the process's `exit` runs it, and `undoOnSignals` turns SIGINT
 * and SIGTERM into the same clean-up before the signal takes its course. SIGKILL runs nothing:
 * that is what the stale-temporary sweep and the site build's parent watch (astro-build-process.ts) are for.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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
 * Best effort: a temporary that cannot be removed now is tried again by the next build.
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
      // Another build is sweeping the same folder, or the file system refuses: next time.
    }
  }
  return removed.sort();
}

const pending = new Set<() => void>();
let exitHookInstalled = false;

function runPending(): void {
  for (const undo of [...pending]) {
    pending.delete(undo);
    try {
      undo();
    } catch {
      // Clean-up on the way out must never hide why the process is ending.
    }
  }
}

/** `undo` runs if the process ends before the returned function is called. It must be synchronous. */
export function undoIfInterrupted(undo: () => void): () => void {
  if (!exitHookInstalled) {
    process.on('exit', runPending);
    exitHookInstalled = true;
  }
  pending.add(undo);
  return () => {
    pending.delete(undo);
  };
}

/**
 * For the duration of a command: on SIGINT or SIGTERM, run the pending clean-ups, then let the
 * signal end the process as it would have (same status for the shell). Returns the uninstaller.
 */
export function undoOnSignals(): () => void {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const handlers = signals.map((signal) => {
    const handler = () => {
      uninstall();
      runPending();
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  function uninstall(): void {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
  return uninstall;
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
