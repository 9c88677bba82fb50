/**
 * Writes a set of registry files as one change that survives the process being killed at any
 * point (a redo journal):
 *
 *   1. every new file is staged in `.mcp-registry-commit/new/`, and every file it replaces is
 *      hard-linked into `old/`; the tree is untouched so far;
 *   2. `plan.json` is renamed into place: the commit point;
 *   3. the staged files are renamed over their targets (each rename is atomic);
 *   4. the folder is removed.
 *
 * A run that finds the folder (`recoverCommit`, called before sync and import read the tree)
 * discards it when there is no plan (killed before the commit point: the old tree), finishes the
 * renames when the plan says `forward` (the new tree), and puts the `old/` links back when it says
 * `back` (a failure midway was being undone: the old tree). Every step can be repeated, so a
 * recovery that is itself killed is recovered by the next run. Guarantees hold against the
 * process dying, not against power loss (files are not fsynced, only the plan).
 */
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import { warning } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { isRecord } from '../core/is-record.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import type { CommitCode } from './codes.ts';

export interface FileChange {
  /** Relative to the registry root, POSIX separators, under servers/ or registry/. */
  path: string;
  text: string;
}

export interface CommitHooks {
  /** Awaited before each file-system operation of a commit or a recovery, numbered from 1 in each (fault tests). */
  beforeStep?: (step: number, phase: 'commit' | 'recover') => void | Promise<void>;
  /** Called before the staged file `index` is renamed into place; a throw fails the commit there. */
  beforeRename?: (index: number) => void;
}

export type Recovery = 'none' | 'discarded' | 'completed' | 'rolled-back';

interface CommitPlan {
  state: 'forward' | 'back';
  changes: { path: string; existed: boolean }[];
  /** Folders the commit creates, so undoing it leaves none behind. */
  createdDirs: string[];
}

export const COMMIT_DIR = '.mcp-registry-commit';

const ALLOWED_TOP = new Set(['servers', 'registry']);

/** Refuses any path that is absolute, climbs with '..', or leaves servers/ and registry/. */
export function assertRegistryPath(path: string): void {
  const parts = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..') || !ALLOWED_TOP.has(parts[0] ?? '')) {
    throw environmentError(`refusing to write '${path}': import and sync write only under servers/ and registry/`);
  }
}

function stepper(hooks: CommitHooks, phase: 'commit' | 'recover'): () => Promise<void> {
  let n = 0;
  return async () => {
    n += 1;
    await hooks.beforeStep?.(n, phase);
  };
}

type Step = () => Promise<void>;

/** A second name for the file being replaced; a copy where the file system has no hard links. */
async function keepOld(target: string, backup: string): Promise<void> {
  try {
    await link(target, backup);
  } catch {
    await copyFile(target, backup);
  }
}

/** The commit point: once plan.json is whole on disk, a recovery finishes the commit. */
async function writePlan(dir: string, plan: CommitPlan, step: Step): Promise<void> {
  await step();
  await writeFileAtomically(join(dir, 'plan.json'), JSON.stringify(plan));
}

async function rollForward(root: string, dir: string, plan: CommitPlan, step: Step, beforeRename?: (index: number) => void): Promise<void> {
  const made = new Set<string>();
  for (const [i, change] of plan.changes.entries()) {
    const staged = join(dir, 'new', String(i));
    if (!existsSync(staged)) continue;
    beforeRename?.(i);
    const target = join(root, change.path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      await step();
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await step();
    await rename(staged, target);
  }
}

async function rollBack(root: string, dir: string, plan: CommitPlan, step: Step): Promise<void> {
  if (plan.state !== 'back') await writePlan(dir, { ...plan, state: 'back' }, step);
  for (const [i, change] of [...plan.changes.entries()].reverse()) {
    const target = join(root, change.path);
    const backup = join(dir, 'old', String(i));
    if (existsSync(backup)) {
      // Where the file was never replaced, both names are one file and the rename does nothing.
      await step();
      await rename(backup, target);
    } else if (!change.existed && !existsSync(join(dir, 'new', String(i)))) {
      await step();
      await rm(target, { force: true });
    }
  }
  for (const folder of [...plan.createdDirs].sort().reverse()) {
    await step();
    await rmdir(join(root, folder)).catch(() => undefined);
  }
}

async function readPlan(dir: string): Promise<CommitPlan | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const plan = raw as CommitPlan;
  if (!isRecord(raw) || !Array.isArray(plan.changes) || !Array.isArray(plan.createdDirs) || (plan.state !== 'forward' && plan.state !== 'back')) {
    return undefined;
  }
  for (const change of plan.changes) assertRegistryPath(change.path);
  for (const folder of plan.createdDirs) assertRegistryPath(folder);
  return plan;
}

