// The site's data and link helpers. Pages render what scripts/site computed; nothing else.
import data from 'virtual:mcp-site-data';
import type { SiteData } from '@registry/site/site-data.ts';
import type { ServerPageModel } from '@registry/site/site-model.ts';

export const site: SiteData = data;

const byName = new Map<string, ServerPageModel>(site.model.servers.map((s) => [s.name, s]));
export function serverByName(name: string): ServerPageModel | undefined {
  return byName.get(name);
}

const only = site.render === undefined ? undefined : new Set(site.render);
/** Whether this build renders the page at `route` (`servers/<slug>/`): the page cache has the others. */
export function renders(route: string): boolean {
  return only === undefined || only.has(route);
}

const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

/** A site-internal link: `path` is relative to the site root, without a leading slash. */
export function href(path = ''): string {
  return BASE + path;
}

export function serverHref(slug: string): string {
  return href(`servers/${slug}/`);
}

export function namespaceHref(slug: string): string {
  return href(`namespaces/${slug}/`);
}

export function facetHref(facet: string, value: string): string {
  return href(`browse/${facet}/${value}/`);
}

/** `2025-10-01T10:00:00Z` → `2025-10-01` (dates stay UTC, the same for every reader). */
export function day(timestamp: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(timestamp) ? timestamp.slice(0, 10) : timestamp;
}
