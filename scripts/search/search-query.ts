/**
 * Querying the prebuilt index: used by the site's browser script and by tests, so what the
 * tests pin is what people get. Pure apart from the loaded engine passed in.
 */
import MiniSearch from 'minisearch';
import type { Query, SearchOptions, SearchResult } from 'minisearch';
import { expandPrefix } from './search-engine.ts';
import { executeDense, executeQuery, wordCount } from './search-executor.ts';
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
  return Object.entries(selection).every(([facet, values]) => values.length === 0 || values.some((v) => words.includes(`${facet}:${v}`)));
}

/** How many matching servers carry each `facet:value` word. */
export type FacetCounts = Map<string, number>;

/**
 * Every document's facet words as small integers, built once per loaded index (counting runs per
 * keystroke). Documents share a few hundred distinct facet combinations at most, so a match
 * costs one increment of its combination's counter and the words are counted per combination.
 */
interface FacetTable {
  words: string[];
  /** Per word: the index of its facet in `facets`. */
  facetOf: number[];
  facets: string[];
  byWord: Map<string, number>;
  /** Per combination: its facet words as given (`registry:npm transport:stdio …`) and as codes. */
  combos: string[];
  comboCodes: Uint16Array[];
  /** By short document id: its combination. */
  comboOf: Int32Array;
}

const facetTables = new WeakMap<SearchEngine, FacetTable>();

/** Builds the facet and name tables now (the page calls it when the index arrives) instead of on the first keystroke. */
export function prepareFacetCounts(engine: SearchEngine): void {
  facetTable(engine);
  nameTable(engine);
}

function facetTable(engine: SearchEngine): FacetTable {
  const cached = facetTables.get(engine);
  if (cached) return cached;
  const internals = engine.index as unknown as MiniSearchInternals;
  let maxId = -1;
  for (const docId of internals._storedFields.keys()) if (docId > maxId) maxId = docId;
  const table: FacetTable = { words: [], facetOf: [], facets: [], byWord: new Map(), combos: [], comboCodes: [], comboOf: new Int32Array(maxId + 1).fill(-1) };
  const comboIds = new Map<string, number>();
  for (const [docId, stored] of internals._storedFields) {
    const f = String(stored?.f ?? '');
    let combo = comboIds.get(f);
    if (combo === undefined) {
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
      combo = table.combos.length;
      comboIds.set(f, combo);
      table.combos.push(f);
      table.comboCodes.push(codes);
    }
    table.comboOf[docId] = combo;
  }
  facetTables.set(engine, table);
  return table;
}

/** Per facet combination of `table`: whether it satisfies every selected facet. */
function combosMatching(table: FacetTable, selection: FacetSelection): Uint8Array {
  return Uint8Array.from(table.combos, (f) => (facetsMatch(f, selection) ? 1 : 0));
}

/**
 * Counts facet values over matching documents. A value is counted when the document satisfies
 * every selected facet except the value's own (values within a facet are alternatives), so each
 * count says how many results picking that value would give.
 */
class FacetCounter {
  private readonly table: FacetTable;
  private readonly perCombo: Int32Array;
  private readonly selected: { facet: number; wanted: Set<number> }[];

  constructor(engine: SearchEngine, selection: FacetSelection) {
    this.table = facetTable(engine);
    this.perCombo = new Int32Array(this.table.combos.length);
    this.selected = Object.entries(selection)
      .filter(([, values]) => values.length > 0)
      .map(([facet, values]) => ({
        facet: this.table.facets.indexOf(facet),
        wanted: new Set(values.map((v) => this.table.byWord.get(`${facet}:${v}`)).filter((c): c is number => c !== undefined)),
      }));
  }

  add(docId: number): void {
    const combo = this.table.comboOf[docId] ?? -1;
    if (combo >= 0) this.perCombo[combo] = (this.perCombo[combo] ?? 0) + 1;
  }

  result(): FacetCounts {
    const { facetOf, comboCodes, words } = this.table;
    const counts = new Int32Array(words.length);
    this.perCombo.forEach((n, combo) => {
      if (n === 0) return;
      const codes = comboCodes[combo] as Uint16Array;
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
      for (const c of codes) if (failed === -2 || facetOf[c] === failed) counts[c] = (counts[c] ?? 0) + n;
    });
    const out: FacetCounts = new Map();
    counts.forEach((n, c) => {
      if (n > 0) out.set(words[c] as string, n);
    });
    return out;
  }
}

