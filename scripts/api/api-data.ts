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
  /**
   * By name; also holds each renamed-away old name, answering with its new name's versions and with its own
   * versions the new name never published (their `_meta` says so). `all`, `visible` and `latest` never hold
   * those: the list shows one server.
   */
  byName: Map<string, ApiServer>;
  /** The renames `byName` follows, by old name (none when absent). */
  aliases?: readonly ApiAlias[];
}

/** An old server name that answers with a new one (registry/renames, as the catalog followed it). */
export interface ApiAlias {
  from: string;
  to: string;
  renamedAt: string;
  /** The old name's versions the new name never published; they answer under the old name only. */
  kept?: readonly ServerResponse[];
}

/** Where the alias's answers say they moved: `_meta[metaKey]` gains renamedFrom, renamedTo and renamedAt. */
export interface AliasOptions {
  aliases: readonly ApiAlias[];
  metaKey: string;
}

/** The text of `v0.1/renames.json` (api-layout.ts): what `serve` needs to answer the old names as the build does. */
export function renamesBody(renames: AliasOptions): string {
  return JSON.stringify({
    metaKey: renames.metaKey,
    renames: renames.aliases.map((a) => ({ from: a.from, to: a.to, renamedAt: a.renamedAt, ...(a.kept && a.kept.length > 0 ? { kept: a.kept } : {}) })),
  });
}

/** Reads `renamesBody` back. */
export function parseRenamesBody(text: string): AliasOptions {
  const { metaKey, renames } = JSON.parse(text) as { metaKey: string; renames: ApiAlias[] };
  return { metaKey, aliases: renames };
}

/** `entry` as answered under the old name: the same ServerResponse, its registry `_meta` saying it moved. */
export function aliasEntry(entry: ApiEntry, alias: ApiAlias, metaKey: string): ApiEntry {
  const response = JSON.parse(entry.json) as ServerResponse;
  const own = response._meta[metaKey];
  const base = own !== null && typeof own === 'object' && !Array.isArray(own) ? own : {};
  const meta: Record<string, unknown> = { ...response._meta, [metaKey]: { ...base, renamedAt: alias.renamedAt, renamedFrom: alias.from, renamedTo: alias.to } };
  return { ...entry, json: JSON.stringify({ ...response, _meta: meta }) };
}

/**
 * A version only the old name published, as answered under the old name: its own answer, with `_meta` saying
 * where the server moved, and never the latest (the new name's latest is).
 */
export function keptEntry(response: ServerResponse, alias: ApiAlias, metaKey: string): ApiEntry {
  const own = response._meta[metaKey];
  const base = own !== null && typeof own === 'object' && !Array.isArray(own) ? own : {};
  const official = { ...response._meta[OFFICIAL_META_KEY], isLatest: false };
  const meta = {
    ...response._meta,
    [OFFICIAL_META_KEY]: official,
    [metaKey]: { ...base, renamedAt: alias.renamedAt, renamedFrom: alias.from, renamedTo: alias.to },
  };
  return toApiEntry({ ...response, _meta: meta });
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

export function apiDataFromEntries(entries: ApiEntry[], renames?: AliasOptions): ApiData {
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
  const aliases: ApiAlias[] = [];
  for (const alias of renames?.aliases ?? []) {
    const target = byName.get(alias.to);
    // A published old name is never hidden (the catalog already dropped it); an unknown target answers nothing.
    if (target === undefined || byName.has(alias.from)) continue;
    const move = (e: ApiEntry) => aliasEntry(e, alias, renames?.metaKey ?? '');
    const kept = (alias.kept ?? []).map((r) => keptEntry(r, alias, renames?.metaKey ?? '')).filter((e) => !target.byVersion.has(e.version));
    const versions = [...target.versions.map(move), ...kept].sort(compareNewestPublished);
    const byVersion = new Map(versions.map((e) => [e.version, e]));
    byName.set(alias.from, { versions, byVersion, ...(target.latest ? { latest: byVersion.get(target.latest.version) as ApiEntry } : {}) });
    aliases.push(alias);
  }
  return {
    all,
    visible: all.filter((e) => e.status !== 'deleted'),
    latest: all.filter((e) => e.isLatest && e.status !== 'deleted'),
    byName,
    aliases,
  };
}

export function apiDataFromResponses(responses: readonly ServerResponse[], renames?: AliasOptions): ApiData {
  return apiDataFromEntries(responses.map(toApiEntry), renames);
}
