/** Lifecycle state changes (deprecate, delete, restore, pin latest) as a pure function of the current state. */
import type { ServerStatus } from '../core/api-types.ts';
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { StatusActor, StatusFile, VersionStatus } from '../core/registry-state.ts';
import type { Reported } from '../core/result.ts';
import { versionStatusProblems } from '../state/status-file.ts';

export type LifecycleAction = 'deprecate' | 'delete' | 'restore';

export interface LifecycleRequest {
  action: LifecycleAction;
  /** Versions to change: a list (possibly empty, to only move the pin) or every published version. */
  versions: readonly string[] | 'all';
  statusMessage?: string;
  /** A version to pin as latest, `null` to remove the pin, undefined to leave it. */
  latest?: string | null;
  /** RFC 3339 time stamped on changed versions. */
  now: string;
  /** Recorded on what changes; default `owner`. */
  actor?: StatusActor;
}

export interface Transition {
  file: StatusFile;
  /** The versions whose status changed, sorted. */
  changed: string[];
}

const TARGET: Record<LifecycleAction, ServerStatus> = { deprecate: 'deprecated', delete: 'deleted', restore: 'active' };

export function applyLifecycle(current: StatusFile, request: LifecycleRequest, publishedVersions: readonly string[]): Reported<Transition> {
  const diagnostics: Diagnostic[] = [];
  const status = TARGET[request.action];
  const targets = request.versions === 'all' ? [...publishedVersions] : [...new Set(request.versions)];
  if (publishedVersions.length === 0)
    diagnostics.push(diagnostic('lifecycle/unknown-server', 'no published versions of this server under servers/; check the name'));
  for (const v of targets) {
    if (!publishedVersions.includes(v))
      diagnostics.push(diagnostic('lifecycle/unknown-version', `version ${v} is not published; published: ${publishedVersions.join(', ') || 'none'}`));
  }
  if (status === 'active' && request.statusMessage !== undefined) {
    diagnostics.push(diagnostic('lifecycle/message-with-active', 'restore takes no --message: an active version has no statusMessage'));
  }
  const actor = request.actor ?? 'owner';
  const versions: Record<string, VersionStatus> = { ...(current.versions ?? {}) };
  const changed: string[] = [];
  for (const v of targets) {
    const before = versions[v] ?? { status: 'active' as const, statusChangedAt: '' };
    const unchanged =
      before.status === status &&
      before.statusMessage === (status === 'active' ? undefined : request.statusMessage) &&
      (before.statusChangedBy ?? 'owner') === actor;
    if (unchanged) continue;
    const next: VersionStatus = {
      status,
      ...(status !== 'active' && request.statusMessage !== undefined ? { statusMessage: request.statusMessage } : {}),
      statusChangedAt: request.now,
      statusChangedBy: actor,
    };
    for (const p of versionStatusProblems(next)) {
      if (!diagnostics.some((d) => d.code === p.code)) diagnostics.push(diagnostic(p.code, p.message, { pointer: `/versions/${v}/${p.key}` }));
    }
    versions[v] = next;
    changed.push(v);
  }
  let latest = current.latest;
  let latestBy = current.latestChangedBy;
  if (request.latest === null) {
    latest = undefined;
    latestBy = undefined;
  } else if (request.latest !== undefined) {
    if (!publishedVersions.includes(request.latest))
      diagnostics.push(diagnostic('lifecycle/unknown-version', `--latest ${request.latest} is not a published version`, { pointer: '/latest' }));
    if (latest !== request.latest || (latestBy ?? 'owner') !== actor) latestBy = actor;
    latest = request.latest;
  }
  if (latest !== undefined && versions[latest]?.status === 'deleted') {
    diagnostics.push(
      diagnostic(
        'lifecycle/latest-deleted',
        `version ${latest} is pinned as latest and would be deleted; pin another with --latest VERSION or remove the pin with --latest auto`,
        { pointer: '/latest' },
      ),
    );
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const file: StatusFile = {};
  if (latest !== undefined) file.latest = latest;
  if (latest !== undefined && latestBy !== undefined) file.latestChangedBy = latestBy;
  if (Object.keys(versions).length > 0) file.versions = versions;
  return { ok: true, value: { file, changed: changed.sort() }, diagnostics: [] };
}
