/**
 * The plan of a sync (pure: the walk's items and a snapshot of the tree are passed in): entries
 * through validation, policy and precedence, then status, provenance, removals, the watermark and
 * the quarantine report, as the file changes one commit writes — or, when a full walk would mark
 * more versions deleted than allowed, the diagnostic that holds them and no changes at all, and
 * when a status file it would rewrite does not parse, the reports that refuse it and no changes.
 */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import { compareStrings } from '../core/compare.ts';
import type { Diagnostic, FileReport } from '../core/diagnostics.ts';
import { diagnostic } from '../core/diagnostics.ts';
import type { ProvenanceFile } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';
import type { TreeFile } from '../load/servers-tree.ts';
import type { NameOwner, Upstream } from '../policy/upstreams.ts';
import { precedenceConflict, upstreamKey } from '../policy/upstreams.ts';
import type { SyncCode } from './codes.ts';
import type { FileChange } from './commit-files.ts';
import { entryPath } from './entry-path.ts';
import type { EntryPlan, ValidateDocument } from './plan-entries.ts';
import { planEntries } from './plan-entries.ts';
import { quarantineFileName, renderQuarantine } from './quarantine.ts';
import { fromResponses } from './read-import.ts';
import type { ImportItem } from './read-import.ts';
import type { ReadExisting } from './registry-files.ts';
import type { RemovalLimit } from './removal-limit.ts';
import { allowedRemovals, DEFAULT_REMOVAL_LIMIT } from './removal-limit.ts';
import type { RemovedVersion } from './state-changes.ts';
import { stateChanges } from './state-changes.ts';
import { parseState } from './state-updates.ts';
import type { SavedSync } from './sync-state.ts';
import { renderSavedSync, syncStatePath } from './sync-state.ts';
import { nextWatermark } from './upstream-location.ts';

/** What the plan may know of the registry as it is, read by the edge before planning. */
export interface SyncTree {
  readExisting: ReadExisting;
  /** True when the registry path (file or folder) exists. */
  exists: (path: string) => boolean;
  /** The files under servers/ (load/servers-tree.ts), for the registry-wide rules. */
  files: readonly TreeFile[];
  /** `registry/upstream/<namespace>/<name>.yaml` paths. */
  provenanceFiles: readonly string[];
  /** `<namespace>/<name>` of every folder under servers/, as published (provenance names are lower-cased). */
  serverFolders: readonly string[];
}

export interface SyncPlanInput {
  /** The upstream as given by --from (for the command the report suggests). */
  from: string;
  /** The API root that was walked. */
  base: string;
  /** Raw items of the walk. */
  items: unknown[];
  /** `name@version` of every item the walk saw. */
  seen: ReadonlySet<string>;
  /** Set for an incremental walk: no removals can be told then. */
  since?: string;
  /** The upstream's clock when the walk began, if it said. */
  startedAt?: string;
  slug: string;
  saved?: SavedSync;
  policyDigest: string;
  fetchedAt: string;
  config: RegistryConfig;
  validate: ValidateDocument;
  exclude?: (server: ServerJson, official: { status?: ServerStatus }) => string | undefined;
  upstreams: readonly Upstream[];
  removalLimit?: RemovalLimit;
  allowRemovals?: number;
  tree: SyncTree;
}

export interface SyncCounts {
  fetched: number;
  removed: number;
  withdrawn: number;
  stateFiles: number;
}

export type SyncPlan =
  | {
      held: true;
      plan: EntryPlan;
      counts: SyncCounts;
      /** sync/too-many-removals. */
      diagnostic: Diagnostic;
      removalsHeld: { removals: number; allowed: number; mirrored: number };
    }
  | {
      held: false;
      plan: EntryPlan;
      counts: SyncCounts;
      refused: true;
      /** Status files the run would rewrite but cannot read (commit/unreadable-status): nothing is written. */
      unreadable: FileReport[];
    }
  | {
      held: false;
      refused: false;
      plan: EntryPlan;
      counts: SyncCounts;
      changes: FileChange[];
      /** The items were not a list of {server, _meta}. */
      shapeProblem?: Diagnostic;
      watermark?: string;
      /** Set when this run quarantined entries. */
      quarantinePath?: string;
    };

