/**
 * Every page of the site with a key: a digest of exactly what that page reads (its own model, the
 * few site-wide parts it shows, the site's source stamp and URL). The page cache (page-cache.ts)
 * renders only the pages whose key it has not seen; the others are taken from the cache. The list
 * must name every page Astro writes: emit-site.ts refuses a page it does not list.
 */
import { hash } from 'node:crypto';
import { listingPages } from './listings.ts';
import { SERVERS_PER_LISTING_PAGE } from './site-data.ts';
import type { SiteData } from './site-data.ts';
import { pageModelDigest, versionPageSlugs } from './site-model.ts';
import type { ServerPageModel } from './site-model.ts';

export interface SitePage {
  /** The page's path below the site root as the pages' getStaticPaths name it (`servers/<slug>/`, `` for home). */
  route: string;
  /** The file Astro writes for it (directory format): `servers/<slug>/index.html`, `404.html`. */
  file: string;
  key: string;
  /** A page without parameters: Astro renders it whenever it runs (the cache serves it only when Astro need not run). */
  fixed?: true;
  /** The server whose model a server or version page renders. */
  server?: string;
}

/** The file of a route in Astro's directory format. */
export function routeFile(route: string): string {
  return route === '404' ? '404.html' : `${route}index.html`;
}

/** SHA-256 of each part followed by a NUL (one-shot: a page key costs one call, not a hash object). */
function digest(...parts: string[]): string {
  return hash('sha256', `${parts.join('\0')}\0`, 'base64url').slice(0, 32);
}

/** What a server list (ServerList.astro) shows of a server. */
function card(s: ServerPageModel): string {
  return JSON.stringify([s.slug, s.title, s.status, s.hasTitle, s.name, s.description, s.version, s.publishedAt]);
}

/**
 * A server as the pages that list it read it (ServerList.astro, listings.ts's facets), for a build
 * that renders none of its own pages: the site's data file stays small. Its own pages read the rest.
 */
export function listedServer(s: ServerPageModel): ServerPageModel {
  const { name, slug, namespace, title, hasTitle, description, version, status, publishedAt, facets } = s;
  return { name, slug, namespace, title, hasTitle, description, version, status, publishedAt, facets, versionPages: [] } as unknown as ServerPageModel;
}

/**
 * Pure: every page with its key. `stamp` is the digest of the site's sources (site-stamp.ts). Every
 * page shows the registry's name and the day of its last change (the layout's header and footer);
 * the base URL is in every link.
 */
export function sitePages(data: SiteData, stamp: string): SitePage[] {
  const { model } = data;
  const global = digest('site-pages 1', stamp, data.siteUrl, model.registryName, model.lastUpdated.slice(0, 10));
  const pages: SitePage[] = [];
  const add = (route: string, ...parts: string[]) => pages.push({ route, file: routeFile(route), key: digest(global, route, ...parts) });
  const addFixed = (route: string, ...parts: string[]) => pages.push({ route, file: routeFile(route), key: digest(global, route, ...parts), fixed: true });
  const cards = new Map<string, string>();
  for (const server of model.servers) {
    cards.set(server.name, card(server));
    // A version's page shows its server's head and versions table: it reads the whole server model.
    const own = pageModelDigest(server);
    const of = (route: string): SitePage => ({ route, file: routeFile(route), key: digest(global, route, own), server: server.name });
    pages.push(of(`servers/${server.slug}/`), ...versionPageSlugs(server).map((slug) => of(`servers/${server.slug}/versions/${slug}/`)));
  }
  for (const removed of model.removed) add(`servers/${removed.slug}/`, JSON.stringify(removed));
  for (const namespace of model.namespaces) {
    add(`namespaces/${namespace.slug}/`, JSON.stringify([namespace.name, namespace.servers.map((name) => cards.get(name) ?? '')]));
  }
  const facets = JSON.stringify(model.facetCounts);
  for (const listing of listingPages(model.servers, SERVERS_PER_LISTING_PAGE)) {
    const { servers, ...rest } = listing;
    add(listing.path === '' ? 'browse/' : `browse/${listing.path}/`, facets, JSON.stringify(rest), servers.map((s) => cards.get(s.name) ?? card(s)).join('\n'));
  }
  const recent = model.recent.map((name) => cards.get(name) ?? '').join('\n');
  addFixed('', facets, String(model.servers.length), String(model.namespaces.length), recent);
  addFixed('changes/', JSON.stringify(data.changes));
  addFixed('api/', JSON.stringify(data.api ?? null));
  addFixed('namespaces/', JSON.stringify(model.namespaces.map((ns) => [ns.name, ns.slug, ns.servers.length])));
  addFixed('publish/');
  addFixed('404');
  // Two routes with one file (hex slugs are cut at 200 digits): one page whose key is both keys.
  const byFile = new Map<string, SitePage>();
  for (const page of pages) {
    const same = byFile.get(page.file);
    byFile.set(page.file, same === undefined ? page : { ...same, key: digest(same.key, page.key) });
  }
  return byFile.size === pages.length ? pages : [...byFile.values()];
}
