/**
 * `mcp-registry sync --from URL`: mirrors an upstream registry API into servers/ (the edge).
 * Walk (resumable) → plan through validation, policy and precedence → status, provenance,
 * removals, watermark and quarantine → one atomic commit.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fg from 'fast-glob';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { fileReport, report } from '../core/diagnostics.ts';
import type { ProvenanceFile } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';
import { commitFiles, recoverCommit, recoveryNotes } from '../import/commit-files.ts';
import type { CommitHooks, FileChange } from '../import/commit-files.ts';
import { entryPath } from '../import/entry-path.ts';
import { planReport, quarantineFileName, treeReader } from '../import/import-file.ts';
import type { EntryPlan, ValidateDocument } from '../import/plan-entries.ts';
import { planEntries, renderQuarantine } from '../import/plan-entries.ts';
import { fromResponses } from '../import/read-import.ts';
import type { ImportItem } from '../import/read-import.ts';
import type { RemovedVersion } from '../import/state-changes.ts';
import { stateChanges } from '../import/state-changes.ts';
import { parseState } from '../import/state-updates.ts';
import { readTreeIndex } from '../import/tree-index.ts';
import type { NameOwner, Upstream } from '../policy/upstreams.ts';
import { precedenceConflict, upstreamKey } from '../policy/upstreams.ts';
import type { FetchPage, WalkOutcome, WalkState } from './page-walk.ts';
import { walkPages } from './page-walk.ts';
import type { RemovalLimit } from './removal-limit.ts';
import { allowedRemovals, DEFAULT_REMOVAL_LIMIT } from './removal-limit.ts';
import { clearJournal, restoreWalk, savePage } from './sync-journal.ts';
import { apiBases, nextWatermark, upstreamSlug } from './upstream-location.ts';

export interface SyncOptions {
  /** Registry root that receives servers/ and registry/. */
  root: string;
  from: string;
  config: RegistryConfig;
  validate: ValidateDocument;
  fetchPage: FetchPage;
  /** RFC 3339; overrides the saved watermark. */
  since?: string;
  /** Ignore the watermark and walk everything (also detects removals). */
  full?: boolean;
  limit?: number;
  maxPages?: number;
  exclude?: (server: ServerJson, official: { status?: ServerStatus }) => string | undefined;
  upstreams?: readonly Upstream[];
  /** How many removals one run may apply (registry.config.yaml maxRemovals). */
  removalLimit?: RemovalLimit;
  /** Set by --allow-removals N: up to N removals are confirmed, whatever the limit. */
  allowRemovals?: number;
  commitHooks?: CommitHooks;
  now?: () => Date;
}

export interface SyncStats {
  incremental: boolean;
  resumed: boolean;
  pages: number;
  requests: number;
  bytes: number;
  fetched: number;
  added: number;
  unchanged: number;
  skipped: number;
  quarantined: number;
  removed: number;
  /** Versions mirrored before that the policy now leaves out, marked deleted. */
  withdrawn: number;
  stateFiles: number;
}

export interface SyncOutcome {
  report: Report;
  plan: EntryPlan;
  stats: SyncStats;
  written: string[];
  quarantinePath?: string;
  watermark?: string;
  /** Set when a full walk would remove more versions than allowed: nothing was written. */
  removalsHeld?: { removals: number; allowed: number; mirrored: number };
}

interface SavedSync {
  upstream: string;
  watermark?: string;
  /** Digest of the policy and upstream order the watermark was reached under. */
  policy?: string;
}

/** Entries an earlier policy or upstream order left out lie behind the watermark: a change means a full walk. */
function policyDigest(policy: unknown, upstreams: readonly Upstream[]): string {
  return createHash('sha256').update(JSON.stringify([policy ?? null, upstreams.map((u) => upstreamKey(u.url))])).digest('hex').slice(0, 16);
}

export function syncStatePath(slug: string): string {
  return `registry/sync/${slug}.json`;
}

