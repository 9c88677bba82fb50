/** Pure: the catalog's servers as search documents (the shown version of each live server). */
import { FACET_NAMES } from '../catalog/server-facets.ts';
import type { ServerSummary } from '../catalog/server-summary.ts';
import type { SearchDocument } from './search-options.ts';

export function searchDocument(id: number, server: ServerSummary): SearchDocument {
  return {
    id,
    n: server.name,
    t: server.title === server.name ? '' : server.title,
    d: server.description.slice(0, 200),
    p: [...new Set(server.packages.map((p) => p.identifier).filter((i) => i !== ''))].join(' '),
    f: FACET_NAMES.flatMap((facet) => server.facets[facet].map((value) => `${facet}:${value}`)).join(' '),
  };
}

/** Documents in the summaries' order (by name); ids in that order. */
export function searchDocuments(summaries: readonly ServerSummary[]): SearchDocument[] {
  return summaries.map((server, i) => searchDocument(i, server));
}
