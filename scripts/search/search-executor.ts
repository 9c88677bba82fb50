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

/**
 * The matches of one query in arrays indexed by short document id, valid until the next
 * executeDense on the same engine: `docs[0..n)` are the matching documents (in no particular
 * order), `score[d]` a document's score and `mask[d]` one bit per distinct query word it matched
 * (its population count is Match.terms.length).
 */
export interface DenseMatches {
  n: number;
  docs: Int32Array;
  score: Float64Array;
  mask: Uint32Array;
}

/** One working set: membership by epoch stamp, so clearing it costs nothing. */
interface Buffer extends DenseMatches {
  stamp: Uint32Array;
  epoch: number;
}

/** One field's postings of one word, with the BM25 score of each (static for a loaded index). */
interface FieldPostings {
  docs: Int32Array;
  raw: Float64Array;
}

interface Scratch {
  size: number;
  pool: Buffer[];
  /** By MiniSearch's postings of a word: per field id, its postings in arrays (built on first use). */
  postings: WeakMap<Postings, (FieldPostings | undefined)[]>;
  /** The buffer handed out last (released when the next query starts). */
  last: Buffer | undefined;
  /** preparePostings: the words by postings, most first, and how many are prepared. */
  order: string[] | undefined;
  prepared: number;
}

const scratches = new WeakMap<object, Scratch>();

function scratchFor(ix: Internals): Scratch {
  let scratch = scratches.get(ix);
  if (scratch === undefined) {
    let size = 0;
    for (const docId of ix._documentIds.keys()) if (docId >= size) size = docId + 1;
    scratch = { size, pool: [], postings: new WeakMap(), last: undefined, order: undefined, prepared: 0 };
    scratches.set(ix, scratch);
  }
  return scratch;
}

function acquire(scratch: Scratch): Buffer {
  const buffer = scratch.pool.pop();
  if (buffer !== undefined) {
    buffer.n = 0;
    buffer.epoch += 1;
    if (buffer.epoch === 0xffffffff) {
      buffer.stamp.fill(0);
      buffer.epoch = 1;
    }
    return buffer;
  }
  const { size } = scratch;
  return { n: 0, docs: new Int32Array(size), score: new Float64Array(size), mask: new Uint32Array(size), stamp: new Uint32Array(size), epoch: 1 };
}

/** The word's postings per field id as arrays with each posting's BM25 score: the same arithmetic as `add` above. */
function fieldPostings(ix: Internals, scratch: Scratch, data: Postings): (FieldPostings | undefined)[] {
  const cached = scratch.postings.get(data);
  if (cached !== undefined) return cached;
  const out: (FieldPostings | undefined)[] = [];
  for (const [fieldId, freqs] of data) {
    const matching = freqs.size;
    const avgFieldLength = ix._avgFieldLength[fieldId] as number;
    const idf = Math.log(1 + (ix._documentCount - matching + 0.5) / (matching + 0.5));
    const docs = new Int32Array(matching);
    const raw = new Float64Array(matching);
    let n = 0;
    for (const [docId, termFreq] of freqs) {
      if (!ix._documentIds.has(docId)) continue;
      const fieldLength = (ix._fieldLength.get(docId) as number[])[fieldId] as number;
      docs[n] = docId;
      raw[n] = idf * (BM25.d + (termFreq * (BM25.k + 1)) / (termFreq + BM25.k * (1 - BM25.b + (BM25.b * fieldLength) / avgFieldLength)));
      n += 1;
    }
    out[fieldId] = { docs: n === matching ? docs : docs.slice(0, n), raw: n === matching ? raw : raw.slice(0, n) };
  }
  scratch.postings.set(data, out);
  return out;
}

/**
 * Computes the postings arrays executeDense uses for every indexed word now, most postings
 * first, until `deadline` (a performance.now() value): true once every word is done. A page calls
 * it in slices after the index loads, so a keystroke does not pay for the words it reaches first
 * (about a tenth of a millisecond per thousand postings); words not yet prepared are prepared
 * when a query first reaches them.
 */
