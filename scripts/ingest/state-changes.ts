/** Registry-owned files (status, provenance) that follow from a batch of accepted entries (pure). */
import { compareStrings } from '../core/compare.ts';
import type { FileReport } from '../core/diagnostics.ts';
import { diagnostic, fileReport } from '../core/diagnostics.ts';
import type { ProvenanceFile, StatusFile } from '../core/registry-state.ts';
import { statePath } from '../core/registry-state.ts';
import type { CommitCode } from './codes.ts';
import type { FileChange } from './commit-files.ts';
import type { AcceptedEntry } from './plan-entries.ts';
import { parseStatusFile, serializeStatusFile } from '../state/status-file.ts';
import { applyProvenance, applyUpstreamStatus, markRemoved, parseState, renderState } from './state-updates.ts';

export interface StateContext {
  /** Where the entries come from: an upstream URL, or `file:<name>` for imports. */
  upstream: string;
  fetchedAt: string;
  readExisting: (path: string) => string | undefined;
}

export interface RemovedVersion {
  name: string;
  version: string;
  /** Set when this registry's policy, not the upstream, withdraws the version: the status message; provenance keeps the upstream's status. */
  policyReason?: string;
}

export type StateChanges =
  | { ok: true; changes: FileChange[] }
  /** Status files the run would rewrite but cannot read: one report each (commit/unreadable-status, then the parser's findings). */
  | { ok: false; unreadable: FileReport[] };

/**
 * The refusal for one status file: where its first problem is, and what to do. Rewriting a file
 * the parser refuses would replace a moderator's decisions with what the upstream alone says.
 */
function unreadableStatus(path: string, problems: FileReport['diagnostics']): FileReport {
  const first = problems[0];
  const refusal = diagnostic(
    'commit/unreadable-status' satisfies CommitCode,
    `${path} cannot be read (${first ? `${first.code}: ${first.message}` : 'no value'}). This run would rewrite it and lose the decisions it holds, so nothing was written. ` +
      'Fix the file (the findings below; `mcp-registry validate` reports them too), then run the same command again.',
    { pointer: first?.pointer ?? '', line: first?.line ?? 0, column: first?.column ?? 0 },
  );
  return fileReport(path, [refusal, ...problems]);
}

export function stateChanges(accepted: readonly AcceptedEntry[], ctx: StateContext, removed: readonly RemovedVersion[] = []): StateChanges {
  const status = new Map<string, StatusFile | undefined>();
  const provenance = new Map<string, ProvenanceFile | undefined>();
  /** Status files that exist but do not parse, with the parser's findings: refused only if this run would rewrite one. */
  const broken = new Map<string, FileReport['diagnostics']>();
  const unreadable = new Map<string, FileReport>();
  const load = <T extends object>(
    cache: Map<string, T | undefined>,
    path: string,
    parse: (text: string | undefined, path: string) => T | undefined,
  ): T | undefined => {
    if (!cache.has(path)) cache.set(path, parse(ctx.readExisting(path), path));
    return cache.get(path);
  };
  const parseStatus = (text: string | undefined, path: string): StatusFile | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseStatusFile(text);
    if (parsed.value === undefined) broken.set(path, parsed.diagnostics);
    return parsed.value;
  };
  const setStatus = (path: string, value: StatusFile | undefined): void => {
    const problems = broken.get(path);
    if (problems !== undefined) unreadable.set(path, unreadableStatus(path, problems));
    else status.set(path, value);
  };
  const parseProvenance = (text: string | undefined): ProvenanceFile | undefined => parseState<ProvenanceFile>(text);
  for (const entry of accepted) {
    const { name, version } = entry.server;
    const sPath = statePath('status', name);
    const pPath = statePath('upstream', name);
    const previous = load(provenance, pPath, parseProvenance);
    const seenBefore = previous?.upstream === ctx.upstream ? previous.versions?.[version] : undefined;
    // Only a change upstream touches the status file, so a moderator's own decision about a
    // mirrored version survives later syncs that report the same upstream status.
    const current = load(status, sPath, parseStatus);
    if (seenBefore === undefined || (seenBefore.status ?? 'active') !== (entry.official.status ?? 'active')) {
      setStatus(sPath, applyUpstreamStatus(current, version, entry.official, ctx.upstream, ctx.fetchedAt));
    }
    provenance.set(pPath, applyProvenance(previous, ctx.upstream, ctx.fetchedAt, version, entry.official, entry.warnings));
  }
  for (const { name, version, policyReason } of removed) {
    const sPath = statePath('status', name);
    setStatus(sPath, markRemoved(load(status, sPath, parseStatus), version, ctx.upstream, ctx.fetchedAt, policyReason));
    if (policyReason !== undefined) continue;
    const pPath = statePath('upstream', name);
    const previous = load(provenance, pPath, parseProvenance);
    if (previous)
      provenance.set(
        pPath,
        applyProvenance(
          previous,
          previous.upstream,
          ctx.fetchedAt,
          version,
          { ...previous.versions?.[version], status: 'deleted' },
          previous.versions?.[version]?.warnings,
        ),
      );
  }
  if (unreadable.size > 0) return { ok: false, unreadable: [...unreadable.values()].sort((a, b) => compareStrings(a.path, b.path)) };
  for (const [path, value] of status) {
    // A maintainer's pinned latest that the upstream deleted would fail every build (lifecycle/latest-deleted).
    if (value?.latest !== undefined && value.versions?.[value.latest]?.status === 'deleted') {
      const { latest: _unpinned, ...rest } = value;
      status.set(path, rest);
    }
  }
  const changes: FileChange[] = [];
  const rendered: [string, string][] = [
    ...[...status].flatMap(([path, value]): [string, string][] => (value === undefined ? [] : [[path, serializeStatusFile(value)]])),
    ...[...provenance].flatMap(([path, value]): [string, string][] => (value === undefined ? [] : [[path, renderState(value)]])),
  ];
  for (const [path, text] of rendered) {
    if (text !== ctx.readExisting(path)) changes.push({ path, text });
  }
  return { ok: true, changes: changes.sort((a, b) => compareStrings(a.path, b.path)) };
}
