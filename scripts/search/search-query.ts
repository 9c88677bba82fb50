/**
 * Querying the prebuilt index: used by the site's browser script and by tests, so what the
 * tests pin is what people get. Pure apart from the loaded engine passed in.
 */
import MiniSearch from 'minisearch';
import type { Query, SearchOptions, SearchResult } from 'minisearch';
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

/** How many matching servers carry each `facet:value` word. */
export type FacetCounts = Map<string, number>;

/**
 * Pure: adds one matching document's facet words to `counts`. A value is counted when the
 * document satisfies every selected facet except the value's own (values within a facet are
 * alternatives), so each count says how many results picking that value would give.
 */
export function addFacetCounts(facetWords: string, selection: FacetSelection, counts: FacetCounts): void {
  const words = facetWords === '' ? [] : facetWords.split(' ');
  let failed: string | undefined;
  for (const [facet, values] of Object.entries(selection)) {
    if (values.length === 0 || values.some((v) => words.includes(`${facet}:${v}`))) continue;
    if (failed !== undefined) return;
    failed = facet;
  }
  for (const word of words) {
    if (failed !== undefined && !word.startsWith(`${failed}:`)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
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

interface RawMatch {
  score: number;
  terms: string[];
}

/**
 * MiniSearch's `search()` builds a result object (with match details) for every matching
 * document; on a 10,000-server index a two-letter prefix matches thousands, and that garbage
 * showed up as 10–15 ms pauses per keystroke in the browser. Its query executor returns the
 * scores alone, and only the shown results are built here. These members are internal to
 * MiniSearch 7 (package-lock pins the version; test/search-*.test.ts exercise this path).
 */
interface MiniSearchInternals {
  executeQuery(query: Query, options: SearchOptions): Map<number, RawMatch>;
  _documentIds: Map<number, unknown>;
  _storedFields: Map<number, Record<string, unknown> | undefined>;
}

function hit(stored: Record<string, unknown> | undefined, id: number, score: number, descriptions: readonly string[]): SearchHit {
  return {
    id,
    score,
    n: String(stored?.n ?? ''),
    t: String(stored?.t ?? ''),
    d: descriptions[id] ?? '',
    f: String(stored?.f ?? ''),
  };
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
  return searchWithTotal(engine, text, selection, limit, descriptions).hits;
}

export interface SearchOutcome {
  hits: SearchHit[];
  /** How many servers match the text and the selection. */
  total: number;
  /** With `withCounts`: per `facet:value`, how many servers match the text and the other facets' selection. */
  counts?: FacetCounts;
}

/** As searchServers, with the number of all matching servers (and, when asked, the facet counts of the matches). */
export function searchWithTotal(
  engine: SearchEngine,
  text: string,
  selection: FacetSelection = {},
  limit = 50,
  descriptions: readonly string[] = [],
  withCounts = false,
): SearchOutcome {
  const q = text.trim().toLowerCase();
  const filtering = Object.values(selection).some((values) => values.length > 0);
  const internals = engine.index as unknown as MiniSearchInternals;
  const counts: FacetCounts | undefined = withCounts ? new Map() : undefined;
  if (q === '') {
    const options = filtering
      ? { ...QUERY_OPTIONS, filter: (result: SearchResult) => facetsMatch(typeof result.f === 'string' ? result.f : '', selection) }
      : QUERY_OPTIONS;
    const all = engine.index.search(MiniSearch.wildcard, options).sort((a, b) => Number(a.id) - Number(b.id));
    if (counts) for (const stored of internals._storedFields.values()) addFacetCounts(String(stored?.f ?? ''), selection, counts);
    const hits = all.slice(0, limit).map((r) => hit(r as Record<string, unknown>, Number(r.id), r.score, descriptions));
    return counts ? { hits, total: all.length, counts } : { hits, total: all.length };
  }
  const query = buildQuery(engine, q);
  if (query === undefined) return counts ? { hits: [], total: 0, counts } : { hits: [], total: 0 };
  const raw = internals.executeQuery(query, QUERY_OPTIONS);
  // Keep the best `limit` (plus exact names) without sorting every match.
  const best: { docId: number; rank: number; score: number; id: number }[] = [];
  let floor = -Infinity;
  let total = 0;
  for (const [docId, match] of raw) {
    const stored = internals._storedFields.get(docId);
    if (counts) addFacetCounts(String(stored?.f ?? ''), selection, counts);
    if (filtering && !facetsMatch(String(stored?.f ?? ''), selection)) continue;
    total += 1;
    const name = String(stored?.n ?? '');
    const couldBeExact = name.length === q.length || (name.length > q.length && name.charCodeAt(name.length - q.length - 1) === 47);
    const exact = couldBeExact ? exactness(name, q) : 0;
    const score = match.score * (match.terms.length || 1);
    const rank = exact * 1e12 + score;
    if (best.length >= limit && rank <= floor) continue;
    const id = Number(internals._documentIds.get(docId));
    best.push({ docId, rank, score, id });
    if (best.length > limit * 2) {
      best.sort((a, b) => b.rank - a.rank || a.id - b.id);
      best.length = limit;
      floor = best[limit - 1]!.rank;
    }
  }
  best.sort((a, b) => b.rank - a.rank || a.id - b.id);
  const hits = best.slice(0, limit).map((b) => hit(internals._storedFields.get(b.docId), b.id, b.score, descriptions));
  return counts ? { hits, total, counts } : { hits, total };
}
