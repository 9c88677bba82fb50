/**
 * `mcp-registry sync --from URL`: mirrors an upstream registry API into servers/ (the edge).
 * walk (sync-walk.ts: resumable, with the /v0 and full-walk fallbacks) → plan (sync-plan.ts,
 * pure) → the upstream's transparency log, when it serves one (upstream-log.ts) → one atomic
 * commit (commit-files.ts). This file reads the tree the plan needs and
 * writes what it decided.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerJson, ServerStatus } from '../core/api-types.ts';
import type { Diagnostic, FileReport, Report } from '../core/diagnostics.ts';
import { fileReport, report, warning } from '../core/diagnostics.ts';
import { readServersTree } from '../load/servers-tree.ts';
import type { Upstream } from '../policy/upstreams.ts';
import type { SyncCode } from './codes.ts';
import { clearOldStaging, commitFiles, recoverCommit, recoveryNotes } from './commit-files.ts';
import type { CommitHooks } from './commit-files.ts';
import type { FetchPage } from './page-walk.ts';
import { isUnreachable } from './page-walk.ts';
import type { EntryPlan, ValidateDocument } from './plan-entries.ts';
import { planReport } from './plan-report.ts';
import { treeReader } from './registry-files.ts';
import type { RemovalLimit } from './removal-limit.ts';
import { parseState } from './state-updates.ts';
import { clearJournal } from './sync-journal.ts';
import type { SyncTree } from './sync-plan.ts';
import { planSync } from './sync-plan.ts';
import type { SavedSync } from './sync-state.ts';
import { policyDigest, syncStatePath } from './sync-state.ts';
import { walkUpstream } from './sync-walk.ts';
import { fetchUpstreamRenames, seenWithRenamed, syncRenames, withKeptVersions } from './sync-renames.ts';
import { upstreamSlug } from './upstream-location.ts';
import { checkUpstreamLog, withLogRecords } from './upstream-log.ts';

/** `servers/<ns>/<name>/<version>.json` → `<ns>/<name>`, lower-cased; other paths → undefined. */
function serverNameOfPath(path: string): string | undefined {
  const m = /^servers\/([^/]+)\/([^/]+)\/[^/]+\.json$/.exec(path);
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

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
  /** Verifier keys pinned for the upstream's transparency log (registry.config.yaml logKeys, --upstream-log-key): the log is then required. */
  upstreamLogKeys?: readonly string[];
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
  /** Set when no upstream answered at that address (the name does not resolve, nothing listens): the sync/http diagnostic. */
  unreachable?: Diagnostic;
  /** Set when the upstream serves a transparency log and it verified: the checkpoint taken. */
  log?: { origin: string; size: number; signed: boolean; included: number; consistentWith?: number };
}

function emptyStats(incremental: boolean): SyncStats {
  return {
    incremental,
    resumed: false,
    pages: 0,
    requests: 0,
    bytes: 0,
    fetched: 0,
    added: 0,
    unchanged: 0,
    skipped: 0,
    quarantined: 0,
    removed: 0,
    withdrawn: 0,
    stateFiles: 0,
  };
}

/** The tree as the plan needs it: read once, after recovery, before planning. */
async function readSyncTree(root: string): Promise<SyncTree> {
  const provenanceFiles = await fg('registry/upstream/*/*.yaml', { cwd: root, onlyFiles: true });
  const folders = provenanceFiles.length === 0 ? [] : await fg('servers/*/*', { cwd: root, onlyDirectories: true });
  return {
    readExisting: treeReader(root),
    exists: (path) => existsSync(join(root, path)),
    files: await readServersTree(root),
    provenanceFiles,
    serverFolders: folders.map((dir) => dir.slice('servers/'.length)),
  };
}

