/**
 * Writes a set of registry files as one change: everything is staged in a temp folder inside
 * the registry root, then renamed into place; if any step fails, the files already moved are
 * put back, so a failure midway leaves the tree as it was.
 */
import { mkdir, mkdtemp, rename, rm, writeFile, access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { environmentError } from '../core/errors.ts';

export interface FileChange {
  /** Relative to the registry root, POSIX separators, under servers/ or registry/. */
  path: string;
  text: string;
}

const ALLOWED_TOP = new Set(['servers', 'registry']);

/** Refuses any path that is absolute, climbs with '..', or leaves servers/ and registry/. */
export function assertRegistryPath(path: string): void {
  const parts = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..') || !ALLOWED_TOP.has(parts[0]!)) {
    throw environmentError(`refusing to write '${path}': import and sync write only under servers/ and registry/`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` over `items`, `width` at a time; the first failure stops new work and is thrown. */
async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += width) {
    const results = await Promise.allSettled(items.slice(start, start + width).map((item, k) => fn(item, start + k)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

const WIDTH = 32;

/** `hooks.beforeRename` lets tests fail the commit midway. */
export async function commitFiles(
  root: string,
  changes: readonly FileChange[],
  hooks: { beforeRename?: (index: number) => void } = {},
): Promise<void> {
  if (changes.length === 0) return;
  for (const change of changes) assertRegistryPath(change.path);
  const stage = await mkdtemp(join(root, '.mcp-registry-staging-'));
  const done: { target: string; backup?: string }[] = [];
  const createdDirs: string[] = [];
  const ensured = new Map<string, Promise<void>>();
  const ensureDir = (dir: string): Promise<void> => {
    let pending = ensured.get(dir);
    if (!pending) {
      pending = mkdir(dir, { recursive: true }).then((created) => {
        if (created !== undefined) createdDirs.push(created);
      });
      ensured.set(dir, pending);
    }
    return pending;
  };
  try {
    await mkdir(join(stage, 'new'), { recursive: true });
    await mkdir(join(stage, 'old'), { recursive: true });
    await inBatches(changes, WIDTH, (change, i) => writeFile(join(stage, 'new', String(i)), change.text));
    await inBatches(changes, WIDTH, async (change, i) => {
      hooks.beforeRename?.(i);
      const target = join(root, change.path);
      await ensureDir(dirname(target));
      const step: { target: string; backup?: string } = { target };
      if (await exists(target)) {
        step.backup = join(stage, 'old', String(i));
        await rename(target, step.backup);
      }
      done.push(step);
      await rename(join(stage, 'new', String(i)), target);
    });
  } catch (error) {
    // Let renames already started finish before undoing them.
    await new Promise((r) => setImmediate(r));
    for (const step of done.reverse()) {
      await rm(step.target, { force: true });
      if (step.backup !== undefined) await rename(step.backup, step.target);
    }
    // Folders this commit created held only files it wrote, all removed above.
    for (const dir of createdDirs.sort().reverse()) await rm(dir, { recursive: true, force: true });
    await rm(stage, { recursive: true, force: true });
    throw environmentError(`could not write the registry files; nothing was changed: ${(error as Error).message}`, error);
  }
  await rm(stage, { recursive: true, force: true });
}
