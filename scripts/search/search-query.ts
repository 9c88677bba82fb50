/**
 * Querying the prebuilt index: used by the site's browser script and by tests, so what the
 * tests pin is what people get. Pure apart from the MiniSearch instance passed in.
 */
import type MiniSearch from 'minisearch';
import type { SearchResult } from 'minisearch';
import { QUERY_OPTIONS } from './search-options.ts';
import type { SearchDocument, StoredDocument } from './search-options.ts';

export interface SearchHit extends StoredDocument {
  id: number;
  score: number;
}

export type FacetSelection = Record<string, readonly string[]>;

/** Pure: whether a document's `facet:value` words satisfy every selected facet. */
export function facetsMatch(facetWords: string, selection: FacetSelection): boolean {
  const words = facetWords.split(' ');
  return Object.entries(selection).every(
    ([facet, values]) => values.length === 0 || values.some((v) => words.includes(`${facet}:${v}`)),
  );
}

function tail(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}

/**
 * Results for `query`, best first. An exact name (or the part after the namespace) wins over
 * everything else; an empty query lists every document that matches the facets, by name.
 */
export function searchServers(
  index: MiniSearch<SearchDocument>,
  query: string,
  selection: FacetSelection = {},
  limit = 50,
): SearchHit[] {
  const q = query.trim().toLowerCase();
  const filter = (result: SearchResult) => facetsMatch(typeof result.f === 'string' ? result.f : '', selection);
  const raw = index.search(q === '' ? (index.constructor as typeof MiniSearch).wildcard : q, {
    ...QUERY_OPTIONS,
    filter,
    boostDocument: (_id, _term, stored) => {
      const name = typeof stored?.n === 'string' ? stored.n.toLowerCase() : '';
      if (name === q) return 100;
      if (tail(name) === q) return 20;
      return 1;
    },
  });
  const hits = raw.map((r) => ({
    id: Number(r.id),
    score: r.score,
    n: String(r.n ?? ''),
    t: String(r.t ?? ''),
    d: String(r.d ?? ''),
    f: String(r.f ?? ''),
  }));
  if (q === '') hits.sort((a, b) => (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  else hits.sort((a, b) => b.score - a.score || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return hits.slice(0, limit);
}