/** Words of a name's own part that say nothing about what the server does. */
const GENERIC_NAME_WORDS: ReadonlySet<string> = new Set(['mcp', 'server']);
const GITHUB_NAMESPACE = 'io.github.';

/** What ranking needs of each document's name, computed once per loaded index. */
interface NameInfo {
  lower: string;
  namespace: string;
  tail: string;
  /** GitHub login or the domain's own label (`com.figma.mcp` → figma). */
  owner: string;
  /** The owner and its words (`brave-software` → brave-software, brave, software, bravesoftware). */
  ownerKeys: Set<string>;
  /** The name's own words without `mcp`/`server`, joined: `mcp-server-filesystem` → filesystem. */
  core: string;
  /** The name's own words, each two neighbours joined, and the owner keys. */
  terms: Set<string>;
  termList: string[];
  /** The publisher's proven identity is the server's own (search-documents.ts). */
  owned: boolean;
}

const nameTables = new WeakMap<SearchEngine, DocTable>();

export function nameInfo(name: string, owned: boolean): NameInfo {
  const lower = name.toLowerCase();
  const slash = lower.indexOf('/');
  const namespace = slash === -1 ? lower : lower.slice(0, slash);
  const tail = slash === -1 ? '' : lower.slice(slash + 1);
  const labels = namespace.split('.');
  const owner = namespace.startsWith(GITHUB_NAMESPACE) ? namespace.slice(GITHUB_NAMESPACE.length) : (labels[1] ?? labels[0] ?? '');
  const ownerWords = tokenize(owner);
  const ownerKeys = new Set([owner, ...ownerWords, ownerWords.join('')]);
  const words = tokenize(tail);
  const terms = new Set([...words, ...ownerKeys]);
  for (let i = 0; i + 1 < words.length; i += 1) terms.add(`${words[i]}${words[i + 1]}`);
  const core = words.filter((w) => !GENERIC_NAME_WORDS.has(w)).join('');
  return { lower, namespace, tail, owner, ownerKeys, core, terms, termList: [...terms], owned };
}

/** Per loaded index, by short document id: ranking's view of each name and the public id. */
interface DocTable {
  infos: (NameInfo | undefined)[];
  ids: number[];
  /** Every short id, in the index's order. */
  shortIds: number[];
  /** One past the highest short id. */
  size: number;
  /** Inverted: which documents have each name, namespace, owner key, name term, core and tail (rankTable). */
  byName: Map<string, number[]>;
  byNamespace: Map<string, number[]>;
  byOwnerKey: Map<string, number[]>;
  byTerm: Map<string, number[]>;
  byCore: Map<string, number[]>;
  byTail: Map<string, number[]>;
  /** The keys of byTerm and byCore, sorted by code unit, for prefixes. */
  sortedTerms: string[];
  sortedCores: string[];
  /** 2 for a publisher-owned server, else 0. */
  ownedBits: Uint8Array;
  /** Every lower-cased name, sorted by code unit, and the document of each (for spelled-out names). */
  sortedNames: string[];
  sortedNameDocs: number[];
}

