/**
 * A server and its versions as every reader of the catalog sees them: versions newest first,
 * the latest one marked. The one place versions are put in order; the API, the site, the
 * changes feed and the search all read this order instead of sorting on their own.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import type { OfficialMeta, ServerResponse } from '../core/api-types.ts';
import { compareInstants, compareStrings } from '../core/compare.ts';
import { compareVersions } from './version-order.ts';
import type { Versioned } from './version-order.ts';

export interface VersionView {
  version: string;
  official: OfficialMeta;
  response: ServerResponse;
}

export interface ServerView<V extends VersionView = VersionView> {
  name: string;
  /** Newest publish first (instants, then the official version order), deleted included. */
  versions: V[];
  latest?: V;
}

/** Newest publish first; within one instant, the higher version in the official order first. */
export function compareNewestPublished(a: Versioned, b: Versioned): number {
  return compareInstants(b.publishedAt, a.publishedAt) || compareVersions(b, a);
}

export function compareNewestFirst(a: VersionView, b: VersionView): number {
  return compareNewestPublished({ version: a.version, publishedAt: a.official.publishedAt }, { version: b.version, publishedAt: b.official.publishedAt });
}

export function serverView<V extends VersionView>(name: string, versions: readonly V[]): ServerView<V> {
  const ordered = [...versions].sort(compareNewestFirst);
  const latest = ordered.find((v) => v.official.isLatest);
  return latest === undefined ? { name, versions: ordered } : { name, versions: ordered, latest };
}

function officialMeta(response: ServerResponse): OfficialMeta | undefined {
  const meta = response?._meta?.[OFFICIAL_META_KEY];
  return typeof meta === 'object' && meta !== null && typeof meta.publishedAt === 'string' ? meta : undefined;
}

/**
 * The same view from API answers (a snapshot, a mirror's pages): responses without the official
 * `_meta` or a name are left out. Servers by name.
 */
export function serverViewsFromResponses(responses: readonly ServerResponse[]): ServerView[] {
  const byName = new Map<string, VersionView[]>();
  for (const response of responses) {
    const official = officialMeta(response);
    const name = response?.server?.name;
    if (official === undefined || typeof name !== 'string') continue;
    const version = typeof response.server.version === 'string' ? response.server.version : '';
    const list = byName.get(name) ?? [];
    list.push({ version, official, response });
    byName.set(name, list);
  }
  return [...byName.keys()].sort(compareStrings).map((name) => serverView(name, byName.get(name) as VersionView[]));
}
