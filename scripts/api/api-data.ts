/**
 * The in-memory form of the built API that the router answers from: every version in list
 * order with its serialized JSON, plus per-name lookups. Built from the ServerResponse list
 * (the catalog at build time, the snapshot file at serve time), so both paths agree byte for byte.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import type { ServerResponse, ServerStatus } from '../core/api-types.ts';
import { compareNewestPublished } from '../catalog/server-view.ts';
import { compareStrings, instantKey } from '../core/compare.ts';

export interface ApiEntry {
  name: string;
  version: string;
  status: ServerStatus;
  isLatest: boolean;
  publishedAt: string;
  updatedAt: string;
  /** instantKey(updatedAt), for `updated_since` at the precision the date was written. */
  updatedKey: string;
  /** Lower-cased name and description, for `search`. */
  haystack: string;
  /** `JSON.stringify` of the ServerResponse. */
  json: string;
}

export interface ApiServer {
  /** Newest first, deleted included. */
  versions: ApiEntry[];
  latest?: ApiEntry;
  byVersion: Map<string, ApiEntry>;
}

export interface ApiData {
  /** Name, then version; deleted included. */
  all: ApiEntry[];
  /** `all` without deleted entries: the default listing. */
  visible: ApiEntry[];
  /** The latest version of each server (never deleted). */
  latest: ApiEntry[];
  byName: Map<string, ApiServer>;
}

export function toApiEntry(response: ServerResponse): ApiEntry {
  const official = response._meta[OFFICIAL_META_KEY];
  const server = response.server;
  return {
    name: server.name,
    version: server.version,
    status: official.status,
    isLatest: official.isLatest,
    publishedAt: official.publishedAt,
    updatedAt: official.updatedAt,
    updatedKey: instantKey(official.updatedAt) ?? '',
    haystack: `${server.name}\n${server.description ?? ''}`.toLowerCase(),
    json: JSON.stringify(response),
  };
}

export function compareEntries(a: { name: string; version: string }, b: { name: string; version: string }): number {
  return compareStrings(a.name, b.name) || compareStrings(a.version, b.version);
}

export function apiDataFromEntries(entries: ApiEntry[]): ApiData {
  const all = [...entries].sort(compareEntries);
  const byName = new Map<string, ApiServer>();
  for (const e of all) {
    let s = byName.get(e.name);
    if (!s) {
      s = { versions: [], byVersion: new Map() };
      byName.set(e.name, s);
    }
    s.versions.push(e);
    s.byVersion.set(e.version, e);
    if (e.isLatest) s.latest = e;
  }
  for (const s of byName.values()) s.versions.sort(compareNewestPublished);
  return {
    all,
    visible: all.filter((e) => e.status !== 'deleted'),
    latest: all.filter((e) => e.isLatest && e.status !== 'deleted'),
    byName,
  };
}

export function apiDataFromResponses(responses: readonly ServerResponse[]): ApiData {
  return apiDataFromEntries(responses.map(toApiEntry));
}