function addTo(map: Map<string, number[]>, key: string, docId: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [docId]);
  else list.push(docId);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function nameTable(engine: SearchEngine): DocTable {
  const cached = nameTables.get(engine);
  if (cached) return cached;
  const table: DocTable = {
    infos: [],
    ids: [],
    shortIds: [],
    size: 0,
    byName: new Map(),
    byNamespace: new Map(),
    byOwnerKey: new Map(),
    byTerm: new Map(),
    byCore: new Map(),
    byTail: new Map(),
    sortedTerms: [],
    sortedCores: [],
    ownedBits: new Uint8Array(0),
    sortedNames: [],
    sortedNameDocs: [],
  };
  const internals = engine.index as unknown as MiniSearchInternals;
  for (const [docId, stored] of internals._storedFields) {
    const info = nameInfo(String(stored?.n ?? ''), stored?.v === 1);
    table.infos[docId] = info;
    table.shortIds.push(docId);
    table.size = Math.max(table.size, docId + 1);
    addTo(table.byName, info.lower, docId);
    addTo(table.byNamespace, info.namespace, docId);
    addTo(table.byCore, info.core, docId);
    addTo(table.byTail, info.tail, docId);
    for (const key of info.ownerKeys) addTo(table.byOwnerKey, key, docId);
    for (const term of info.terms) addTo(table.byTerm, term, docId);
  }
  table.sortedTerms = [...table.byTerm.keys()].sort(byCodeUnit);
  table.sortedCores = [...table.byCore.keys()].sort(byCodeUnit);
  table.ownedBits = new Uint8Array(table.size);
  table.infos.forEach((info, d) => {
    if (info?.owned) table.ownedBits[d] = 2;
  });
  const byLower = [...table.shortIds].sort((a, b) => byCodeUnit((table.infos[a] as NameInfo).lower, (table.infos[b] as NameInfo).lower) || a - b);
  table.sortedNames = byLower.map((d) => (table.infos[d] as NameInfo).lower);
  table.sortedNameDocs = byLower;
  for (const [docId, id] of internals._documentIds) table.ids[docId] = Number(id);
  nameTables.set(engine, table);
  return table;
}

/** What the user typed, as ranking reads it. */
export interface TypedQuery {
  /** Trimmed, lower-cased text. */
  text: string;
  /** The words, and each reading with two neighbouring words joined (`file system` → filesystem). */
  forms: string[][];
  /** Each form's words joined without spaces. */
  joined: string[];
  /** The last word is still being typed (may be a prefix). */
  typing: boolean;
  /** The text looks like the start of a server name (`io.github.user`, `com.example/db`). */
  namePrefix: boolean;
}

const NAME_LIKE = /^[a-z0-9][a-z0-9._-]*[./][a-z0-9._/-]*$/;

/**
 * Rank bits of one match, highest first: the exact name; the exact namespace; the publisher is
 * the one the query names (owner); the name's own part is the query (`postgres`,
 * `mcp-server-filesystem` for `filesystem`); every word is in the name's own part or owner; the
 * publisher's identity is the server's own. Then the text score decides.
 */
export function rankBits(info: NameInfo, query: TypedQuery): number {
  if (info.lower === query.text) return 64;
  let bits = info.namespace === query.text ? 32 : 0;
  if (query.namePrefix) {
    // A spelled-out name is matched as a name: its words (`io`, `github`) say nothing on their own.
    if (info.lower.startsWith(query.text)) bits |= 16;
  } else {
    const { forms, joined, typing, text } = query;
    for (let f = 0; f < forms.length; f += 1) {
      const form = forms[f] as string[];
      const whole = joined[f] as string;
      const last = form.length - 1;
      let owner = info.ownerKeys.has(whole);
      let all = true;
      for (let i = 0; i <= last; i += 1) {
        const w = form[i] as string;
        if (!owner && info.ownerKeys.has(w)) owner = true;
        if (all && !info.terms.has(w) && !(typing && i === last && w.length >= 3 && startsAny(info.termList, w))) all = false;
      }
      if (owner) bits |= 16;
      if (info.core === whole || info.tail === text || (typing && whole.length >= 3 && info.core.length - whole.length <= 2 && info.core.startsWith(whole)))
        bits |= 8;
      if (all) bits |= 4;
    }
  }
  return info.owned ? bits | 2 : bits;
}

/** The first position in `sorted` (by code unit) whose key is not below `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keys of `sorted` (by code unit) that start with `prefix`. */
function* startingWith(sorted: readonly string[], prefix: string): Generator<string> {
  for (let i = lowerBound(sorted, prefix); i < sorted.length && (sorted[i] as string).startsWith(prefix); i += 1) yield sorted[i] as string;
}

/**
 * rankBits for every document at once, from the name tables' inverted maps: the cost follows the
 * documents whose names hold the query's words, not every match. Equal to rankBits(info, query)
 * for each document (test/search/ranking.test.ts compares them); not for spelled-out names.
 */
