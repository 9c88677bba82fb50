/**
 * The site's view model, computed from the catalog's server summaries (server-view.ts orders
 * the versions; nothing here sorts them) and nothing else. Deleted versions never reach it; a
 * server whose versions are all deleted is absent. Every string is still untrusted: pages print it through Astro's escaping, links go through safe-url.
 */
import { compareInstants, compareStrings } from '../core/compare.ts';
import { countFacets } from '../catalog/server-facets.ts';
import type { FacetCount, ServerFacets } from '../catalog/server-facets.ts';
import { namespaceOf, text } from '../catalog/server-summary.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import type { VersionView } from '../catalog/server-view.ts';
import type { ServerStatus } from '../core/api-types.ts';
import { renderInstallOptions } from './install-snippets.ts';
import type { InstallOption } from './install-snippets.ts';
import { registryMetaBlocks } from './registry-meta.ts';
import type { RegistryMetaBlock } from './registry-meta.ts';
import { safeHttpUrl, safeIconUrl } from './safe-url.ts';
import { namespaceSlug, serverSlug } from './server-slug.ts';

export { namespaceSlug, serverSlug };

export interface VersionRow {
  version: string;
  status: ServerStatus;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  isLatest: boolean;
}

export interface ServerPageModel {
  name: string;
  /** Path of the server's page below the site root, without slashes around it. */
  slug: string;
  namespace: string;
  title: string;
  description: string;
  version: string;
  status: ServerStatus;
  statusMessage?: string;
  publishedAt: string;
  updatedAt: string;
  iconUrl?: string;
  repositoryUrl?: string;
  /** Shown as text when the repository value is not a safe link. */
  repositoryText?: string;
  websiteUrl?: string;
  websiteText?: string;
  packages: { registryType: string; identifier: string; version: string }[];
  remotes: { type: string; url: string }[];
  versions: VersionRow[];
  install: InstallOption[];
  facets: ServerFacets;
  /** What registries add under their own `_meta` keys (overlays, provenance); absent when nothing. */
  registryMeta?: RegistryMetaBlock[];
}

export interface NamespaceModel {
  name: string;
  slug: string;
  servers: string[];
}

export interface SiteModel {
  registryName: string;
  /** The latest `updatedAt` in the catalog ('' for an empty one): the site's only notion of "now". */
  lastUpdated: string;
  servers: ServerPageModel[];
  /** Names of the most recently updated servers, newest first (the home page's list). */
  recent: string[];
  namespaces: NamespaceModel[];
  facetCounts: FacetCount[];
}

export { namespaceOf };

/** How many servers the home page lists under "Recently updated". */
export const RECENT_ON_HOME = 20;

function linkOrText(value: unknown): { url?: string; text?: string } {
  const url = safeHttpUrl(value);
  if (url !== undefined) return { url };
  return typeof value === 'string' && value.trim() !== '' ? { text: value } : {};
}

function versionRow(v: VersionView): VersionRow {
  return {
    version: v.version,
    status: v.official.status,
    ...(v.official.status === 'deprecated' && typeof v.official.statusMessage === 'string' ? { statusMessage: v.official.statusMessage } : {}),
    publishedAt: text(v.official.publishedAt),
    updatedAt: text(v.official.updatedAt),
    isLatest: v.official.isLatest === true,
  };
}

function serverPage(summary: ServerSummary): ServerPageModel {
  const { name, server, official: meta } = summary;
  const repository = linkOrText(server.repository?.url);
  const website = linkOrText(server.websiteUrl);
  const icons = Array.isArray(server.icons) ? server.icons : [];
  const iconUrl = icons.map((icon) => safeIconUrl(icon?.src)).find((u) => u !== undefined);
  const registryMeta = registryMetaBlocks(summary.shown.response._meta);
  return {
    name,
    slug: serverSlug(name),
    namespace: namespaceOf(name),
    title: summary.title,
    description: summary.description,
    version: text(server.version),
    status: meta.status,
    ...(meta.status === 'deprecated' ? { statusMessage: text(meta.statusMessage, 'This server is deprecated.') } : {}),
    publishedAt: text(meta.publishedAt),
    updatedAt: text(meta.updatedAt),
    ...(iconUrl !== undefined ? { iconUrl } : {}),
    ...(repository.url !== undefined ? { repositoryUrl: repository.url } : {}),
    ...(repository.text !== undefined ? { repositoryText: repository.text } : {}),
    ...(website.url !== undefined ? { websiteUrl: website.url } : {}),
    ...(website.text !== undefined ? { websiteText: website.text } : {}),
    packages: summary.packages,
    remotes: summary.remotes,
    versions: summary.live.map(versionRow),
    install: renderInstallOptions(server),
    facets: summary.facets,
    ...(registryMeta.length > 0 ? { registryMeta } : {}),
  };
}

/** Pure: the whole site's view model, from the summaries of the catalog's servers. */
export function buildSiteModel(summaries: readonly ServerSummary[], registryName: string): SiteModel {
  const servers = summaries.map(serverPage);
  const namespaces = new Map<string, NamespaceModel>();
  for (const s of servers) {
    const ns = namespaces.get(s.namespace) ?? { name: s.namespace, slug: namespaceSlug(s.namespace), servers: [] };
    ns.servers.push(s.name);
    namespaces.set(s.namespace, ns);
  }
  let lastUpdated = '';
  for (const summary of summaries) {
    for (const v of summary.live) {
      const updated = text(v.official.updatedAt);
      if (lastUpdated === '' || compareInstants(updated, lastUpdated) > 0) lastUpdated = updated;
    }
  }
  const recent = [...servers]
    .sort((a, b) => compareInstants(b.updatedAt, a.updatedAt) || compareStrings(a.name, b.name))
    .slice(0, RECENT_ON_HOME)
    .map((s) => s.name);
  return {
    registryName,
    lastUpdated,
    servers,
    recent,
    namespaces: [...namespaces.values()].sort((a, b) => compareStrings(a.name, b.name)),
    facetCounts: countFacets(servers.map((s) => s.facets)),
  };
}