function ownerReader(root: string, readExisting: (p: string) => string | undefined): (name: string) => NameOwner {
  return (name) => {
    const provenance = parseState<ProvenanceFile>(readExisting(statePath('upstream', name)));
    if (provenance && typeof provenance.upstream === 'string' && !provenance.upstream.startsWith('file:')) {
      return { kind: 'upstream', url: provenance.upstream };
    }
    const where = entryPath(name, 'x');
    if (where.ok && existsSync(`${root}/${where.path.slice(0, where.path.lastIndexOf('/'))}`)) return { kind: 'local' };
    return undefined;
  };
}

/** True when this upstream gave us this version before (its provenance names the version). */
function mirroredBefore(server: { name: string; version: string }, upstream: string, readExisting: (p: string) => string | undefined): boolean {
  const provenance = parseState<ProvenanceFile>(readExisting(statePath('upstream', server.name)));
  return provenance !== undefined && upstreamKey(String(provenance.upstream)) === upstreamKey(upstream) && provenance.versions?.[server.version] !== undefined;
}

/** Versions this upstream gave us before that a full walk no longer lists, and how many it gave us that are not deleted. */
async function removedVersions(root: string, upstream: string, seen: Set<string>, readExisting: (p: string) => string | undefined): Promise<{ removed: RemovedVersion[]; mirrored: number }> {
  const files = await fg('registry/upstream/*/*.yaml', { cwd: root, onlyFiles: true });
  if (files.length === 0) return { removed: [], mirrored: 0 };
  // Provenance file names are lower-cased; the folders under servers/ carry the name as published.
  const folders = new Map<string, string>();
  for (const dir of await fg('servers/*/*', { cwd: root, onlyDirectories: true })) {
    const [, namespace, server] = dir.split('/') as [string, string, string];
    folders.set(`${namespace}/${server}`.toLowerCase(), `${namespace}/${server}`);
  }
  const removed: RemovedVersion[] = [];
  let mirrored = 0;
  const key = upstreamKey(upstream);
  for (const file of files.sort()) {
    const provenance = parseState<ProvenanceFile>(readExisting(file));
    if (!provenance || upstreamKey(String(provenance.upstream)) !== key) continue;
    const name = folders.get(file.slice('registry/upstream/'.length, -'.yaml'.length));
    if (name === undefined) continue;
    for (const [version, record] of Object.entries(provenance.versions ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      // Already recorded as gone: a moderator may have restored it since, which stands.
      if (record.status === 'deleted' || !existsSync(`${root}/servers/${name}/${version}.json`)) continue;
      mirrored += 1;
      if (!seen.has(`${name}@${version}`)) removed.push({ name, version });
    }
  }
  return { removed, mirrored };
}

/** Refuses a run that would remove more than it may; nothing is written then. */
function heldRemovals(removed: readonly RemovedVersion[], mirrored: number, allowed: number, options: SyncOptions, base: string): Diagnostic {
  const examples = removed.slice(0, 3).map((r) => `${r.name}@${r.version}`).join(', ');
  const more = removed.length > 3 ? ` and ${removed.length - 3} more` : '';
  const limit = options.removalLimit ?? DEFAULT_REMOVAL_LIMIT;
  const why = options.allowRemovals !== undefined ? `--allow-removals ${options.allowRemovals}` : `maxRemovals ${limit.percent}% of ${mirrored} mirrored versions, at most ${limit.count}`;
  return {
    code: 'sync/too-many-removals',
    severity: 'error',
    message:
      `a full walk of ${base} no longer lists ${removed.length} of the ${mirrored} versions mirrored from it (${examples}${more}), more than the ${allowed} one sync may mark deleted (${why}). ` +
      'An upstream whose listing ends early looks exactly like this, so nothing was written. ' +
      `Check the upstream; if it really removed them, confirm with: mcp-registry sync --from ${options.from} --full --allow-removals ${removed.length}`,
    pointer: '',
    line: 0,
    column: 0,
  };
}

function emptyStats(incremental: boolean): SyncStats {
  return { incremental, resumed: false, pages: 0, requests: 0, bytes: 0, fetched: 0, added: 0, unchanged: 0, skipped: 0, quarantined: 0, removed: 0, withdrawn: 0, stateFiles: 0 };
}

export async function runSync(options: SyncOptions): Promise<SyncOutcome> {
  const { root, config } = options;
  const now = options.now ?? (() => new Date());
  const slug = upstreamSlug(options.from);
  const readExisting = treeReader(root);
  const recovery = await recoverCommit(root, options.commitHooks);
  const saved = parseState<SavedSync>(readExisting(syncStatePath(slug)));
  const digest = policyDigest(config.extra.policy, options.upstreams ?? []);
  const policyChanged = options.since === undefined && !options.full && saved?.watermark !== undefined && saved.policy !== digest;
  let since = options.since ?? (options.full || policyChanged ? undefined : saved?.watermark);
  const stats = emptyStats(since !== undefined);
  const label = options.from;
  const walkNotes: Diagnostic[] = recoveryNotes(recovery);
  if (policyChanged) {
    walkNotes.push({ code: 'sync/policy-changed', severity: 'warning', message: 'the policy or the upstreams in registry.config.yaml changed since the last sync; walked the upstream in full so entries they now take in or leave out are found', pointer: '', line: 0, column: 0 });
  }

  let outcome: WalkOutcome | undefined;
  let base = '';
  let state: WalkState | undefined;
  let items: unknown[] = [];
  const candidates = apiBases(options.from);
  for (let i = 0; ; ) {
    base = candidates[i]!;
    const restored = await restoreWalk(root, slug, base, since);
    state = restored.state;
    items = restored.items;
    stats.resumed = restored.resumed;
    outcome = await walkPages(
      {
        base,
        limit: options.limit ?? 100,
        maxPages: options.maxPages ?? 10_000,
        fetchPage: options.fetchPage,
        ...(since !== undefined ? { since } : {}),
        onPage: async (page, s) => {
          items.push(...page);
          await savePage(root, slug, base, since, page, s);
        },
      },
      state,
    );
    stats.requests += outcome.requests;
    stats.bytes += outcome.bytes;
    const refusedWith = !outcome.ok && state.pages === 0 && outcome.diagnostic.code === 'sync/http-status' ? outcome.status : undefined;
    // A static host (nginx, Netlify) answers updated_since with 400: walk it in full instead,
    // which finds the same changes (and removals) without the filter.
    if (refusedWith === 400 && since !== undefined) {
      walkNotes.push({ code: 'sync/updated-since-unsupported', severity: 'warning', message: `${base}/servers answered 400 to updated_since (a static host cannot filter by time); walked the upstream in full instead`, pointer: '', line: 0, column: 0 });
      since = undefined;
      stats.incremental = false;
      continue;
    }
    // A registry without /v0.1 may still serve /v0: try it before giving up.
    if (refusedWith !== 404 || i === candidates.length - 1) break;
    i += 1;
  }
  stats.pages = state!.pages;
  if (!outcome!.ok) {
    if (!outcome!.transient) await clearJournal(root, slug);
    const empty: EntryPlan = { writes: [], accepted: [], quarantined: [], skipped: [], notes: [] };
    return { report: report([fileReport(label, [...recoveryNotes(recovery), outcome!.diagnostic])]), plan: empty, stats, written: [] };
  }
  walkNotes.push(...outcome!.notes);

  const converted = fromResponses(items, '/servers');
  const parsedItems: ImportItem[] = Array.isArray(converted) ? converted : [];
  const shapeProblems: FileReport[] = Array.isArray(converted) ? [] : [fileReport(label, [converted])];
  stats.fetched = parsedItems.length;
  const upstreams = options.upstreams ?? [];
  const ownerOf = ownerReader(root, readExisting);
  const byPolicy = new Set<string>();
  const plan = planEntries(parsedItems, {
    config,
    validate: options.validate,
    readExisting,
    tree: await readTreeIndex(root),
    exclude: (server, official) => {
      const conflict = precedenceConflict(upstreams, base, ownerOf(server.name));
      if (conflict !== undefined) return conflict;
      const reason = options.exclude?.(server, official);
      // A policy on statuses chooses what comes in; a version mirrored before still follows its
      // upstream into deprecated or deleted, or the mirror would go on serving it as active.
      if (reason !== undefined && (official.status ?? 'active') !== 'active' && options.exclude?.(server, { ...official, status: 'active' }) === undefined && mirroredBefore(server, base, readExisting)) {
        return undefined;
      }
      if (reason !== undefined) byPolicy.add(`${server.name}@${server.version}`);
      return reason;
    },
  });
  const fetchedAt = now().toISOString();
  const { removed, mirrored } = since === undefined ? await removedVersions(root, base, state!.seen, readExisting) : { removed: [], mirrored: 0 };
  const allowed = options.allowRemovals ?? allowedRemovals(options.removalLimit ?? DEFAULT_REMOVAL_LIMIT, mirrored);
  if (removed.length > allowed) {
    await clearJournal(root, slug);
    stats.fetched = parsedItems.length;
    stats.removed = removed.length;
    const held = fileReport(label, [...walkNotes, heldRemovals(removed, mirrored, allowed, options, base)]);
    return { report: report([held]), plan, stats, written: [], removalsHeld: { removals: removed.length, allowed, mirrored } };
  }
  // A version mirrored before that the policy now leaves out (the fork tightened it) is hidden too.
  const withdrawn = plan.skipped.filter((s) => byPolicy.has(`${s.name}@${s.version}`) && mirroredBefore(s, base, readExisting));
  removed.push(...withdrawn.map((s) => ({ name: s.name, version: s.version, policyReason: `left out by this registry's policy: ${s.reason}` })));
  const stateFileChanges = stateChanges(plan.accepted, { upstream: base, fetchedAt, readExisting }, removed);
  const changes: FileChange[] = [...plan.writes, ...stateFileChanges];

  const watermark = nextWatermark(
    parsedItems.flatMap((i) => (i.official.updatedAt ? [i.official.updatedAt] : [])),
    saved?.watermark,
    // Without the upstream's clock, ours: an updatedAt in the future must not stop later syncs.
    state!.startedAt ?? fetchedAt,
  );
  if (watermark !== undefined && (watermark !== saved?.watermark || digest !== saved?.policy)) {
    changes.push({ path: syncStatePath(slug), text: `${JSON.stringify({ upstream: base, watermark, policy: digest } satisfies SavedSync, null, 2)}\n` });
  }
  let quarantinePath: string | undefined;
  const qPath = quarantineFileName(`sync-${slug}`);
  if (plan.quarantined.length > 0 || readExisting(qPath) !== undefined) {
    quarantinePath = qPath;
    changes.push({ path: qPath, text: renderQuarantine(base, fetchedAt, plan.quarantined) });
  }
  await commitFiles(root, changes, options.commitHooks);
  await clearJournal(root, slug);

  stats.added = plan.writes.length;
  stats.unchanged = plan.accepted.length - plan.writes.length;
  stats.skipped = plan.skipped.length;
  stats.quarantined = plan.quarantined.length;
  stats.removed = removed.length - withdrawn.length;
  stats.withdrawn = withdrawn.length;
  stats.stateFiles = stateFileChanges.length;
  const notes: Diagnostic[] = walkNotes;
  const files = [...shapeProblems, ...(notes.length > 0 ? [fileReport(label, notes)] : []), ...planReport(label, plan)];
  const result: SyncOutcome = { report: report(files), plan, stats, written: changes.map((c) => c.path) };
  if (quarantinePath !== undefined && plan.quarantined.length > 0) result.quarantinePath = quarantinePath;
  if (watermark !== undefined) result.watermark = watermark;
  return result;
}
