/**
 * What a mirrored entry shows about its origin under the registry's own `_meta` key (pure).
 * The catalog merges it next to overlay data:
 *   `_meta[metaNamespace] = { ...overlay, ...provenanceMeta(provenance, version) }`.
 */
import type { ProvenanceFile } from '../core/registry-state.ts';

export interface ProvenanceMeta {
  upstream: { url: string; fetchedAt: string; publishedAt?: string; updatedAt?: string };
}

/** Undefined for entries that were not mirrored (no provenance, or an import from a file). */
export function provenanceMeta(file: ProvenanceFile | undefined, version: string): ProvenanceMeta | undefined {
  if (!file || !/^https?:\/\//.test(file.upstream)) return undefined;
  const record = file.versions !== undefined && Object.hasOwn(file.versions, version) ? file.versions[version] : undefined;
  if (file.versions !== undefined && record === undefined) return undefined;
  const upstream: ProvenanceMeta['upstream'] = { url: file.upstream, fetchedAt: file.fetchedAt };
  if (record?.publishedAt !== undefined) upstream.publishedAt = record.publishedAt;
  if (record?.updatedAt !== undefined) upstream.updatedAt = record.updatedAt;
  return { upstream };
}
