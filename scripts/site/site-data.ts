/**
 * Everything the Astro pages render, assembled in one pure step. Pages read it through the
 * `virtual:mcp-site-data` module (see astro-config.ts) and compute nothing of their own.
 */
import type { RegistryConfig } from '../config/registry-config.ts';
import { summarizeServer, summarizeServers } from '../catalog/server-summary.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import type { ServerView } from '../catalog/server-view.ts';
import type { ReadmeFile } from '../readme/readme-file.ts';
import { buildApiDocs } from './api-docs.ts';
import type { ApiDocsModel, HostKind } from './api-docs.ts';
import { listChanges } from './changes-feed.ts';
import type { ChangeEntry } from './changes-feed.ts';
import { buildSiteModel, cachedSiteModel, removedServers } from './site-model.ts';
import type { ServerModelRecords, SiteModel } from './site-model.ts';

export const CHANGES_ON_PAGE = 100;
export const CHANGES_IN_FEED = 50;
export const SERVERS_PER_LISTING_PAGE = 100;

export interface SiteData {
  model: SiteModel;
  changes: ChangeEntry[];
  api?: ApiDocsModel;
  /** Absolute public URL of the site, without a trailing slash. */
  siteUrl: string;
  /**
   * The routes of the pages with parameters to render (site-pages.ts names them), when the page cache
   * has the others; every page when absent. Pages without parameters always render.
   */
  render?: string[];
}

/** Pure: the site's data from the catalog's per-server views (deleted versions included: removals get pages). */
export function assembleSiteData(
  views: readonly ServerView[],
  config: RegistryConfig,
  openapiYaml?: string,
  host?: HostKind,
  readmes?: ReadonlyMap<string, ReadmeFile>,
  records?: ServerModelRecords,
): SiteData {
  const modelOptions = { metaNamespace: config.metaNamespace, removed: removedServers(views), ...(readmes ? { readmes } : {}) };
  let model: SiteModel;
  let first: ServerSummary | undefined;
  if (records === undefined) {
    const summaries = summarizeServers(views, { metaNamespace: config.metaNamespace });
    first = summaries[0];
    model = buildSiteModel(summaries, config.name, modelOptions);
  } else {
    // Each server's model from its record when its inputs did not change (server-model-cache.ts).
    model = cachedSiteModel(views, config.name, records, modelOptions);
    for (const view of views) {
      first = summarizeServer(view, config.metaNamespace);
      if (first !== undefined) break;
    }
  }
  // The API page's examples are this registry's own first server, as the API answers it.
  const example =
    first === undefined ? undefined : { name: first.name, version: first.shown.version, response: first.shown.response, servers: model.servers.length };
  const api = openapiYaml === undefined ? undefined : buildApiDocs(openapiYaml, { ...(example ? { example } : {}), ...(host ? { host } : {}) });
  return {
    model,
    changes: listChanges(views, CHANGES_ON_PAGE, { metaNamespace: config.metaNamespace }),
    ...(api !== undefined ? { api } : {}),
    siteUrl: config.baseUrl.replace(/\/+$/, ''),
  };
}

/** `/` or `/sub/path/` when the registry is served below a path (GitHub Pages project sites). */
export function basePathOf(siteUrl: string): string {
  let pathname = '/';
  try {
    pathname = new URL(siteUrl).pathname;
  } catch {
    return '/';
  }
  return pathname.endsWith('/') ? pathname : `${pathname}/`;
}
