/** A plan's refused and noted entries as the validate report's files (pure). */
import { compareStrings } from '../core/compare.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import type { Position } from '../load/positions.ts';
import type { EntryPlan } from './plan-entries.ts';

/**
 * Entries refused or noted, as the contract's report (`path` = `SOURCE#pointer`). Positions from
 * validation refer to the entry as rendered; with `locate`, they are replaced by the line and column
 * in the source file (of the value itself, or of its nearest ancestor there), else left at 0:0.
 */
export function planReport(label: string, plan: EntryPlan, locate?: (pointer: string) => Position): FileReport[] {
  const files: FileReport[] = [];
  const place = (item: string, ds: Diagnostic[]): Diagnostic[] =>
    ds.map((d) => ({ ...d, ...(locate ? locate(`${item}${d.pointer}`) : { line: 0, column: 0 }) }));
  for (const q of plan.quarantined) files.push(fileReport(`${label}#${q.pointer}`, place(q.pointer, q.diagnostics)));
  for (const n of plan.notes) files.push(fileReport(`${label}#${n.pointer}`, place(n.pointer, n.diagnostics)));
  return files.sort((a, b) => compareStrings(a.path, b.path));
}
