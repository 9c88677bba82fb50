/**
 * The approved list in `_meta`: every approved version carries `approved: {by, at, note?}` under the
 * registry's own key, merged like an overlay (pure). The key is the approved list's alone: an overlay
 * that sets it is an error, so `_meta` never claims an approval the list does not hold.
 */
import { buildCatalog } from '../catalog/catalog.ts';
import type { Catalog, CatalogEntry, CatalogInput } from '../catalog/catalog.ts';
import { diagnostic, fileReport, warning } from '../core/diagnostics.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import type { OverlayFile } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';
import { escapeToken } from '../core/json-pointer.ts';
import { APPROVALS_FILE, approvalMeta, approvalOf, EVERY_VERSION } from './approvals.ts';
import type { Approvals, ParsedApprovals } from './approvals.ts';
import type { ViewCode } from './codes.ts';

/** The `_meta[<metaNamespace>]` key approvals are written under. */
export const APPROVED_KEY = 'approved';

export interface ApprovalProblem {
  path: string;
  diagnostic: Diagnostic;
}

/**
 * `published`: lower-cased names with files under servers/ (approvals of others are only warned about,
 * by unknownApprovals); `overlayPath`: the file an overlay came from (for the reserved-key error).
 */
export function overlaysWithApprovals(
  overlays: ReadonlyMap<string, OverlayFile>,
  approvals: Approvals,
  published: ReadonlySet<string>,
  overlayPath: (name: string) => string,
): { overlays: Map<string, OverlayFile>; problems: ApprovalProblem[] } {
  const problems: ApprovalProblem[] = [];
  for (const [name, overlay] of overlays) {
    const pointers = [
      ...(overlay.meta && APPROVED_KEY in overlay.meta ? [`/meta/${APPROVED_KEY}`] : []),
      ...Object.entries(overlay.versions ?? {})
        .filter(([, extra]) => APPROVED_KEY in extra)
        .map(([version]) => `/versions/${escapeToken(version)}/${APPROVED_KEY}`),
    ];
    for (const pointer of pointers) {
      problems.push({
        path: overlayPath(name),
        diagnostic: diagnostic(
          'approval/reserved-key' satisfies ViewCode,
          `'${APPROVED_KEY}' is written from ${APPROVALS_FILE}, which only maintainers change; remove it from the overlay and approve in ${APPROVALS_FILE}`,
          { pointer },
        ),
      });
    }
  }
  const out = new Map(overlays);
  for (const [name, records] of approvals) {
    if (!published.has(name)) continue;
    const base = out.get(name) ?? {};
    const next: OverlayFile = { ...base, versions: { ...base.versions } };
    const every = approvalOf(new Map([[name, records.filter((r) => r.versions.includes(EVERY_VERSION))]]), name, EVERY_VERSION);
    if (every) next.meta = { ...base.meta, [APPROVED_KEY]: approvalMeta(every) };
    for (const version of new Set(records.flatMap((r) => r.versions).filter((v) => v !== EVERY_VERSION))) {
      const r = approvalOf(approvals, name, version);
      if (r && next.versions) next.versions[version] = { ...next.versions[version], [APPROVED_KEY]: approvalMeta(r) };
    }
    out.set(name, next);
  }
  return { overlays: out, problems };
}

/** Approvals of a server or version this registry does not have: a typo, or a version not yet synced. */
export function unknownApprovals(approvals: Approvals, entries: readonly CatalogEntry[]): Diagnostic[] {
  const versions = new Map<string, Set<string>>();
  for (const e of entries) {
    const key = e.name.toLowerCase();
    versions.set(key, (versions.get(key) ?? new Set()).add(e.version));
  }
  const out: Diagnostic[] = [];
  for (const [name, records] of approvals) {
    const known = versions.get(name);
    records.forEach((r, i) => {
      const pointer = `/${escapeToken(name)}/${i}/versions`;
      if (known === undefined) {
        out.push(
          warning('approval/unknown-server' satisfies ViewCode, `${name} is not a server of this registry; check the name (or sync first)`, { pointer }),
        );
        return;
      }
      const missing = r.versions.filter((v) => v !== EVERY_VERSION && !known.has(v));
      if (missing.length > 0) {
        out.push(
          warning('approval/unknown-server' satisfies ViewCode, `${name} has no version ${missing.join(', ')}; check the versions (or sync first)`, {
            pointer,
          }),
        );
      }
    });
  }
  return out;
}

/**
 * The registry's catalog with the approved list in `_meta`, and the input it was built from (the views
 * rebuild theirs from part of it). Overlays that set the reserved key are reported as catalog diagnostics.
 */
export function catalogWithApprovals(approvals: ParsedApprovals, input: CatalogInput): { catalog: Catalog; input: CatalogInput } {
  const published = new Set(input.entries.map((e) => e.server.name.toLowerCase()));
  const merged = overlaysWithApprovals(input.overlays ?? new Map(), approvals.approvals, published, (name) => statePath('overlays', name));
  const withApprovals: CatalogInput = { ...input, overlays: merged.overlays };
  const catalog = buildCatalog(withApprovals);
  catalog.diagnostics.push(...merged.problems);
  return { catalog, input: withApprovals };
}

/** What the build reports about registry/approved.yaml: its own problems, then approvals of nothing. */
export function approvalReports(approvals: ParsedApprovals, catalog: Catalog): FileReport[] {
  const diagnostics = [...approvals.diagnostics, ...unknownApprovals(approvals.approvals, catalog.entries)];
  return diagnostics.length > 0 ? [fileReport(APPROVALS_FILE, diagnostics)] : [];
}
