/** Pure: the catalog's servers as search documents (the shown version of each live server). */
import type { ServerResponse } from '../core/api-types.ts';
import { buildSiteModel } from '../site/site-model.ts';
import type { ServerPageModel } from '../site/site-model.ts';
import { FACET_NAMES } from '../site/server-facets.ts';
import type { SearchDocument } from './search-options.ts';

export function searchDocument(id: number, server: ServerPageModel): SearchDocument {
  return {
    id,
    n: server.name,
    t: server.title === server.name ? '' : server.title,
    d: server.description.slice(0, 200),
    p: [...new Set(server.packages.map((p) => p.identifier).filter((i) => i !== ''))].join(' '),
    f: FACET_NAMES.flatMap((facet) => server.facets[facet].map((value) => `${facet}:${value}`)).join(' '),
  };
}

/** Documents for servers already in the site model (sorted by name), ids in that order. */
export function searchDocumentsFromServers(servers: readonly ServerPageModel[]): SearchDocument[] {
  return servers.map((server, i) => searchDocument(i, server));
}

export function searchDocuments(responses: readonly ServerResponse[]): SearchDocument[] {
  return searchDocumentsFromServers(buildSiteModel(responses, '').servers);
}
