/**
 * Everything the Astro pages render, assembled in one pure step. Pages read it through the
 * `virtual:mcp-site-data` module (see astro-config.ts) and compute nothing of their own.
 */
import type { RegistryConfig } from '../config/registry-config.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import { buildApiDocs } from './api-docs.ts';
import type { ApiDocsModel } from './api-docs.ts';
import { listChanges } from './changes-feed.ts';
import type { ChangeEntry } from './changes-feed.ts';
import { buildSiteModel } from './site-model.ts';
import type { SiteModel } from './site-model.ts';

export const CHANGES_ON_PAGE = 100;
export const CHANGES_IN_FEED = 50;
export const SERVERS_PER_LISTING_PAGE = 100;

export interface SiteData {
  model: SiteModel;
  changes: ChangeEntry[];
  api?: ApiDocsModel;
  /** Absolute public URL of the site, without a trailing slash. */
  siteUrl: string;
}

export function assembleSiteData(summaries: readonly ServerSummary[], config: RegistryConfig, openapiYaml?: string): SiteData {
  const api = openapiYaml === undefined ? undefined : buildApiDocs(openapiYaml);
  return {
    model: buildSiteModel(summaries, config.name),
    changes: listChanges(summaries, CHANGES_ON_PAGE),
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
