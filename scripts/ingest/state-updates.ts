/**
 * Registry-owned state that import and sync maintain (pure): lifecycle status and upstream
 * provenance per server, rendered as YAML with sorted keys so the same input gives the same bytes.
 */
import { parse, stringify } from 'yaml';
import type { ProvenanceFile, ProvenanceVersion, StatusFile } from '../core/registry-state.ts';
import type { UpstreamOfficial } from './read-import.ts';
import { isRecord } from '../core/is-record.ts';
import { isRfc3339 } from './upstream-values.ts';

/** Sets or clears the status of one version from what the upstream says. */
export function applyUpstreamStatus(
  existing: StatusFile | undefined,
  version: string,
  official: UpstreamOfficial,
  upstream: string,
  now: string,
): StatusFile | undefined {
  const versions = { ...(existing?.versions ?? {}) };
  const status = official.status ?? 'active';
  if (status === 'active') {
    if (!(version in versions)) return existing;
    delete versions[version];
  } else {
    const previous = versions[version];
    if (previous?.status === status && (official.statusMessage === undefined || previous.statusMessage === official.statusMessage)) {
      return existing;
    }
    const message = official.statusMessage ?? `${status} by the upstream registry ${upstream}`;
    const changedAt = [official.statusChangedAt, official.updatedAt].find((t) => t !== undefined && isRfc3339(t)) ?? now;
    versions[version] = { status, statusMessage: [...message].slice(0, 500).join(''), statusChangedAt: changedAt };
  }
  const next: StatusFile = { ...(existing ?? {}), versions };
  if (Object.keys(versions).length === 0) delete next.versions;
  return next;
}

/** Marks a version the upstream no longer lists as deleted (removals are statuses, never file deletions). */
export function markRemoved(existing: StatusFile | undefined, version: string, upstream: string, now: string, message?: string): StatusFile {
  const versions = { ...(existing?.versions ?? {}) };
  if (versions[version]?.status === 'deleted') return existing as StatusFile;
  versions[version] = { status: 'deleted', statusMessage: message ?? `no longer listed by the upstream registry ${upstream}`, statusChangedAt: now };
  return { ...(existing ?? {}), versions };
}

function sameRecord(x: object | undefined, y: object): boolean {
  if (x === undefined) return false;
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  const keys = Object.keys(b).sort();
  return JSON.stringify(Object.keys(a).sort()) === JSON.stringify(keys) && keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

export function applyProvenance(
  existing: ProvenanceFile | undefined,
  upstream: string,
  fetchedAt: string,
  version: string,
  official: UpstreamOfficial,
  warnings: readonly string[] = [],
): ProvenanceFile {
  // A different upstream taking the name over starts a fresh record.
  const base: ProvenanceFile = existing && existing.upstream === upstream ? existing : { upstream, fetchedAt };
  const entry: ProvenanceVersion = {};
  if (official.publishedAt !== undefined) entry.publishedAt = official.publishedAt;
  if (official.updatedAt !== undefined) entry.updatedAt = official.updatedAt;
  if (official.status !== undefined) entry.status = official.status;
  if (official.isLatest === true) entry.isLatest = true;
  if (warnings.length > 0) entry.warnings = [...warnings];
  // The upstream log's leaf was proven when the version was first mirrored; later syncs keep it.
  const proven = existing === base ? base.versions?.[version]?.log : undefined;
  if (proven !== undefined) entry.log = proven;
  // Unchanged upstream data leaves the file alone, so a nightly sync does not rewrite every name.
  if (existing === base && sameRecord(base.versions?.[version], entry)) return existing;
  return { ...base, upstream, fetchedAt, versions: { ...(base.versions ?? {}), [version]: entry } };
}

/** Provenance YAML (status files use the lifecycle serializer). */
export function renderState(value: ProvenanceFile): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

/** Undefined for a missing or unreadable file (it is then rebuilt from what we know). */
export function parseState<T extends object>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = parse(text);
    return isRecord(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