export function rankTable(engine: SearchEngine, query: TypedQuery, into?: { bits: Uint8Array; step: Int32Array }): Uint8Array {
  const table = nameTable(engine);
  // Every publisher-owned server starts with its bit; the rest is marked from the inverted maps.
  const reuse = into !== undefined && into.bits.length === table.size && into.step.length === table.size;
  const bits = reuse ? into.bits : table.ownedBits.slice();
  if (reuse) bits.set(table.ownedBits);
  const mark = (docIds: readonly number[] | undefined, bit: number) => {
    if (docIds) for (const d of docIds) bits[d] = (bits[d] as number) | bit;
  };
  mark(table.byNamespace.get(query.text), 32);
  const { forms, joined, typing, text } = query;
  // For "every word": how many of the form's words a document has had so far, above `base`
  // (each form starts above every value the forms before it left, so nothing needs clearing).
  const step = reuse ? into.step.fill(0) : new Int32Array(table.size);
  let base = 0;
  for (let f = 0; f < forms.length; f += 1) {
    const form = forms[f] as string[];
    const whole = joined[f] as string;
    const last = form.length - 1;
    mark(table.byOwnerKey.get(whole), 16);
    for (const w of form) mark(table.byOwnerKey.get(w), 16);
    mark(table.byCore.get(whole), 8);
    mark(table.byTail.get(text), 8);
    if (typing && whole.length >= 3) {
      for (const core of startingWith(table.sortedCores, whole)) if (core.length - whole.length <= 2) mark(table.byCore.get(core), 8);
    }
    for (let i = 0; i <= last; i += 1) {
      const w = form[i] as string;
      const advance = (docIds: readonly number[] | undefined) => {
        if (!docIds) return;
        for (const d of docIds) {
          const at = step[d] as number;
          if (i === 0 ? at <= base : at === base + i) {
            step[d] = base + i + 1;
            if (i === last) bits[d] = (bits[d] as number) | 4;
          }
        }
      };
      advance(table.byTerm.get(w));
      if (typing && i === last && w.length >= 3) for (const term of startingWith(table.sortedTerms, w)) if (term !== w) advance(table.byTerm.get(term));
    }
    base += form.length + 1;
  }
  // The exact name outranks everything, alone.
  for (const d of table.byName.get(text) ?? []) bits[d] = 64;
  return bits;
}

function startsAny(words: readonly string[], prefix: string): boolean {
  for (const w of words) if (w.startsWith(prefix)) return true;
  return false;
}

/** Ways to split a word into two indexed words of 3+ letters (`filesystem` → file + system). */
function splits(engine: SearchEngine, word: string): string[][] {
  const out: string[][] = [];
  for (let i = 3; i <= word.length - 3; i += 1) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (hasWord(engine, a) && hasWord(engine, b)) out.push([a, b]);
  }
  return out.slice(0, 3);
}

function hasWord(engine: SearchEngine, word: string): boolean {
  return engine.words.has(word);
}

/** Pure: how typed text reads: its words, and the readings with two neighbours joined when that is an indexed word. */
export function typedQuery(engine: SearchEngine, text: string): TypedQuery | undefined {
  const q = text.trim().toLowerCase();
  let words = tokenize(q).map(processTerm);
  words = words.filter((w, i) => words.indexOf(w) === i);
  // Text ending in a space has its last word finished; otherwise that word may be half typed.
  const typing = !/\s$/u.test(text);
  // A lone letter after other words is the next word being started: it does not narrow yet.
  if (words.length > 1 && (words.at(-1) as string).length < MIN_PREFIX && typing) words = words.slice(0, -1);
  if (words.length === 0) return undefined;
  const forms = [words];
  for (let i = 0; i + 1 < words.length && words.length <= 6; i += 1) {
    const joined = `${words[i]}${words[i + 1]}`;
    const isLast = i + 1 === words.length - 1;
    if (hasWord(engine, joined) || (isLast && typing && expandPrefix(engine, joined, 1).length > 0)) {
      forms.push([...words.slice(0, i), joined, ...words.slice(i + 2)]);
    }
  }
  return { text: q, forms, joined: forms.map((f) => f.join('')), typing, namePrefix: NAME_LIKE.test(q) };
}

