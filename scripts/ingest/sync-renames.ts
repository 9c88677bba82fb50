/**
 * The edge of lifecycle/mirror-renames.ts for `sync`: fetch the upstream's `v0.1/renames.json` (an upstream of
 * ours that followed renames), read this registry's records and names, and return the rename records to commit
 * with the sync's other files. An upstream without the file (the official registry, a build without renames)
 * has no renames to mirror.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { warning } from '../core/diagnostics.ts';
import { keptResponses, mirroredRenames, parseUpstreamRenames, type UpstreamRename } from '../lifecycle/mirror-renames.ts';
import { readRenameRecords } from '../lifecycle/rename-store.ts';
import { renamePath, serializeRenameFile } from '../state/rename-file.ts';
import type { SyncCode } from './codes.ts';
import type { FileChange } from './commit-files.ts';
import type { FetchPage } from './page-walk.ts';

/** `http://host/v0.1` → `http://host/v0.1/renames.json`; a `/v0` base has none (renames are a v0.1 file). */
export function renamesUrl(base: string): string | undefined {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/v0.1') ? `${trimmed}/renames.json` : undefined;
}

/** The upstream's renames; none when it has no `v0.1/renames.json` (or not in that file's shape). */
export async function fetchUpstreamRenames(base: string, fetchPage: FetchPage): Promise<UpstreamRename[]> {
  const url = renamesUrl(base);
  if (url === undefined) return [];
  const fetched = await fetchPage(url);
  if (!fetched.ok || fetched.status !== 200) return [];
  return parseUpstreamRenames(fetched.body.toString('utf8')) ?? [];
}

/**
 * The walk's items plus the versions the upstream keeps under names it renamed away (renames.json `kept`): it
 * answers them without listing them, so a fresh mirror would otherwise never have them.
 */
export function withKeptVersions(items: unknown[], upstream: readonly UpstreamRename[]): unknown[] {
  const kept = keptResponses(upstream, items);
  return kept.length === 0 ? items : [...items, ...kept];
}

/**
 * `seen` plus every version this tree has of a name the upstream renamed away: the upstream no longer lists
 * the old name but still answers it, so a full walk must not mark its versions deleted here.
 */
export function seenWithRenamed(
  seen: ReadonlySet<string>,
  upstream: readonly UpstreamRename[],
  tree: readonly { path: string; value?: unknown }[],
): Set<string> {
  const out = new Set(seen);
  const olds = new Set(upstream.map((r) => r.from.toLowerCase()));
  for (const file of tree) {
    const m = /^servers\/([^/]+\/[^/]+)\/[^/]+\.json$/.exec(file.path);
    const version = (file.value as { version?: unknown } | undefined)?.version;
    if (m?.[1] !== undefined && typeof version === 'string' && olds.has(m[1].toLowerCase())) out.add(`${m[1]}@${version}`);
  }
  return out;
}

/**
 * Rename records for the upstream's renames whose new name is here after this sync (`names`, lower-cased).
 * A rename this registry records differently, a chain or a cycle is left out with a `sync/rename-conflict` note.
 */
export async function syncRenames(
  root: string,
  upstream: readonly UpstreamRename[],
  names: ReadonlySet<string>,
): Promise<{ changes: FileChange[]; notes: Diagnostic[] }> {
  if (upstream.length === 0) return { changes: [], notes: [] };
  const { records } = await readRenameRecords(root);
  const mirrored = mirroredRenames(upstream, records, names);
  return {
    changes: mirrored.records.map((r) => ({ path: renamePath(r.from), text: serializeRenameFile(r) })),
    notes: mirrored.conflicts.map(({ rename, reason }) =>
      warning(
        'sync/rename-conflict' satisfies SyncCode,
        `the upstream renamed ${rename.from} to ${rename.to}, which this registry does not record: ${reason}. A maintainer decides which rename stands`,
      ),
    ),
  };
}
