/**
 * Renames mirrored from an upstream of ours: `sync` reads the upstream's `v0.1/renames.json` (the renames its
 * build followed) and records each one here as a rename record, so a subregistry answers the old name as its
 * upstream does. Pure: the upstream's renames, this registry's records and names in; records to write and the
 * renames left out (with why) out.
 */
import type { RenameRecord } from '../state/rename-file.ts';
import { renameProblems } from './rename.ts';

export interface UpstreamRename {
  from: string;
  to: string;
  renamedAt: string;
  /**
   * The old name's versions the new name never published, as the upstream answers them under the old name
   * (`kept` in renames.json): a mirror takes them in like listed entries, so it answers them too.
   */
  kept?: unknown[];
}

export interface MirroredRenames {
  /** New records, sorted by old name. */
  records: RenameRecord[];
  /** Renames not recorded because this registry disagrees (`from` is renamed elsewhere, a chain, a cycle). */
  conflicts: { rename: UpstreamRename; reason: string }[];
}

/** The `renames` of an upstream's `v0.1/renames.json` text; undefined when it is not that file's shape. */
export function parseUpstreamRenames(text: string): UpstreamRename[] | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = (raw as { renames?: unknown } | null)?.renames;
  if (!Array.isArray(list)) return undefined;
  const out: UpstreamRename[] = [];
  for (const r of list as unknown[]) {
    const { from, to, renamedAt, kept } = (r ?? {}) as Record<string, unknown>;
    if (typeof from !== 'string' || typeof to !== 'string' || typeof renamedAt !== 'string') return undefined;
    if (kept !== undefined && !Array.isArray(kept)) return undefined;
    out.push({ from, to, renamedAt, ...(Array.isArray(kept) && kept.length > 0 ? { kept: kept as unknown[] } : {}) });
  }
  return out;
}

/**
 * The upstream's kept versions to take in beside its listed entries: only answers that name the old name
 * they are kept under (a renames.json cannot slip in another server this way), and none the walk already
 * listed. They go through the same plan (policy, validation, provenance) as every listed entry.
 */
export function keptResponses(upstream: readonly UpstreamRename[], listed: readonly unknown[]): unknown[] {
  const key = (item: unknown): string | undefined => {
    const server = (item as { server?: { name?: unknown; version?: unknown } } | null)?.server;
    return typeof server?.name === 'string' && typeof server.version === 'string' ? `${server.name.toLowerCase()}@${server.version}` : undefined;
  };
  const seen = new Set(listed.map(key).filter((k) => k !== undefined));
  const out: unknown[] = [];
  for (const rename of upstream) {
    for (const item of rename.kept ?? []) {
      const k = key(item);
      if (k === undefined || !k.startsWith(`${rename.from.toLowerCase()}@`) || seen.has(k)) continue;
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

/**
 * The records to add for `upstream`'s renames. Mirrored only when the new name is in this registry (`names`,
 * lower-cased: the policy may leave it out); the old name need not be, since the upstream lists only the new
 * one and a fresh mirror never saw the old. A rename already recorded the same way is left alone. The
 * upstream's decision is recorded as a maintainer's (`renamedBy: maintainer`): no owner of ours proved it.
 */
export function mirroredRenames(upstream: readonly UpstreamRename[], existing: readonly RenameRecord[], names: ReadonlySet<string>): MirroredRenames {
  const records: RenameRecord[] = [];
  const conflicts: MirroredRenames['conflicts'] = [];
  const sorted = [...upstream].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const rename of sorted) {
    const from = rename.from.toLowerCase();
    const to = rename.to.toLowerCase();
    if (!names.has(to)) continue;
    const known = existing.find((r) => r.from === from);
    if (known?.to === to) continue;
    const next: RenameRecord = { from, to, renamedAt: rename.renamedAt, renamedBy: 'maintainer' };
    const problems = renameProblems([...existing, ...records], next, { ownsName: () => true, otherChangedPaths: [] });
    if (problems.length > 0) {
      conflicts.push({ rename, reason: problems.map((p) => p.message).join('; ') });
      continue;
    }
    records.push(next);
  }
  return { records, conflicts };
}