/** Finishes or undoes a commit that a killed run left behind; `none` when there was none. */
export async function recoverCommit(root: string, hooks: CommitHooks = {}): Promise<Recovery> {
  const dir = join(root, COMMIT_DIR);
  if (!existsSync(dir)) return 'none';
  const step = stepper(hooks, 'recover');
  const plan = await readPlan(dir);
  let outcome: Recovery = 'discarded';
  if (plan?.state === 'forward') {
    await rollForward(root, dir, plan, step);
    outcome = 'completed';
  } else if (plan?.state === 'back') {
    await rollBack(root, dir, plan, step);
    outcome = 'rolled-back';
  }
  await step();
  await rm(dir, { recursive: true, force: true });
  return outcome;
}

const RECOVERED: Record<Exclude<Recovery, 'none'>, string> = {
  discarded: 'was killed before it changed anything; its staged files were removed',
  completed: 'was killed while renaming its files into place; the rest of them were put in place from its plan',
  'rolled-back': 'was killed while undoing a failed write; the files it had replaced were put back',
};

/** What the report says about a recovery this run made before reading the tree. */
export function recoveryNotes(recovery: Recovery): Diagnostic[] {
  if (recovery === 'none') return [];
  const message = `an earlier sync or import ${RECOVERED[recovery]} (${COMMIT_DIR}/), before this run read the tree`;
  return [warning('commit/recovered' satisfies CommitCode, message)];
}

/** What the commit of earlier versions staged in, under the registry root; the journal replaced it. */
const OLD_STAGING_PREFIX = '.mcp-registry-staging-';

async function filesIn(dir: string): Promise<number> {
  return (await readdir(dir).catch(() => [] as string[])).length;
}

/**
 * Clears the staging folders that a killed commit of an earlier version left in the root. One
 * whose `old/` is empty held nothing but copies of new files, and is removed; one that still holds
 * files it had replaced has no record of where they belong, so it is kept and reported.
 */
export async function clearOldStaging(root: string): Promise<Diagnostic[]> {
  const names = (await readdir(root).catch(() => [] as string[])).filter((n) => n.startsWith(OLD_STAGING_PREFIX)).sort();
  const notes: Diagnostic[] = [];
  for (const name of names) {
    const held = await filesIn(join(root, name, 'old'));
    if (held === 0) {
      await rm(join(root, name), { recursive: true, force: true });
      continue;
    }
    notes.push(
      warning(
        'commit/stale-staging' satisfies CommitCode,
        `${name}/ was left by an import or sync of an earlier version that was killed while writing; its old/ folder holds ${held} file(s) that run had replaced, with no record of their paths. Compare them with registry/ (git status shows what is missing), put back what is missing, then remove the folder`,
      ),
    );
  }
  return notes;
}

/** Missing folders between the root and each target, shallowest first. */
async function missingDirs(root: string, paths: readonly string[]): Promise<string[]> {
  const missing = new Set<string>();
  const known = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').slice(0, -1);
    for (let k = 1; k <= parts.length; k += 1) {
      const folder = parts.slice(0, k).join('/');
      if (known.has(folder) || missing.has(folder)) continue;
      if (existsSync(join(root, folder))) known.add(folder);
      else missing.add(folder);
    }
  }
  return [...missing].sort();
}

export async function commitFiles(root: string, changes: readonly FileChange[], hooks: CommitHooks = {}): Promise<void> {
  if (changes.length === 0) return;
  for (const change of changes) assertRegistryPath(change.path);
  const dir = join(root, COMMIT_DIR);
  const step = stepper(hooks, 'commit');
  let plan: CommitPlan;
  try {
    await step();
    await mkdir(dir);
  } catch (error) {
    // Callers recover a killed run's commit before they read the tree, so this is another run.
    throw environmentError(
      `could not start writing the registry files (${(error as Error).message}); is another sync or import writing into this folder? Nothing was changed`,
      error,
    );
  }
  try {
    await mkdir(join(dir, 'new'));
    await mkdir(join(dir, 'old'));
    const planned: CommitPlan['changes'] = [];
    for (const [i, change] of changes.entries()) {
      await step();
      await writeFile(join(dir, 'new', String(i)), change.text);
      const target = join(root, change.path);
      const existed = existsSync(target);
      if (existed) {
        await step();
        await keepOld(target, join(dir, 'old', String(i)));
      }
      planned.push({ path: change.path, existed });
    }
    plan = {
      state: 'forward',
      changes: planned,
      createdDirs: await missingDirs(
        root,
        changes.map((c) => c.path),
      ),
    };
    await writePlan(dir, plan, step);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw environmentError(`could not write the registry files; nothing was changed: ${(error as Error).message}`, error);
  }
  try {
    await rollForward(root, dir, plan, step, hooks.beforeRename);
  } catch (error) {
    await rollBack(root, dir, plan, step);
    await rm(dir, { recursive: true, force: true });
    throw environmentError(`could not write the registry files; nothing was changed: ${(error as Error).message}`, error);
  }
  await step();
  await rm(dir, { recursive: true, force: true });
}
