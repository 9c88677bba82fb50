/**
 * What a reader shows of one server: its shown version (the latest, else the newest live one),
 * its live versions in the catalog's order, and its facets. The site's pages and the search
 * documents are both made from this, so neither depends on the other. Deleted versions never
 * appear; a server whose versions are all deleted has no summary. Strings are untrusted.
 */
import type { OfficialMeta, ServerJson, ServerStatus } from '../core/api-types.ts';
import { serverFacets } from './server-facets.ts';
import type { ServerFacets } from './server-facets.ts';
import type { ServerView, VersionView } from './server-view.ts';

export interface ServerSummary {
  name: string;
  /** The title, else the name. */
  title: string;
  description: string;
  /** The shown version's document and dates. */
  server: ServerJson;
  official: OfficialMeta;
  shown: VersionView;
  /** Not deleted, newest first. */
  live: VersionView[];
  packages: { registryType: string; identifier: string; version: string }[];
  remotes: { type: string; url: string }[];
  facets: ServerFacets;
}

export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export function namespaceOf(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}

export function summarizeServer(view: ServerView): ServerSummary | undefined {
  const live = view.versions.filter((v) => v.official.status !== 'deleted');
  const shown = live.find((v) => v.official.isLatest) ?? live[0];
  if (shown === undefined) return undefined;
  const server = shown.response.server;
  const packages = Array.isArray(server.packages) ? server.packages : [];
  const remotes = Array.isArray(server.remotes) ? server.remotes : [];
  const status: ServerStatus = shown.official.status;
  return {
    name: view.name,
    title: text(server.title).trim() || view.name,
    description: text(server.description),
    server,
    official: shown.official,
    shown,
    live,
    packages: packages.map((p) => ({ registryType: text(p?.registryType), identifier: text(p?.identifier), version: text(p?.version) })),
    remotes: remotes.map((r) => ({ type: text(r?.type), url: text(r?.url) })),
    facets: serverFacets(server, status),
  };
}

/** Summaries of the servers that have a live version, in the views' order (by name). */
export function summarizeServers(views: readonly ServerView[]): ServerSummary[] {
  return views.map(summarizeServer).filter((s): s is ServerSummary => s !== undefined);
}