export function preparePostings(engine: SearchEngine, deadline = Number.POSITIVE_INFINITY): boolean {
  const ix = engine.index as unknown as Internals;
  const scratch = scratchFor(ix);
  if (scratch.order === undefined) {
    const { vocabulary, postings } = engine;
    const byCount = vocabulary.map((_, i) => i).sort((a, b) => (postings[b] as number) - (postings[a] as number) || a - b);
    scratch.order = byCount.map((i) => vocabulary[i] as string);
  }
  const { order } = scratch;
  while (scratch.prepared < order.length) {
    for (let k = 0; k < 64 && scratch.prepared < order.length; k += 1) {
      const data = ix._index.get(order[scratch.prepared] as string);
      if (data !== undefined) fieldPostings(ix, scratch, data);
      scratch.prepared += 1;
    }
    if (performance.now() >= deadline) break;
  }
  return scratch.prepared >= order.length;
}

/** The most distinct query words the dense path tracks (one bit each); larger queries take executeQuery. */
const MAX_DENSE_WORDS = 32;

/**
 * executeQuery's matches in flat arrays instead of a Map of objects: the same documents, the same
 * scores to the bit (the additions happen in the same order) and the same number of matched words
 * (test/search/executor.test.ts compares them), without an object or Map entry per match. The
 * BM25 score of each posting is computed once per loaded index and word. Undefined for a query
 * with more than 32 distinct words (take executeQuery then). The arrays are reused by the next
 * call on the same engine.
 */
export function executeDense(engine: SearchEngine, query: Query, searchOptions: SearchOptions): DenseMatches | undefined {
  const ix = engine.index as unknown as Internals;
  const scratch = scratchFor(ix);
  if (scratch.last !== undefined) {
    scratch.pool.push(scratch.last);
    scratch.last = undefined;
  }
  const bits = new Map<string, number>();
  if (!collectWords(query, bits)) return undefined;
  const result = runDense(ix, scratch, bits, query, { combineWith: 'OR', ...searchOptions });
  scratch.last = result;
  return result;
}

const tokenizeQuery = (text: string): string[] =>
  (INDEX_OPTIONS.tokenize as (text: string) => string[])(text)
    .flatMap((term) => (INDEX_OPTIONS.processTerm as (term: string) => string | string[] | null | undefined | false)(term) || [])
    .filter((term): term is string => !!term);

/** Gives each distinct word of the query a bit; false when there are more than MAX_DENSE_WORDS. */
function collectWords(query: Query, bits: Map<string, number>): boolean {
  if (typeof query !== 'string') {
    if (typeof query === 'symbol' || query.queries === undefined) throw new Error('search-executor: only word and combined queries');
    return query.queries.every((q) => collectWords(q, bits));
  }
  for (const term of tokenizeQuery(query)) {
    if (bits.has(term)) continue;
    if (bits.size >= MAX_DENSE_WORDS) return false;
    bits.set(term, (1 << bits.size) >>> 0);
  }
  return true;
}

function runDense(ix: Internals, scratch: Scratch, bits: Map<string, number>, query: Query, options: Options): Buffer {
  if (typeof query !== 'string') {
    const sub: Options = { ...options, ...(query as Exclude<Query, string | symbol>), queries: undefined };
    const queries = (query as Exclude<Query, string | symbol>).queries ?? [];
    return combineDense(scratch, queries.length, (i) => runDense(ix, scratch, bits, queries[i] as Query, sub), sub.combineWith);
  }
  const terms = tokenizeQuery(query);
  return combineDense(scratch, terms.length, (i) => termDense(ix, scratch, bits, terms[i] as string, i, terms, options), options.combineWith);
}

