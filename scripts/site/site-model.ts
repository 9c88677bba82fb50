/**
 * The site's view model, computed from the catalog output (a ServerResponse per version) and
 * nothing else. Deleted versions never reach it; a server whose versions are all deleted is absent.
 * Every string is still untrusted: pages print it through Astro's escaping, links go through safe-url.
 */
import { OFFICIAL_META_KEY } from '../core/api-types.ts';
import type { OfficialMeta, ServerJson, ServerResponse, ServerStatus } from '../core/api-types.ts';
import { renderInstallOptions } from './install-snippets.ts';
import type { InstallOption } from './install-snippets.ts';
import { safeHttpUrl, safeIconUrl } from './safe-url.ts';
import { countFacets, serverFacets } from './server-facets.ts';
import { namespaceSlug, serverSlug } from './server-slug.ts';
import { registryMetaBlocks } from './registry-meta.ts';
import type { RegistryMetaBlock } from './registry-meta.ts';
import type { FacetCount, ServerFacets } from './server-facets.ts';

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
  namespaces: NamespaceModel[];
  facetCounts: FacetCount[];
}

export function namespaceOf(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function officialMeta(response: ServerResponse): OfficialMeta | undefined {
  const meta = response._meta?.[OFFICIAL_META_KEY];
  return typeof meta === 'object' && meta !== null ? meta : undefined;
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

interface LiveVersion {
  server: ServerJson;
  meta: OfficialMeta;
  /** The response's whole `_meta`, for the registry notes. */
  allMeta?: unknown;
}

/** Pure: non-deleted versions grouped by server name, newest publish first. */
export function liveVersionsByName(responses: readonly ServerResponse[]): Map<string, LiveVersion[]> {
  const byName = new Map<string, LiveVersion[]>();
  for (const response of responses) {
    const meta = officialMeta(response);
    const server = response?.server;
    if (meta === undefined || meta.status === 'deleted' || typeof server?.name !== 'string') continue;
    const list = byName.get(server.name) ?? [];
    list.push({ server, meta, allMeta: response._meta });
    byName.set(server.name, list);
  }
  for (const list of byName.values()) {
    list.sort(
      (a, b) =>
        compareStrings(text(b.meta.publishedAt), text(a.meta.publishedAt)) ||
        compareStrings(text(b.server.version), text(a.server.version)),
    );
  }
  return byName;
}

/** The version a server's page shows: the catalog's latest, else the newest live one. */
export function shownVersion(versions: readonly LiveVersion[]): LiveVersion | undefined {
  return versions.find((v) => v.meta.isLatest === true) ?? versions[0];
}

function linkOrText(value: unknown): { url?: string; text?: string } {
  const url = safeHttpUrl(value);
  if (url !== undefined) return { url };
  return typeof value === 'string' && value.trim() !== '' ? { text: value } : {};
}

function serverPage(name: string, versions: LiveVersion[]): ServerPageModel | undefined {
  const shown = shownVersion(versions);
  if (shown === undefined) return undefined;
  const { server, meta } = shown;
  const repository = linkOrText(server.repository?.url);
  const website = linkOrText(server.websiteUrl);
  const icons = Array.isArray(server.icons) ? server.icons : [];
  const iconUrl = icons.map((icon) => safeIconUrl(icon?.src)).find((u) => u !== undefined);
  const packages = Array.isArray(server.packages) ? server.packages : [];
  const remotes = Array.isArray(server.remotes) ? server.remotes : [];
  const registryMeta = registryMetaBlocks(shown.allMeta);
  return {
    name,
    slug: serverSlug(name),
    namespace: namespaceOf(name),
    title: text(server.title).trim() || name,
    description: text(server.description),
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
    packages: packages.map((p) => ({ registryType: text(p?.registryType), identifier: text(p?.identifier), version: text(p?.version) })),
    remotes: remotes.map((r) => ({ type: text(r?.type), url: text(r?.url) })),
    versions: versions.map((v) => ({
      version: text(v.server.version),
      status: v.meta.status,
      ...(v.meta.status === 'deprecated' && typeof v.meta.statusMessage === 'string' ? { statusMessage: v.meta.statusMessage } : {}),
      publishedAt: text(v.meta.publishedAt),
      updatedAt: text(v.meta.updatedAt),
      isLatest: v.meta.isLatest === true,
    })),
    install: renderInstallOptions(server),
    facets: serverFacets(server, meta.status),
    ...(registryMeta.length > 0 ? { registryMeta } : {}),
  };
}

/** Pure: the whole site's view model. */
export function buildSiteModel(responses: readonly ServerResponse[], registryName: string): SiteModel {
  const byName = liveVersionsByName(responses);
  const servers = [...byName.entries()]
    .map(([name, versions]) => serverPage(name, versions))
    .filter((s): s is ServerPageModel => s !== undefined)
    .sort((a, b) => compareStrings(a.name, b.name));
  const namespaces = new Map<string, NamespaceModel>();
  for (const s of servers) {
    const ns = namespaces.get(s.namespace) ?? { name: s.namespace, slug: namespaceSlug(s.namespace), servers: [] };
    ns.servers.push(s.name);
    namespaces.set(s.namespace, ns);
  }
  let lastUpdated = '';
  for (const versions of byName.values()) {
    for (const v of versions) if (text(v.meta.updatedAt) > lastUpdated) lastUpdated = text(v.meta.updatedAt);
  }
  return {
    registryName,
    lastUpdated,
    servers,
    namespaces: [...namespaces.values()].sort((a, b) => compareStrings(a.name, b.name)),
    facetCounts: countFacets(servers.map((s) => s.facets)),
  };
}
