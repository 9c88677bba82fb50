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
  publisher: Publisher;
}

/**
 * Who a namespace says published the server. The official registry lets `io.github.<login>` be
 * published only by that GitHub user or organisation, and a reverse-DNS namespace only by whoever
 * proves the domain (DNS or HTTP). `owner` is the login, or the domain's own label (`com.figma.mcp`
 * → `figma`). `repositoryOwned`: the repository URL is on github.com under the same login, or on
 * the namespace's domain (or a subdomain of it).
 */
export interface Publisher {
  kind: 'github' | 'domain';
  owner: string;
  /** `example.com` for `com.example`; absent for GitHub namespaces. */
  domain?: string;
  repositoryOwned: boolean;
}

export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export function namespaceOf(name: string): string {
  const slash = name.indexOf('/');
  return slash === -1 ? name : name.slice(0, slash);
}

const GITHUB_PREFIX = 'io.github.';

function repositoryHost(url: string): { host: string; path: string[] } | undefined {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.toLowerCase(), path: parsed.pathname.split('/').filter((p) => p !== '') };
  } catch {
    return undefined;
  }
}

/** Pure: the publisher a server's namespace names, from the name and the repository URL. */
export function publisherOf(name: string, repositoryUrl: unknown): Publisher {
  const namespace = namespaceOf(name).toLowerCase();
  const repo = typeof repositoryUrl === 'string' ? repositoryHost(repositoryUrl) : undefined;
  if (namespace.startsWith(GITHUB_PREFIX)) {
    const owner = namespace.slice(GITHUB_PREFIX.length);
    const repositoryOwned = repo !== undefined && repo.host === 'github.com' && repo.path[0]?.toLowerCase() === owner;
    return { kind: 'github', owner, repositoryOwned };
  }
  const labels = namespace.split('.').filter((l) => l !== '');
  const domain = [...labels].reverse().join('.');
  // The domain's own label and its parent: `com.figma.mcp` → figma.com, whose subdomains count too.
  const base = labels.length >= 2 ? `${labels[1]}.${labels[0]}` : domain;
  const repositoryOwned = repo !== undefined && (repo.host === base || repo.host.endsWith(`.${base}`));
  return { kind: 'domain', owner: labels[1] ?? labels[0] ?? namespace, domain, repositoryOwned };
}

/** `metaNamespace` (config.metaNamespace) is where the build put the inspection the facets read. */
export function summarizeServer(view: ServerView, metaNamespace?: string): ServerSummary | undefined {
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
    facets: serverFacets(server, status, inspectionBlock(shown, metaNamespace)),
    publisher: publisherOf(view.name, server.repository?.url),
  };
}

function inspectionBlock(v: VersionView, metaNamespace: string | undefined): unknown {
  if (metaNamespace === undefined || metaNamespace === '') return undefined;
  const own = v.response._meta?.[metaNamespace];
  return typeof own === 'object' && own !== null && !Array.isArray(own) ? (own as Record<string, unknown>).inspection : undefined;
}

/** Summaries of the servers that have a live version, in the views' order (by name). */
export function summarizeServers(views: readonly ServerView[], options: { metaNamespace?: string } = {}): ServerSummary[] {
  return views.map((v) => summarizeServer(v, options.metaNamespace)).filter((s): s is ServerSummary => s !== undefined);
}
