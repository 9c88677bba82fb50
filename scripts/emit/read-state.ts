/**
 * The file-system edge for registry-owned state: reads every status, overlay and upstream file.
 * Provenance files (registry/upstream/) are written only by sync and import, from other people's
 * data: one that cannot be read is left out with a warning, so it never fails a whole build (the
 * versions then keep their dates from git). Status and overlay files stay errors: leaving out a
 * status file would serve versions a moderator deleted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { fileReport } from '../core/diagnostics.ts';
import type { OverlayFile, ProvenanceFile, StatusFile } from '../core/registry-state.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import type { OverlayValidator } from '../policy/overlay-schema.ts';
import type { ParsedState } from '../state/state-files.ts';
import { parseOverlayState, parseStatusState, parseUpstreamState } from '../state/state-files.ts';
import { readRenameRecords } from '../lifecycle/rename-store.ts';
import type { RenameRecord } from '../state/rename-file.ts';

export interface RegistryState {
  /** Keyed by lower-cased server name (`<namespace>/<server>` from the file's path). */
  status: Map<string, StatusFile>;
  overlays: Map<string, OverlayFile>;
  provenance: Map<string, ProvenanceFile>;
  /** registry/renames, by old name (sorted); a record that cannot be read is an error, like a status file. */
  renames: RenameRecord[];
  /** Files with problems; their content is left out of the build. */
  reports: FileReport[];
}

function leftOut(d: Diagnostic): Diagnostic {
  if (d.severity !== 'error') return d;
  return {
    ...d,
    severity: 'warning',
    message: `${d.message}; this file, written by sync or import, is left out of the build (run sync again, or fix or delete it)`,
  };
}

async function readKind<T>(
  root: string,
  kind: string,
  parse: (text: string) => ParsedState<T>,
  into: Map<string, T>,
  reports: FileReport[],
  skipBad = false,
): Promise<void> {
  const files = (await fg(`${STATE_DIR}/${kind}/*/*.yaml`, { cwd: root, onlyFiles: true })).sort();
  for (const path of files) {
    const parsed = parse(await readFile(join(root, path), 'utf8'));
    if (parsed.diagnostics.length > 0) reports.push(fileReport(path, skipBad ? parsed.diagnostics.map(leftOut) : parsed.diagnostics));
    if (parsed.value !== undefined) {
      const name = path.slice(`${STATE_DIR}/${kind}/`.length, -'.yaml'.length).toLowerCase();
      into.set(name, parsed.value);
    }
  }
}

export async function readRegistryState(root: string, overlaySchema?: OverlayValidator): Promise<RegistryState> {
  const state: RegistryState = { status: new Map(), overlays: new Map(), provenance: new Map(), renames: [], reports: [] };
  await readKind(root, 'status', parseStatusState, state.status, state.reports);
  await readKind(root, 'overlays', (t) => parseOverlayState(t, overlaySchema), state.overlays, state.reports);
  await readKind(root, 'upstream', parseUpstreamState, state.provenance, state.reports, true);
  const renames = await readRenameRecords(root);
  state.renames = renames.records;
  const byPath = new Map<string, Diagnostic[]>();
  for (const { path, diagnostic } of renames.problems) byPath.set(path, [...(byPath.get(path) ?? []), diagnostic]);
  for (const [path, diagnostics] of byPath) state.reports.push(fileReport(path, diagnostics));
  return state;
}
