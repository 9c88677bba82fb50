/**
 * Querying the prebuilt index: used by the site's browser script and by tests, so what the
 * tests pin is what people get. Pure apart from the loaded engine passed in.
 */
import MiniSearch from 'minisearch';
import type { Query, SearchResult } from 'minisearch';
import { expandPrefix } from './search-engine.ts';
import type { SearchEngine } from './search-engine.ts';
import { processTerm, QUERY_OPTIONS, tokenize } from './search-options.ts';
import type { StoredDocument } from './search-options.ts';

export interface SearchHit extends StoredDocument {
  id: number;
  score: number;
  /** From descriptions.json when given, else ''. */
  d: string;
}

export type FacetSelection = Record<string, readonly string[]>;

/** Relative weight of a word found by completing the word being typed. */
export const PREFIX_WEIGHT = 0.4;
/** The word being typed is completed from this many characters on. */
export const MIN_PREFIX = 2;

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

/** 2 for the exact name, 1 for the exact part after the namespace, else 0. */
function exactness(name: string, q: string): number {
  const lower = name.toLowerCase();
  return lower === q ? 2 : tail(lower) === q ? 1 : 0;
}

/** Pure: the MiniSearch query for typed text: every word must match; the last may be a prefix. */
export function buildQuery(engine: SearchEngine, text: string): Query | undefined {
  const words = tokenize(text)
    .map(processTerm)
    .filter((w): w is string => typeof w === 'string' && w !== '');
  const last = words.at(-1);
  if (last === undefined) return undefined;
  // A single letter is not yet a word: it matches only itself. A word being typed that starts
  // indexed words is matched by those, not fuzzily; one that starts none is probably a typo.
  const expansions = last.length < MIN_PREFIX ? [] : expandPrefix(engine, last);
  const lastQuery: Query =
    expansions.length === 0
      ? last
      : {
          combineWith: 'OR',
          fuzzy: false,
          queries: [last, { combineWith: 'OR', queries: expansions, boostTerm: () => PREFIX_WEIGHT }],
        };
  return { combineWith: 'AND', queries: [...words.slice(0, -1), lastQuery] };
}

/**
 * Results for `text`, best first (ties by name: ids follow name order). An exact name, then an
 * exact part after the namespace, wins over everything else; an empty query lists every document
 * that matches the facets, by name. Only the first `limit` results are materialised.
 */
export function searchServers(
  engine: SearchEngine,
  text: string,
  selection: FacetSelection = {},
  limit = 50,
  descriptions: readonly string[] = [],
): SearchHit[] {
  const q = text.trim().toLowerCase();
  const filtering = Object.values(selection).some((values) => values.length > 0);
  const options = filtering
    ? { ...QUERY_OPTIONS, filter: (result: SearchResult) => facetsMatch(typeof result.f === 'string' ? result.f : '', selection) }
    : QUERY_OPTIONS;
  let raw: SearchResult[];
  if (q === '') {
    raw = engine.index.search(MiniSearch.wildcard, options).sort((a, b) => Number(a.id) - Number(b.id));
  } else {
    const query = buildQuery(engine, q);
    raw = query === undefined ? [] : engine.index.search(query, options);
    raw.sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id));
    const exact = raw.filter((r) => exactness(String(r.n ?? ''), q) > 0);
    if (exact.length > 0) {
      exact.sort((a, b) => exactness(String(b.n), q) - exactness(String(a.n), q));
      const promoted = new Set(exact);
      raw = [...exact, ...raw.filter((r) => !promoted.has(r))];
    }
  }
  return raw.slice(0, limit).map((r) => ({
    id: Number(r.id),
    score: r.score,
    n: String(r.n ?? ''),
    t: String(r.t ?? ''),
    d: descriptions[Number(r.id)] ?? '',
    f: String(r.f ?? ''),
  }));
}
