/**
 * The query executor of MiniSearch 7, for the queries search-query.ts builds, without the
 * per-match `match` objects (a field list per matched word, merged on every combination) that
 * nothing here reads: on 10,000 servers they were most of each keystroke's query time. Scores
 * are computed with the same BM25 arithmetic, in the same order, over the same internal
 * postings, so they are equal to MiniSearch's to the last bit (test/search/executor.test.ts
 * compares them). Reads members internal to MiniSearch 7; package-lock pins the version.
 */
import type { Query, SearchOptions } from 'minisearch';
import type { SearchEngine } from './search-engine.ts';
import { INDEX_OPTIONS } from './search-options.ts';

export interface Match {
  score: number;
  /** The query words (as typed or expanded) this document matched. */
  terms: string[];
}

type Postings = Map<number, Map<number, number>>;

interface RadixTree {
  get(term: string): Postings | undefined;
  fuzzyGet(term: string, maxDistance: number): Map<string, [Postings, number]>;
}

interface Internals {
  _index: RadixTree;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, unknown>;
}

/** MiniSearch 7's defaults, which QUERY_OPTIONS does not override. */
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

type Options = SearchOptions & { queries?: undefined };

const FIELDS = INDEX_OPTIONS.fields;

export function executeQuery(engine: SearchEngine, query: Query, searchOptions: SearchOptions): Map<number, Match> {
  return run(engine.index as unknown as Internals, query, { combineWith: 'OR', ...searchOptions });
}

function run(ix: Internals, query: Query, options: Options): Map<number, Match> {
  if (typeof query !== 'string') {
    if (typeof query === 'symbol' || query.queries === undefined) throw new Error('search-executor: only word and combined queries');
    const sub: Options = { ...options, ...query, queries: undefined };
    return combine(
      query.queries.map((q) => run(ix, q, sub)),
      sub.combineWith,
    );
  }
  const terms = (INDEX_OPTIONS.tokenize as (text: string) => string[])(query)
    .flatMap((term) => (INDEX_OPTIONS.processTerm as (term: string) => string | string[] | null | undefined | false)(term) || [])
    .filter((term): term is string => !!term);
  return combine(
    terms.map((term, i) => termResults(ix, term, i, terms, options)),
    options.combineWith,
  );
}

function termResults(ix: Internals, term: string, i: number, terms: string[], options: Options): Map<number, Match> {
  const fuzzy = typeof options.fuzzy === 'function' ? options.fuzzy(term, i, terms) : options.fuzzy || false;
  const termBoost = typeof options.boostTerm === 'function' ? options.boostTerm(term, i, terms) : 1;
  const results = new Map<number, Match>();
  add(ix, term, 1, termBoost, ix._index.get(term), options, results);
  if (fuzzy) {
    const f = fuzzy === true ? 0.2 : fuzzy;
    const maxDistance = f < 1 ? Math.min(options.maxFuzzy ?? MAX_FUZZY, Math.round(term.length * f)) : f;
    if (maxDistance) {
      const matches = ix._index.fuzzyGet(term, maxDistance);
      for (const derived of matches.keys()) {
        const [data, distance] = matches.get(derived) as [Postings, number];
        if (!distance) continue;
        add(ix, term, (FUZZY_WEIGHT * derived.length) / (derived.length + distance), termBoost, data, options, results);
      }
    }
  }
  return results;
}

function add(
  ix: Internals,
  source: string,
  termWeight: number,
  termBoost: number,
  data: Postings | undefined,
  options: Options,
  results: Map<number, Match>,
): void {
  if (data == null) return;
  const boost = options.boost ?? {};
  for (const field of FIELDS) {
    const fieldBoost = (Object.hasOwn(boost, field) ? boost[field] : undefined) || 1;
    const fieldId = ix._fieldIds[field] as number;
    const freqs = data.get(fieldId);
    if (freqs == null) continue;
    const matching = freqs.size;
    const avgFieldLength = ix._avgFieldLength[fieldId] as number;
    const idf = Math.log(1 + (ix._documentCount - matching + 0.5) / (matching + 0.5));
    for (const [docId, termFreq] of freqs) {
      if (!ix._documentIds.has(docId)) continue;
      const fieldLength = (ix._fieldLength.get(docId) as number[])[fieldId] as number;
      const raw = idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / avgFieldLength)));
      const weighted = termWeight * termBoost * fieldBoost * 1 * raw;
      const result = results.get(docId);
      if (result) {
        result.score += weighted;
        if (!result.terms.includes(source)) result.terms.push(source);
      } else results.set(docId, { score: weighted, terms: [source] });
    }
  }
}

function combine(results: Map<number, Match>[], combineWith: string | undefined): Map<number, Match> {
  if (results.length === 0) return new Map();
  const operator = (combineWith ?? 'OR').toLowerCase();
  if (operator !== 'and' && operator !== 'or') throw new Error(`search-executor: no ${combineWith}`);
  const and = operator === 'and';
  return results.reduce((a, b) => {
    if (!and) {
      for (const [docId, match] of b) {
        const existing = a.get(docId);
        if (existing == null) a.set(docId, match);
        else {
          existing.score = existing.score + match.score;
          for (const t of match.terms) if (!existing.terms.includes(t)) existing.terms.push(t);
        }
      }
      return a;
    }
    const combined = new Map<number, Match>();
    for (const [docId, match] of b) {
      const existing = a.get(docId);
      if (existing == null) continue;
      for (const t of match.terms) if (!existing.terms.includes(t)) existing.terms.push(t);
      combined.set(docId, { score: existing.score + match.score, terms: existing.terms });
    }
    return combined;
  });
}