function ownerReader(tree: SyncTree): (name: string) => NameOwner {
  return (name) => {
    const provenance = parseState<ProvenanceFile>(tree.readExisting(statePath('upstream', name)));
    if (provenance && typeof provenance.upstream === 'string' && !provenance.upstream.startsWith('file:')) {
      return { kind: 'upstream', url: provenance.upstream };
    }
    const where = entryPath(name, 'x');
    if (where.ok && tree.exists(where.value.slice(0, where.value.lastIndexOf('/')))) return { kind: 'local' };
    return undefined;
  };
}

/** True when this upstream gave us this version before (its provenance names the version). */
function mirroredBefore(server: { name: string; version: string }, upstream: string, readExisting: ReadExisting): boolean {
  const provenance = parseState<ProvenanceFile>(readExisting(statePath('upstream', server.name)));
  return provenance !== undefined && upstreamKey(String(provenance.upstream)) === upstreamKey(upstream) && provenance.versions?.[server.version] !== undefined;
}

/** Versions this upstream gave us before that a full walk no longer lists, and how many it gave us that are not deleted. */
function removedVersions(tree: SyncTree, upstream: string, seen: ReadonlySet<string>): { removed: RemovedVersion[]; mirrored: number } {
  if (tree.provenanceFiles.length === 0) return { removed: [], mirrored: 0 };
  const folders = new Map<string, string>(tree.serverFolders.map((folder) => [folder.toLowerCase(), folder]));
  const removed: RemovedVersion[] = [];
  let mirrored = 0;
  const key = upstreamKey(upstream);
  for (const file of [...tree.provenanceFiles].sort()) {
    const provenance = parseState<ProvenanceFile>(tree.readExisting(file));
    if (!provenance || upstreamKey(String(provenance.upstream)) !== key) continue;
    const name = folders.get(file.slice('registry/upstream/'.length, -'.yaml'.length));
    if (name === undefined) continue;
    for (const [version, record] of Object.entries(provenance.versions ?? {}).sort(([a], [b]) => compareStrings(a, b))) {
      // Already recorded as gone: a moderator may have restored it since, which stands.
      if (record.status === 'deleted' || !tree.exists(`servers/${name}/${version}.json`)) continue;
      mirrored += 1;
      if (!seen.has(`${name}@${version}`)) removed.push({ name, version });
    }
  }
  return { removed, mirrored };
}

/** Refuses a run that would remove more than it may; nothing is written then. */
function heldRemovals(removed: readonly RemovedVersion[], mirrored: number, allowed: number, input: SyncPlanInput): Diagnostic {
  const examples = removed
    .slice(0, 3)
    .map((r) => `${r.name}@${r.version}`)
    .join(', ');
  const more = removed.length > 3 ? ` and ${removed.length - 3} more` : '';
  const limit = input.removalLimit ?? DEFAULT_REMOVAL_LIMIT;
  const why =
    input.allowRemovals !== undefined
      ? `--allow-removals ${input.allowRemovals}`
      : `maxRemovals ${limit.percent}% of ${mirrored} mirrored versions, at most ${limit.count}`;
  return diagnostic(
    'sync/too-many-removals' satisfies SyncCode,
    `a full walk of ${input.base} no longer lists ${removed.length} of the ${mirrored} versions mirrored from it (${examples}${more}), more than the ${allowed} one sync may mark deleted (${why}). ` +
      'An upstream whose listing ends early looks exactly like this, so nothing was written. ' +
      `Check the upstream; if it really removed them, confirm with: mcp-registry sync --from ${input.from} --full --allow-removals ${removed.length}`,
  );
}

