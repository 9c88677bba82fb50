/**
 * Old server names that answer with a new one (registry/renames): which records the API may follow. Pure.
 * A record is followed only when its target is published and its old name is not itself still a published
 * server with its own record target, so a record can never hide a live server behind another one's answers.
 */
import type { ServerResponse } from '../core/api-types.ts';
import type { StatusActor } from '../core/registry-state.ts';
import type { RenameRecord } from '../state/rename-file.ts';

export interface Alias {
  /** The old name (lower-cased here; the catalog gives it as the old server spelled it). */
  from: string;
  /** The server whose answers the old name gives (lower-cased here; the catalog spells it as published). */
  to: string;
  renamedAt: string;
  /** Who recorded the rename: the owner, or a maintainer deciding a transfer. */
  renamedBy?: StatusActor;
  /** A maintainer's recorded reason (a transfer whose old owner is gone). */
  reason?: string;
  /**
   * The old name's own versions that the new name never published, as the catalog made them: they still
   * answer under the old name (its per-version paths and its versions list), so a client that pinned one keeps
   * working, but the lists no longer show them. Absent when there are none.
   */
  kept?: readonly ServerResponse[];
}

/**
 * `published`: lower-cased names with at least one version. A record whose target is unpublished, or that
 * points at another record's old name (a chain), is left out: the old name then answers as before.
 */
export function followableAliases(records: readonly RenameRecord[], published: ReadonlySet<string>): Map<string, Alias> {
  const olds = new Set(records.map((r) => r.from));
  const out = new Map<string, Alias>();
  for (const r of records) {
    if (r.from === r.to || !published.has(r.to) || olds.has(r.to)) continue;
    out.set(r.from, { from: r.from, to: r.to, renamedAt: r.renamedAt, renamedBy: r.renamedBy, ...(r.reason === undefined ? {} : { reason: r.reason }) });
  }
  return out;
}
