/**
 * A loaded search index plus its sorted vocabulary. The vocabulary lets the query expand the
 * word being typed to a bounded number of indexed words, so a one- or two-letter prefix costs
 * no more than a complete word (MiniSearch's own prefix search would score every expansion).
 */
import MiniSearch from 'minisearch';
import type { AsPlainObject } from 'minisearch';
import { expandIndex, isCompactIndex, isDeferredPostings, isStoredRows } from './search-codec.ts';
import { storedNameFields } from './search-documents.ts';
import { INDEX_OPTIONS } from './search-options.ts';
import type { SearchDocument } from './search-options.ts';

export interface SearchEngine {
  index: MiniSearch<SearchDocument>;
  /** Every indexed word, sorted by code unit. */
  vocabulary: readonly string[];
  /** How many (field, document) postings each word of `vocabulary` has, same order. */
  postings: readonly number[];
  /** The vocabulary as a set. */
  words: ReadonlySet<string>;
}

type SerializedPostings = Record<string, Record<string, number>>;

export function engineFromJs(js: AsPlainObject): SearchEngine {
  const entries = (js.index as [string, SerializedPostings][])
    .map(([term, fields]): [string, number] => [term, Object.values(fields).reduce((n, docs) => n + Object.keys(docs).length, 0)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    index: MiniSearch.loadJS<SearchDocument>(js, INDEX_OPTIONS),
    vocabulary: entries.map(([term]) => term),
    postings: entries.map(([, n]) => n),
    words: new Set(entries.map(([term]) => term)),
  };
}

/**
 * Loads `search/index.json` as published (the compact form; MiniSearch's own JSON too), the
 * postings of the name fields computed from the stored names (nameFields). With
 * `search/text.json` (the deferred postings: titles, descriptions, packages, tool names) it is
 * the whole index; without it, only the name and namespace fields match, so a client can answer
 * the first keystrokes before the larger part has arrived and load both again when it has. With
 * `search/rows.json` its results carry titles and versions (stored there, not in the index).
 */
export function loadSearchEngine(json: string, deferredJson?: string, rowsJson?: string): SearchEngine {
  const parsed: unknown = JSON.parse(json);
  if (!isCompactIndex(parsed)) return engineFromJs(parsed as AsPlainObject);
  const deferred: unknown = deferredJson === undefined ? undefined : JSON.parse(deferredJson);
  if (deferred !== undefined && !isDeferredPostings(deferred)) throw new Error('not the deferred postings of a search index');
  const rows: unknown = rowsJson === undefined ? undefined : JSON.parse(rowsJson);
  if (rows !== undefined && !isStoredRows(rows)) throw new Error('not the stored rows of a search index');
  return engineFromJs(expandIndex(parsed, deferred, storedNameFields, rows));
}

/** The first index ≥ `word` in the sorted vocabulary. */
function lowerBound(vocabulary: readonly string[], word: string): number {
  let lo = 0;
  let hi = vocabulary.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((vocabulary[mid] as string) < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const MAX_EXPANSIONS = 24;
/** Postings the expansions of one typed prefix may add up to (the first expansion always counts). */
export const EXPANSION_BUDGET = 3000;
const MAX_SCANNED = 1500;

/**
 * Pure: indexed words that extend `prefix` (not itself), shortest first, then by code unit, as
 * many as fit in `budget` postings and `max` words; the first always fits.
 */
export function expandPrefix(engine: Pick<SearchEngine, 'vocabulary' | 'postings'>, prefix: string, max = MAX_EXPANSIONS, budget = EXPANSION_BUDGET): string[] {
  const { vocabulary, postings } = engine;
  const found: number[] = [];
  for (let i = lowerBound(vocabulary, prefix); i < vocabulary.length && found.length < MAX_SCANNED; i += 1) {
    const word = vocabulary[i] as string;
    if (!word.startsWith(prefix)) break;
    if (word !== prefix) found.push(i);
  }
  found.sort((a, b) => (vocabulary[a] as string).length - (vocabulary[b] as string).length || a - b);
  const out: string[] = [];
  let spent = 0;
  for (const i of found) {
    const cost = postings[i] ?? 0;
    if (out.length > 0 && spent + cost > budget) continue;
    out.push(vocabulary[i] as string);
    spent += cost;
    if (out.length >= max) break;
  }
  return out;
}