export async function runSync(options: SyncOptions): Promise<SyncOutcome> {
  const { root, config } = options;
  const now = options.now ?? (() => new Date());
  const slug = upstreamSlug(options.from);
  const readExisting = treeReader(root);
  const recovered = [...recoveryNotes(await recoverCommit(root, options.commitHooks)), ...(await clearOldStaging(root))];
  const saved = parseState<SavedSync>(readExisting(syncStatePath(slug)));
  const digest = policyDigest(config.extra.policy, options.upstreams ?? []);
  const policyChanged = options.since === undefined && !options.full && saved?.watermark !== undefined && saved.policy !== digest;
  const since = options.since ?? (options.full || policyChanged ? undefined : saved?.watermark);
  const stats = emptyStats(since !== undefined);
  const label = options.from;
  const walkNotes: Diagnostic[] = [...recovered];
  if (policyChanged) {
    walkNotes.push(
      warning(
        'sync/policy-changed' satisfies SyncCode,
        'the policy or the upstreams in registry.config.yaml changed since the last sync; walked the upstream in full so entries they now take in or leave out are found',
      ),
    );
  }

  const walk = await walkUpstream({
    root,
    slug,
    from: options.from,
    limit: options.limit ?? 100,
    maxPages: options.maxPages ?? 10_000,
    fetchPage: options.fetchPage,
    ...(since === undefined ? {} : { since }),
  });
  const { outcome, base, state } = walk;
  stats.resumed = walk.resumed;
  stats.requests = walk.requests;
  stats.bytes = walk.bytes;
  stats.pages = state.pages;
  if (since !== undefined && walk.since === undefined) stats.incremental = false;
  walkNotes.push(...walk.notes);
  if (!outcome.ok) {
    if (!outcome.transient) await clearJournal(root, slug);
    const empty: EntryPlan = { writes: [], accepted: [], quarantined: [], skipped: [], notes: [] };
    const failed: SyncOutcome = { report: report([fileReport(label, [...recovered, outcome.diagnostic])]), plan: empty, stats, written: [] };
    if (isUnreachable(outcome.failure)) failed.unreachable = outcome.diagnostic;
    return failed;
  }
  walkNotes.push(...outcome.notes);

  // An upstream of ours answers the names it renamed away without listing them (sync-renames.ts).
  const upstreamRenames = await fetchUpstreamRenames(base, options.fetchPage);
  const syncTree = await readSyncTree(root);
  const planned = planSync({
    from: options.from,
    base,
    items: withKeptVersions(walk.items, upstreamRenames),
    seen: upstreamRenames.length === 0 ? state.seen : seenWithRenamed(state.seen, upstreamRenames, syncTree.files),
    ...(walk.since === undefined ? {} : { since: walk.since }),
    ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }),
    slug,
    ...(saved === undefined ? {} : { saved }),
    policyDigest: digest,
    fetchedAt: now().toISOString(),
    config,
    validate: options.validate,
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    upstreams: options.upstreams ?? [],
    ...(options.removalLimit === undefined ? {} : { removalLimit: options.removalLimit }),
    ...(options.allowRemovals === undefined ? {} : { allowRemovals: options.allowRemovals }),
    tree: syncTree,
  });
  const { plan, counts } = planned;
  stats.fetched = counts.fetched;
  stats.removed = counts.removed;
  if (planned.held) {
    await clearJournal(root, slug);
    const held = fileReport(label, [...walkNotes, planned.diagnostic]);
    return { report: report([held]), plan, stats, written: [], removalsHeld: planned.removalsHeld };
  }
  if (planned.refused) {
    // Rewriting a status file that does not parse would lose what a moderator wrote there.
    await clearJournal(root, slug);
    return { report: report([...(walkNotes.length > 0 ? [fileReport(label, walkNotes)] : []), ...planned.unreadable]), plan, stats, written: [] };
  }
  // The upstream's renames (an upstream of ours), for names that are here after this sync: one commit with the rest.
  const names = new Set([...syncTree.files.map((f) => f.path), ...planned.changes.map((c) => c.path)].map(serverNameOfPath).filter((n) => n !== undefined));
  const renames = await syncRenames(root, upstreamRenames, names);
  walkNotes.push(...renames.notes);
  let changes = [...planned.changes, ...renames.changes];
  // The upstream's log, when it serves one, before anything is written (upstream-log.ts).
  const log = await checkUpstreamLog({
    base,
    slug,
    fetchPage: options.fetchPage,
    pinned: options.upstreamLogKeys ?? [],
    ...(saved === undefined ? {} : { saved }),
    accepted: plan.accepted,
    items: walk.items,
  });
  if (!log.ok) {
    await clearJournal(root, slug);
    return { report: report([fileReport(label, [...walkNotes, log.diagnostic])]), plan, stats, written: [] };
  }
  if (log.served) {
    walkNotes.push(...log.notes);
    changes = withLogRecords(changes, { slug, base, ...(saved === undefined ? {} : { saved }), readExisting }, log.record, log.leaves);
  }
  await commitFiles(root, changes, options.commitHooks);
  await clearJournal(root, slug);

  stats.added = plan.writes.length;
  stats.unchanged = plan.accepted.length - plan.writes.length;
  stats.skipped = plan.skipped.length;
  stats.quarantined = plan.quarantined.length;
  stats.withdrawn = counts.withdrawn;
  stats.stateFiles = counts.stateFiles;
  const shapeProblems: FileReport[] = planned.shapeProblem === undefined ? [] : [fileReport(label, [planned.shapeProblem])];
  const files = [...shapeProblems, ...(walkNotes.length > 0 ? [fileReport(label, walkNotes)] : []), ...planReport(label, plan)];
  const result: SyncOutcome = { report: report(files), plan, stats, written: changes.map((c) => c.path) };
  if (planned.quarantinePath !== undefined) result.quarantinePath = planned.quarantinePath;
  if (planned.watermark !== undefined) result.watermark = planned.watermark;
  if (log.served) {
    result.log = {
      origin: log.record.origin,
      size: log.record.size,
      signed: log.record.keys.length > 0,
      included: log.included,
      ...(log.consistentWith === undefined ? {} : { consistentWith: log.consistentWith }),
    };
  }
  return result;
}
