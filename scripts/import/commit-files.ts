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
  try {
    for (const [i, change] of changes.entries()) {
      const staged = join(stage, 'new', String(i));
      await mkdir(dirname(staged), { recursive: true });
      await writeFile(staged, change.text);
    }
    await mkdir(join(stage, 'old'), { recursive: true });
    for (const [i, change] of changes.entries()) {
      hooks.beforeRename?.(i);
      const target = join(root, change.path);
      const created = await mkdir(dirname(target), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      const step: { target: string; backup?: string } = { target };
      if (await exists(target)) {
        step.backup = join(stage, 'old', String(i));
        await rename(target, step.backup);
      }
      done.push(step);
      await rename(join(stage, 'new', String(i)), target);
    }
  } catch (error) {
    for (const step of done.reverse()) {
      await rm(step.target, { force: true });
      if (step.backup !== undefined) await rename(step.backup, step.target);
    }
    // Folders this commit created held only files it wrote, all removed above.
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    await rm(stage, { recursive: true, force: true });
    throw environmentError(`could not write the registry files; nothing was changed: ${(error as Error).message}`, error);
  }
  await rm(stage, { recursive: true, force: true });
}