function wordQuery(engine: SearchEngine, word: string, last: boolean, typing: boolean): Query {
  const alternatives: Query[] = [];
  // A single letter is not yet a word: it matches only itself. A word being typed that starts
  // indexed words is matched by those, not fuzzily; one that starts none is probably a typo.
  const expansions = last && typing && word.length >= MIN_PREFIX ? expandPrefix(engine, word) : [];
  if (expansions.length > 0) alternatives.push({ combineWith: 'OR', queries: expansions, boostTerm: () => PREFIX_WEIGHT });
  for (const [a, b] of word.length >= 6 ? splits(engine, word) : [])
    alternatives.push({ combineWith: 'AND', queries: [a as string, b as string], fuzzy: false });
  if (alternatives.length === 0) return word;
  return { combineWith: 'OR', queries: [word, ...alternatives], ...(expansions.length > 0 ? { fuzzy: false } : {}) };
}

/** Pure: the MiniSearch query for typed text: every word must match (in one of its readings); the last may be a prefix. */
export function buildQuery(engine: SearchEngine, text: string, combineWith: 'AND' | 'OR' = 'AND'): Query | undefined {
  const typed = typedQuery(engine, text);
  return typed === undefined ? undefined : queryFor(engine, typed, combineWith);
}

function queryFor(engine: SearchEngine, typed: TypedQuery, combineWith: 'AND' | 'OR'): Query {
  const readings: Query[] = typed.forms.map((form) => ({
    combineWith,
    queries: form.map((w, i) => wordQuery(engine, w, i === form.length - 1, typed.typing)),
  }));
  return readings.length === 1 ? (readings[0] as Query) : { combineWith: 'OR', queries: readings };
}

/**
 * Positions of the best `limit` entries, best first: by rank, then by public id (ids follow name
 * order). Selects a threshold first so that only about `limit` entries are sorted.
 */
function topIndexes(ranks: Float64Array, n: number, docs: Int32Array, ids: readonly number[], limit: number, work: Float64Array): number[] {
  let picked: number[];
  if (n <= limit) picked = Array.from({ length: n }, (_, j) => j);
  else {
    // The limit-th highest rank: every entry above it is in; of the entries equal to it (many,
    // when a short prefix ranks thousands of names alike), those with the lowest ids fill the rest.
    work.set(ranks.subarray(0, n));
    const threshold = kthLargest(work.subarray(0, n), limit);
    picked = [];
    let ties = 0;
    for (let j = 0; j < n; j += 1) {
      const rank = ranks[j] as number;
      if (rank > threshold) picked.push(j);
      else if (rank === threshold) work[ties++] = -(ids[docs[j] as number] as number);
    }
    const wanted = limit - picked.length;
    // The wanted-th lowest id among the ties (ids are distinct): ties at or below it are in.
    const lastId = wanted >= ties ? Number.POSITIVE_INFINITY : -kthLargest(work.subarray(0, ties), wanted);
    for (let j = 0; j < n; j += 1) if (ranks[j] === threshold && (ids[docs[j] as number] as number) <= lastId) picked.push(j);
  }
  picked.sort((a, b) => (ranks[b] as number) - (ranks[a] as number) || (ids[docs[a] as number] as number) - (ids[docs[b] as number] as number));
  if (picked.length > limit) picked.length = limit;
  return picked;
}

/** The k-th largest value (1-based) of `values`, which it reorders (quickselect). */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) > pivot) i += 1;
      while ((values[j] as number) < pivot) j -= 1;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] as number;
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
 * MiniSearch 7 (package-lock pins the version; test/search/ exercises this path).
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
    u: String(stored?.u ?? ''),
  };
}

