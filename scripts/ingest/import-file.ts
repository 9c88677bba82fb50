/**
 * `mcp-registry import FILE`: the edge that reads the file and the tree, plans, and commits
 * entries, registry-owned state and the quarantine report as one atomic change.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { Report } from '../core/diagnostics.ts';
import { diagnostic, fileReport, report } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { createPositionLocator } from '../load/positions.ts';
import { readServersTree } from '../load/servers-tree.ts';
import type { ImportCode } from './codes.ts';
import { clearOldStaging, commitFiles, recoverCommit, recoveryNotes } from './commit-files.ts';
import type { CommitHooks, FileChange } from './commit-files.ts';
import type { EntryPlan, PlanContext, ValidateDocument } from './plan-entries.ts';
import { planEntries } from './plan-entries.ts';
import { planReport } from './plan-report.ts';
import { quarantineFileName, renderQuarantine } from './quarantine.ts';
import type { ImportItem, ImportShape } from './read-import.ts';
import { readImport } from './read-import.ts';
import { treeReader } from './registry-files.ts';
import { stateChanges } from './state-changes.ts';

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
    const d = diagnostic(
      'import/not-json' satisfies ImportCode,
      `${file} is not JSON (${(error as Error).message}); import takes API pages, server.json arrays or the seed file`,
    );
    return { report: report([fileReport(file, [d])]), written: [] };
  }
  const read = readImport(value);
  if (!read.ok) return { report: report([fileReport(file, [read.diagnostic])]), written: [] };
  const recovered = [...recoveryNotes(await recoverCommit(root, options.commitHooks)), ...(await clearOldStaging(root))];
  const readExisting = treeReader(root);
  const tree = await readServersTree(root);
  const plan = planEntries(read.items, { config, validate: options.validate, readExisting, tree, ...(options.exclude ? { exclude: options.exclude } : {}) });
  const fetchedAt = options.now?.().toISOString() ?? importTime(read.items);
  const source = `file:${basename(file)}`;
  const state = stateChanges(
    plan.accepted.filter((a) => a.isNew || Object.keys(a.official).length > 0),
    { upstream: source, fetchedAt, readExisting },
  );
  // A status file that does not parse is never rewritten: what a moderator wrote there would be lost.
  if (!state.ok)
    return { report: report([...(recovered.length > 0 ? [fileReport(file, recovered)] : []), ...state.unreadable]), shape: read.shape, plan, written: [] };
  const changes: FileChange[] = [...plan.writes, ...state.changes];
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
