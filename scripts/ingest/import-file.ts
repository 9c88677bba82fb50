/**
 * `mcp-registry import FILE`: the edge that reads the file and the tree, plans, and commits
 * entries, registry-owned state and the quarantine report as one atomic change.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { fileReport, report } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { createPositionLocator } from '../load/positions.ts';
import type { Position } from '../load/positions.ts';
import { commitFiles, recoverCommit, recoveryNotes } from './commit-files.ts';
import type { CommitHooks, FileChange } from './commit-files.ts';
import type { EntryPlan, PlanContext, ValidateDocument } from './plan-entries.ts';
import { planEntries, renderQuarantine } from './plan-entries.ts';
import type { ImportItem, ImportShape } from './read-import.ts';
import { readImport } from './read-import.ts';
import { stateChanges } from './state-changes.ts';
import { readTreeIndex } from './tree-index.ts';

export interface ImportOptions {
  root: string;
  file: string;
  config: RegistryConfig;
  validate: ValidateDocument;
  exclude?: PlanContext['exclude'];
  /** Overrides the time written as fetchedAt and checkedAt (default: the newest date in the file). */
  now?: () => Date;
  commitHooks?: CommitHooks;
}

export interface ImportOutcome {
  report: Report;
  shape?: ImportShape;
  plan?: EntryPlan;
  /** Registry paths written (entries, state, quarantine report). */
  written: string[];
  quarantinePath?: string;
}

/** Reads a registry file synchronously; undefined when absent. */
export function treeReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}

/**
 * Entries refused or noted, as the contract's report (`path` = `FILE#pointer`). Positions from
 * validation refer to the entry as rendered; with `locate`, they are replaced by the line and column
 * in the source file (of the value itself, or of its nearest ancestor there), else left at 0:0.
 */
export function planReport(label: string, plan: EntryPlan, locate?: (pointer: string) => Position): FileReport[] {
  const files: FileReport[] = [];
  const place = (item: string, ds: Diagnostic[]): Diagnostic[] =>
    ds.map((d) => ({ ...d, ...(locate ? locate(`${item}${d.pointer}`) : { line: 0, column: 0 }) }));
  for (const q of plan.quarantined) files.push(fileReport(`${label}#${q.pointer}`, place(q.pointer, q.diagnostics)));
  for (const n of plan.notes) files.push(fileReport(`${label}#${n.pointer}`, place(n.pointer, n.diagnostics)));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function quarantineFileName(source: string): string {
  return `registry/quarantine/${source.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^[-.]+/, '')}.json`;
}

/**
 * The time an import records (provenance fetchedAt, quarantine checkedAt): the newest upstream date
 * in the file, never the clock, so the same file gives the same bytes whenever it is imported.
 */
export function importTime(items: readonly ImportItem[]): string {
  let newest = 0;
  for (const { official } of items) {
    for (const t of [official.publishedAt, official.updatedAt, official.statusChangedAt]) {
      if (t !== undefined && Date.parse(t) > newest) newest = Date.parse(t);
    }
  }
  return new Date(newest).toISOString();
}

export async function importFile(options: ImportOptions): Promise<ImportOutcome> {
  const { root, file, config } = options;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw environmentError(`cannot read ${file}: ${(error as Error).message}`, error);
  }
  let value: unknown;
  text = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(text);
  } catch (error) {
    const d = { code: 'import/not-json', severity: 'error' as const, message: `${file} is not JSON (${(error as Error).message}); import takes API pages, server.json arrays or the seed file`, pointer: '', line: 0, column: 0 };
    return { report: report([fileReport(file, [d])]), written: [] };
  }
  const read = readImport(value);
  if (!read.ok) return { report: report([fileReport(file, [read.diagnostic])]), written: [] };
  const recovered = recoveryNotes(await recoverCommit(root, options.commitHooks));
  const readExisting = treeReader(root);
  const tree = await readTreeIndex(root);
  const plan = planEntries(read.items, { config, validate: options.validate, readExisting, tree, ...(options.exclude ? { exclude: options.exclude } : {}) });
  const fetchedAt = options.now?.().toISOString() ?? importTime(read.items);
  const source = `file:${basename(file)}`;
  const changes: FileChange[] = [
    ...plan.writes,
    ...stateChanges(plan.accepted.filter((a) => a.isNew || Object.keys(a.official).length > 0), { upstream: source, fetchedAt, readExisting }),
  ];
  let quarantinePath: string | undefined;
  if (plan.quarantined.length > 0) {
    quarantinePath = quarantineFileName(`import-${basename(file).replace(/\.json$/i, '')}`);
    changes.push({ path: quarantinePath, text: renderQuarantine(source, fetchedAt, plan.quarantined) });
  }
  await commitFiles(root, changes, options.commitHooks);
  const locator = createPositionLocator(text);
  const locate = (pointer: string) => locator.locate(pointer);
  const files = [...(recovered.length > 0 ? [fileReport(file, recovered)] : []), ...planReport(file, plan, locate)];
  const outcome: ImportOutcome = { report: report(files), shape: read.shape, plan, written: changes.map((c) => c.path) };
  if (quarantinePath !== undefined) outcome.quarantinePath = quarantinePath;
  return outcome;
}
