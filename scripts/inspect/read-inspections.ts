/**
 * The file-system edge for the build: every inspection file, checked against the schema, as
 * `_meta` additions per server (lower-cased name) and version. Files are written by automation
 * from strangers' answers, so one that fails the check is left out with a warning, never failing
 * a whole build.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { fileReport } from '../core/diagnostics.ts';
import type { FileReport } from '../core/diagnostics.ts';
import { INSPECTIONS_DIR, parseInspection } from './inspection-file.ts';
import { inspectionMeta } from './inspection-meta.ts';

export interface InspectionState {
  /** Lower-cased server name → version → what goes under `_meta[<metaNamespace>]`. */
  meta: Map<string, Record<string, Record<string, unknown>>>;
  reports: FileReport[];
}

export async function readInspections(root: string): Promise<InspectionState> {
  const state: InspectionState = { meta: new Map(), reports: [] };
  const files = (await fg(`${INSPECTIONS_DIR}/*/*/*.json`, { cwd: root, onlyFiles: true, followSymbolicLinks: false })).sort();
  for (const path of files) {
    const parsed = parseInspection(await readFile(join(root, path), 'utf8'), path);
    if (!parsed.value) {
      state.reports.push(
        fileReport(
          path,
          parsed.diagnostics.map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message}; it is left out of the build` })),
        ),
      );
      continue;
    }
    const lower = parsed.value.name.toLowerCase();
    const versions = state.meta.get(lower) ?? {};
    versions[parsed.value.version] = inspectionMeta(parsed.value);
    state.meta.set(lower, versions);
  }
  return state;
}