export function planSync(input: SyncPlanInput): SyncPlan {
  const { base, tree } = input;
  const { readExisting } = tree;
  const converted = fromResponses(input.items, '/servers');
  const items: ImportItem[] = Array.isArray(converted) ? converted : [];
  const ownerOf = ownerReader(tree);
  const byPolicy = new Set<string>();
  const plan = planEntries(items, {
    config: input.config,
    validate: input.validate,
    readExisting,
    tree: tree.files,
    exclude: (server, official) => {
      const conflict = precedenceConflict(input.upstreams, base, ownerOf(server.name));
      if (conflict !== undefined) return conflict;
      const reason = input.exclude?.(server, official);
      // A policy on statuses chooses what comes in; a version mirrored before still follows its
      // upstream into deprecated or deleted, or the mirror would go on serving it as active.
      if (
        reason !== undefined &&
        (official.status ?? 'active') !== 'active' &&
        input.exclude?.(server, { ...official, status: 'active' }) === undefined &&
        mirroredBefore(server, base, readExisting)
      ) {
        return undefined;
      }
      if (reason !== undefined) byPolicy.add(`${server.name}@${server.version}`);
      return reason;
    },
  });
  const { removed, mirrored } = input.since === undefined ? removedVersions(tree, base, input.seen) : { removed: [], mirrored: 0 };
  const allowed = input.allowRemovals ?? allowedRemovals(input.removalLimit ?? DEFAULT_REMOVAL_LIMIT, mirrored);
  if (removed.length > allowed) {
    return {
      held: true,
      plan,
      counts: { fetched: items.length, removed: removed.length, withdrawn: 0, stateFiles: 0 },
      diagnostic: heldRemovals(removed, mirrored, allowed, input),
      removalsHeld: { removals: removed.length, allowed, mirrored },
    };
  }
  // A version mirrored before that the policy now leaves out (the fork tightened it) is hidden too.
  const withdrawn = plan.skipped.filter((s) => byPolicy.has(`${s.name}@${s.version}`) && mirroredBefore(s, base, readExisting));
  removed.push(...withdrawn.map((s) => ({ name: s.name, version: s.version, policyReason: `left out by this registry's policy: ${s.reason}` })));
  const state = stateChanges(plan.accepted, { upstream: base, fetchedAt: input.fetchedAt, readExisting }, removed);
  if (!state.ok) {
    return { held: false, plan, counts: { fetched: items.length, removed: 0, withdrawn: 0, stateFiles: 0 }, refused: true, unreadable: state.unreadable };
  }
  const stateFileChanges = state.changes;
  const changes: FileChange[] = [...plan.writes, ...stateFileChanges];

  const { saved } = input;
  const watermark = nextWatermark(
    items.flatMap((i) => (i.official.updatedAt ? [i.official.updatedAt] : [])),
    saved?.watermark,
    // Without the upstream's clock, ours: an updatedAt in the future must not stop later syncs.
    input.startedAt ?? input.fetchedAt,
  );
  if (watermark !== undefined && (watermark !== saved?.watermark || input.policyDigest !== saved?.policy)) {
    changes.push({ path: syncStatePath(input.slug), text: renderSavedSync({ upstream: base, watermark, policy: input.policyDigest }) });
  }
  const qPath = quarantineFileName(`sync-${input.slug}`);
  // An earlier report is rewritten even when empty, so it never lists entries that came in since.
  if (plan.quarantined.length > 0 || readExisting(qPath) !== undefined) {
    changes.push({ path: qPath, text: renderQuarantine(base, input.fetchedAt, plan.quarantined) });
  }
  return {
    held: false,
    refused: false,
    plan,
    counts: { fetched: items.length, removed: removed.length - withdrawn.length, withdrawn: withdrawn.length, stateFiles: stateFileChanges.length },
    changes,
    ...(Array.isArray(converted) ? {} : { shapeProblem: converted }),
    ...(watermark === undefined ? {} : { watermark }),
    ...(plan.quarantined.length > 0 ? { quarantinePath: qPath } : {}),
  };
}
