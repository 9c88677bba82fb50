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

/** Every document's facet words as small integers, built once per loaded index (counting runs per keystroke). */
interface FacetTable {
  words: string[];
  /** Per word: the index of its facet in `facets`. */
  facetOf: number[];
  facets: string[];
  byWord: Map<string, number>;
  docs: Map<number, Uint16Array>;
}

const facetTables = new WeakMap<SearchEngine, FacetTable>();

/** Builds the facet table now (the page calls it when the index arrives) instead of on the first keystroke. */
export function prepareFacetCounts(engine: SearchEngine): void {
  facetTable(engine);
}

function facetTable(engine: SearchEngine): FacetTable {
  const cached = facetTables.get(engine);
  if (cached) return cached;
  const table: FacetTable = { words: [], facetOf: [], facets: [], byWord: new Map(), docs: new Map() };
  const internals = engine.index as unknown as MiniSearchInternals;
  for (const [docId, stored] of internals._storedFields) {
    const f = String(stored?.f ?? '');
    const list = f === '' ? [] : f.split(' ');
    const codes = new Uint16Array(list.length);
    list.forEach((word, i) => {
      let code = table.byWord.get(word);
      if (code === undefined) {
        code = table.words.length;
        table.byWord.set(word, code);
        table.words.push(word);
        const facet = word.slice(0, Math.max(0, word.indexOf(':')));
        let fi = table.facets.indexOf(facet);
        if (fi === -1) fi = table.facets.push(facet) - 1;
        table.facetOf.push(fi);
      }
      codes[i] = code;
    });
    table.docs.set(docId, codes);
  }
  facetTables.set(engine, table);
  return table;
}

/**
 * Counts facet values over matching documents. A value is counted when the document satisfies
 * every selected facet except the value's own (values within a facet are alternatives), so each
 * count says how many results picking that value would give.
 */
class FacetCounter {
  private readonly table: FacetTable;
  private readonly counts: Int32Array;
  private readonly selected: { facet: number; wanted: Set<number> }[];

  constructor(engine: SearchEngine, selection: FacetSelection) {
    this.table = facetTable(engine);
    this.counts = new Int32Array(this.table.words.length);
    this.selected = Object.entries(selection)
      .filter(([, values]) => values.length > 0)
      .map(([facet, values]) => ({
        facet: this.table.facets.indexOf(facet),
        wanted: new Set(values.map((v) => this.table.byWord.get(`${facet}:${v}`)).filter((c): c is number => c !== undefined)),
      }));
  }

  add(docId: number): void {
    const codes = this.table.docs.get(docId);
    if (!codes) return;
    const { facetOf } = this.table;
    let failed = -2;
    for (const { facet, wanted } of this.selected) {
      let ok = false;
      for (const c of codes) {
        if (facetOf[c] === facet && wanted.has(c)) {
          ok = true;
          break;
        }
      }
      if (ok) continue;
      if (failed !== -2) return;
      failed = facet;
    }
    for (const c of codes) if (failed === -2 || facetOf[c] === failed) this.counts[c] = (this.counts[c] ?? 0) + 1;
  }

  result(): FacetCounts {
    const out: FacetCounts = new Map();
    this.counts.forEach((n, c) => {
      if (n > 0) out.set(this.table.words[c] as string, n);
    });
    return out;
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
  const counter = withCounts ? new FacetCounter(engine, selection) : undefined;
  if (q === '') {
    const options = filtering
      ? { ...QUERY_OPTIONS, filter: (result: SearchResult) => facetsMatch(typeof result.f === 'string' ? result.f : '', selection) }
      : QUERY_OPTIONS;
    const all = engine.index.search(MiniSearch.wildcard, options).sort((a, b) => Number(a.id) - Number(b.id));
    if (counter) for (const docId of internals._storedFields.keys()) counter.add(docId);
    const hits = all.slice(0, limit).map((r) => hit(r as Record<string, unknown>, Number(r.id), r.score, descriptions));
    return counter ? { hits, total: all.length, counts: counter.result() } : { hits, total: all.length };
  }
  const query = buildQuery(engine, q);
  if (query === undefined) return counter ? { hits: [], total: 0, counts: new Map() } : { hits: [], total: 0 };
  const raw = internals.executeQuery(query, QUERY_OPTIONS);
  // Keep the best `limit` (plus exact names) without sorting every match.
  const best: { docId: number; rank: number; score: number; id: number }[] = [];
  let floor = -Infinity;
  let total = 0;
  for (const [docId, match] of raw) {
    const stored = internals._storedFields.get(docId);
    counter?.add(docId);
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
  return counter ? { hits, total, counts: counter.result() } : { hits, total };
}
