/**
 * Registry-owned state lives beside, never inside, the authors' files:
 *
 *   registry/status/<namespace>/<server>.yaml     moderation and lifecycle (StatusFile)
 *   registry/overlays/<namespace>/<server>.yaml   extra `_meta` under the registry's own key (OverlayFile)
 *   registry/upstream/<namespace>/<server>.yaml   provenance of mirrored entries (ProvenanceFile)
 *
 * `<namespace>/<server>` are the two halves of the server name, lower-cased.
 */
import type { ServerStatus } from './api-types.ts';

export const STATE_DIR = 'registry';

export interface VersionStatus {
  status: ServerStatus;
  /** Required unless status is `active`; at most 500 characters. */
  statusMessage?: string;
  /** RFC 3339. */
  statusChangedAt: string;
  /** Who made the change; a maintainer's decision (moderation) is changed only by a maintainer. Absent: the owner. */
  statusChangedBy?: StatusActor;
}

export type StatusActor = 'maintainer' | 'owner';

export interface StatusFile {
  /** Per version; versions not listed are `active`. */
  versions?: Record<string, VersionStatus>;
  /** Pins which version is latest, overriding the computed choice. */
  latest?: string;
  /** Who pinned `latest` (see VersionStatus.statusChangedBy). */
  latestChangedBy?: StatusActor;
}

export interface OverlayFile {
  /** Merged into every version's `_meta[<metaNamespace>]`. */
  meta?: Record<string, unknown>;
  /** Per-version additions, merged over `meta`. */
  versions?: Record<string, Record<string, unknown>>;
}

export interface ProvenanceFile {
  upstream: string;
  fetchedAt: string;
  /** Per version: the upstream's own `_meta` official block as fetched. */
  versions?: Record<string, ProvenanceVersion>;
}

export interface ProvenanceVersion {
  publishedAt?: string;
  updatedAt?: string;
  status?: ServerStatus;
  /** The upstream marked this version its latest: the catalog's isLatest follows it. */
  isLatest?: true;
  /**
   * What this registry's rules say against the entry as the upstream serves it (`code at pointer`),
   * sorted: mirrored entries are kept unchanged, so these are warnings, never refusals (docs/import.md).
   */
  warnings?: string[];
  /** Mirrored from an upstream that serves a transparency log: the leaf it was proven to be (ingest/upstream-log.ts). */
  log?: ProvenanceLog;
}

/** The upstream log's leaf of a mirrored version, and the checkpoint it was proven included under. */
export interface ProvenanceLog {
  origin: string;
  leafIndex: number;
  sha256: string;
  treeSize: number;
  /** Base64 root hash of that checkpoint. */
  root: string;
}

/** A predicate for validation: the version has provenance, so it was mirrored from another registry. */
export function mirroredBy(provenance: ReadonlyMap<string, ProvenanceFile>): (name: string, version: string) => boolean {
  return (name, version) => provenance.get(name.toLowerCase())?.versions?.[version] !== undefined;
}

/** True for a version the status files mark deprecated or deleted: it no longer holds its remote URLs. */
export function releasedBy(status: ReadonlyMap<string, StatusFile>): (name: string, version: string) => boolean {
  return (name, version) => {
    const s = status.get(name.toLowerCase())?.versions?.[version]?.status;
    return s === 'deprecated' || s === 'deleted';
  };
}

/** `io.github.user/weather` → `registry/<kind>/io.github.user/weather.yaml` (lower-cased). */
export function statePath(kind: 'status' | 'overlays' | 'upstream', serverName: string): string {
  const lower = serverName.toLowerCase();
  const slash = lower.indexOf('/');
  return `${STATE_DIR}/${kind}/${lower.slice(0, slash)}/${lower.slice(slash + 1)}.yaml`;
}