/**
 * Results for `text`, best first (ties by name: ids follow name order), ordered by rankBits and
 * then the text score; an empty query lists every document that matches the facets, by name.
 * When no server has every word, servers with any of them. Only the first `limit` results are
 * materialised.
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
  const typed = typedQuery(engine, text);
  if (typed === undefined) return counter ? { hits: [], total: 0, counts: new Map() } : { hits: [], total: 0 };
  const table = nameTable(engine);
  const { infos, ids } = table;
  // Every match's rank, score and short id in flat arrays (reused between keystrokes); only the
  // best `limit` are sorted and built.
  const work = workFor(engine, table.size);
  const { ranks, scores, docs } = work;
  let total = 0;
  const facetsOf = facetTable(engine);
  // A spelled-out name is ranked by rankBits, per match (it is cheap there); words by the table.
  const byDoc = typed.namePrefix ? undefined : rankTable(engine, typed, work);
  const allowed = filtering ? combosMatching(facetsOf, selection) : undefined;
  const consider = (score: number, docId: number) => {
    counter?.add(docId);
    if (allowed !== undefined && allowed[facetsOf.comboOf[docId] ?? -1] !== 1) return;
    let bits = 0;
    if (byDoc !== undefined) bits = byDoc[docId] ?? 0;
    else {
      const info = infos[docId];
      if (info !== undefined) bits = rankBits(info, typed);
    }
    ranks[total] = bits * 1e9 + score;
    scores[total] = score;
    docs[total] = docId;
    total += 1;
  };
  // A spelled-out name (`io.github.user`) is found by the start of the names: the namespace's
  // boilerplate words are not indexed. Only when no name starts so is it read as words
  // (`dotnet.files.mcp`, a package identifier).
  let named = 0;
  if (typed.namePrefix) {
    const { sortedNames, sortedNameDocs, ownedBits } = table;
    // Each of these names starts with the text: rankBits is 16, with 32 for the namespace itself,
    // 64 for the name itself and 2 for a publisher-owned server (test/search/ranking.test.ts).
    for (let i = lowerBound(sortedNames, typed.text); i < sortedNames.length && (sortedNames[i] as string).startsWith(typed.text); i += 1) {
      named += 1;
      const docId = sortedNameDocs[i] as number;
      counter?.add(docId);
      if (allowed !== undefined && allowed[facetsOf.comboOf[docId] ?? -1] !== 1) continue;
      const info = infos[docId] as NameInfo;
      ranks[total] = (info.lower === typed.text ? 64 : (info.namespace === typed.text ? 48 : 16) | (ownedBits[docId] as number)) * 1e9;
      scores[total] = 0;
      docs[total] = docId;
      total += 1;
    }
  }
  if (named === 0) matchWords(engine, typed, consider);
  const order = topIndexes(ranks, total, docs, ids, limit, work.select);
  const hits = order.map((j) => {
    const docId = docs[j] as number;
    return hit(internals._storedFields.get(docId), ids[docId] as number, scores[j] as number, descriptions);
  });
  return counter ? { hits, total, counts: counter.result() } : { hits, total };
}

/** Per loaded index: arrays for one keystroke's matches, one slot per document. */
interface Work {
  /** For rankTable. */
  bits: Uint8Array;
  step: Int32Array;
  ranks: Float64Array;
  scores: Float64Array;
  docs: Int32Array;
  /** Scratch for the top-k selection, which reorders it. */
  select: Float64Array;
}

const works = new WeakMap<SearchEngine, Work>();

function workFor(engine: SearchEngine, size: number): Work {
  let work = works.get(engine);
  if (work === undefined || work.docs.length !== size) {
    work = {
      bits: new Uint8Array(size),
      step: new Int32Array(size),
      ranks: new Float64Array(size),
      scores: new Float64Array(size),
      docs: new Int32Array(size),
      select: new Float64Array(size),
    };
    works.set(engine, work);
  }
  return work;
}

/**
 * Calls `consider` with each document the words match and its score (the text score times the
 * number of distinct query words it matched): every word, or when no server has every word and
 * there are several, any of them.
 */
function matchWords(engine: SearchEngine, typed: TypedQuery, consider: (score: number, docId: number) => void): void {
  const several = (typed.forms[0] as string[]).length > 1;
  for (const combineWith of several ? (['AND', 'OR'] as const) : (['AND'] as const)) {
    const query = queryFor(engine, typed, combineWith);
    const dense = executeDense(engine, query, QUERY_OPTIONS);
    if (dense !== undefined) {
      const { n, docs, score, mask } = dense;
      if (n === 0) continue;
      for (let k = 0; k < n; k += 1) {
        const d = docs[k] as number;
        consider((score[d] as number) * (wordCount(mask[d] as number) || 1), d);
      }
      return;
    }
    const raw = executeQuery(engine, query, QUERY_OPTIONS);
    if (raw.size === 0) continue;
    for (const [docId, match] of raw) consider(match.score * (match.terms.length || 1), docId);
    return;
  }
}