function termDense(ix: Internals, scratch: Scratch, bits: Map<string, number>, term: string, i: number, terms: string[], options: Options): Buffer {
  const fuzzy = typeof options.fuzzy === 'function' ? options.fuzzy(term, i, terms) : options.fuzzy || false;
  const termBoost = typeof options.boostTerm === 'function' ? options.boostTerm(term, i, terms) : 1;
  const out = acquire(scratch);
  const bit = bits.get(term) as number;
  addDense(ix, scratch, 1, termBoost, ix._index.get(term), options, bit, out);
  if (fuzzy) {
    const f = fuzzy === true ? 0.2 : fuzzy;
    const maxDistance = f < 1 ? Math.min(options.maxFuzzy ?? MAX_FUZZY, Math.round(term.length * f)) : f;
    if (maxDistance) {
      const matches = ix._index.fuzzyGet(term, maxDistance);
      for (const derived of matches.keys()) {
        const [data, distance] = matches.get(derived) as [Postings, number];
        if (!distance) continue;
        addDense(ix, scratch, (FUZZY_WEIGHT * derived.length) / (derived.length + distance), termBoost, data, options, bit, out);
      }
    }
  }
  return out;
}

function addDense(
  ix: Internals,
  scratch: Scratch,
  termWeight: number,
  termBoost: number,
  data: Postings | undefined,
  options: Options,
  bit: number,
  out: Buffer,
): void {
  if (data == null) return;
  const boost = options.boost ?? {};
  const perField = fieldPostings(ix, scratch, data);
  const { docs: list, score, mask, stamp, epoch } = out;
  let n = out.n;
  for (const field of FIELDS) {
    const fieldBoost = (Object.hasOwn(boost, field) ? boost[field] : undefined) || 1;
    const postings = perField[ix._fieldIds[field] as number];
    if (postings === undefined) continue;
    // The same product as `add`, left to right: ((termWeight × termBoost) × fieldBoost) × 1, then × raw.
    const weight = termWeight * termBoost * fieldBoost * 1;
    const { docs, raw } = postings;
    for (let k = 0; k < docs.length; k += 1) {
      const d = docs[k] as number;
      const weighted = weight * (raw[k] as number);
      if (stamp[d] === epoch) {
        score[d] = (score[d] as number) + weighted;
        mask[d] = (mask[d] as number) | bit;
      } else {
        stamp[d] = epoch;
        score[d] = weighted;
        mask[d] = bit;
        list[n] = d;
        n += 1;
      }
    }
  }
  out.n = n;
}

/** combine() over buffers: the first child's buffer takes the others in, in order, and each is released after. */
function combineDense(scratch: Scratch, count: number, child: (i: number) => Buffer, combineWith: string | undefined): Buffer {
  if (count === 0) return acquire(scratch);
  const operator = (combineWith ?? 'OR').toLowerCase();
  if (operator !== 'and' && operator !== 'or') throw new Error(`search-executor: no ${combineWith}`);
  const and = operator === 'and';
  const acc = child(0);
  for (let i = 1; i < count; i += 1) {
    const next = child(i);
    const { docs, score, mask, stamp, epoch } = acc;
    if (and) {
      let kept = 0;
      for (let k = 0; k < acc.n; k += 1) {
        const d = docs[k] as number;
        if (next.stamp[d] === next.epoch) {
          score[d] = (score[d] as number) + (next.score[d] as number);
          mask[d] = (mask[d] as number) | (next.mask[d] as number);
          docs[kept] = d;
          kept += 1;
        } else stamp[d] = 0;
      }
      acc.n = kept;
    } else {
      let n = acc.n;
      for (let k = 0; k < next.n; k += 1) {
        const d = next.docs[k] as number;
        if (stamp[d] === epoch) {
          score[d] = (score[d] as number) + (next.score[d] as number);
          mask[d] = (mask[d] as number) | (next.mask[d] as number);
        } else {
          stamp[d] = epoch;
          score[d] = next.score[d] as number;
          mask[d] = next.mask[d] as number;
          docs[n] = d;
          n += 1;
        }
      }
      acc.n = n;
    }
    scratch.pool.push(next);
  }
  return acc;
}

/** The number of set bits (matched distinct words) of a mask. */
export function wordCount(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
