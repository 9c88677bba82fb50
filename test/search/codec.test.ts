import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import {
  compactIndex,
  deriveFields,
  expandIndex,
  frontCode,
  frontDecode,
  isCompactIndex,
  isDeferredPostings,
  isStoredRows,
  splitIndex,
} from '../../scripts/search/search-codec.ts';
import { searchDocuments, storedNameFields } from '../../scripts/search/search-documents.ts';
import { engineFromJs, loadSearchEngine } from '../../scripts/search/search-engine.ts';
import {
  createIndex,
  DERIVED_FIELDS,
  loadSearchFiles,
  SEARCH_DEFERRED_PATH,
  SEARCH_INDEX_PATH,
  SEARCH_ROWS_PATH,
  searchIndexFiles,
} from '../../scripts/search/search-index.ts';
import { INDEX_OPTIONS, STORED_FIELDS } from '../../scripts/search/search-options.ts';
import type { SearchDocument } from '../../scripts/search/search-options.ts';
import { searchWithTotal } from '../../scripts/search/search-query.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const documents = searchDocuments(summarizeServers(serverViewsFromResponses(live)));
const plain = JSON.parse(JSON.stringify(createIndex(documents)));

type Entry = [string, Record<string, unknown>];
/** MiniSearch's plain object with its index entries in code-unit order, as expandIndex lists them. */
function sorted<T extends { index: unknown }>(js: T): T {
  return { ...js, index: [...(js.index as Entry[])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
}

describe('compact search index', () => {
  it("expands back to MiniSearch's own plain object, key for key, its entries in code-unit order", () => {
    const compact = JSON.parse(JSON.stringify(compactIndex(plain, STORED_FIELDS, ['n'])));
    expect(isCompactIndex(compact)).toBe(true);
    expect(compact.frontCoded).toEqual(['n']);
    const expanded = expandIndex(compact);
    // MiniSearch lists its entries in its tree's order, which is not sorted: the same entries.
    expect((plain.index as Entry[]).map(([w]) => w)).not.toEqual((expanded.index as Entry[]).map(([w]) => w));
    expect(expanded).toEqual(sorted(plain));
  });

  it('front-codes a column against the value before and decodes it back', () => {
    const column = ['io.github.a/x', 'io.github.a/xy', null, 'io.github.b/z', 'com.example/m', 'com.example/m', ''];
    expect(frontCode(column)).toEqual(['io.github.a/x', [13, 'y'], null, [10, 'b/z'], 'com.example/m', [13, ''], '']);
    expect(frontDecode(frontCode(column))).toEqual(column);
  });

  it('keeps sparse short ids and document ids that differ from them', () => {
    const index = new MiniSearch<SearchDocument>(INDEX_OPTIONS);
    index.addAll(documents.slice(0, 5).map((d) => ({ ...d, id: d.id + 100 })));
    index.discard(101);
    const js = JSON.parse(JSON.stringify(index));
    const compact = JSON.parse(JSON.stringify(compactIndex(js, STORED_FIELDS)));
    expect(compact.shortIds).toEqual([0, 2, 3, 4]);
    expect(expandIndex(compact)).toEqual(sorted(js));
  });

  it('gives the same results, scores included, as the index loaded from MiniSearch JSON', () => {
    const fromCompact = loadSearchEngine(JSON.stringify(compactIndex(plain, STORED_FIELDS, ['n'])));
    const fromPlain = engineFromJs(plain);
    for (const query of ['github', 'file system', 'postgres', 'weath', 'io.github.', 'slack', 'browser autom']) {
      expect(searchWithTotal(fromCompact, query, {}, 30)).toEqual(searchWithTotal(fromPlain, query, {}, 30));
    }
  });

  it('stores a word once for the fields that hold it in the same documents, and its words front-coded', () => {
    const index = new MiniSearch<SearchDocument>(INDEX_OPTIONS);
    const base = { n: '', s: '', d: '', p: '', o: '', f: '', u: '' };
    index.addAll([
      { ...base, id: 0, n: 'a/weather', k: 'weather', t: 'weather weather', d: 'weather' },
      { ...base, id: 1, n: 'a/weatherly', k: 'weatherly', t: 'Weather', d: 'weather' },
    ]);
    const js = JSON.parse(JSON.stringify(index));
    const compact = compactIndex(js, STORED_FIELDS);
    const field = (name: string) => 1 << (js.fieldIds[name] as number);
    const words = frontDecode(compact.words);
    expect(words).toHaveLength(compact.postings.length);
    // weather: k in doc 0; t in docs 0 (twice) and 1; d in docs 0 and 1, so t and d are not one group (frequencies differ).
    expect(compact.postings[words.indexOf('weather')]).toEqual([
      [field('k'), [0]],
      [field('t'), [0, 1], [2, 1]],
      [field('d'), [0, 1]],
    ]);
    // weatherly: only doc 1's k; front-coded against weather when that comes before it.
    expect(compact.postings[words.indexOf('weatherly')]).toEqual([[field('k'), [1]]]);
    expect(compact.words.some((w) => Array.isArray(w))).toBe(true);
    // A word in k, t and d of the same document once: one group with three bits.
    const single = new MiniSearch<SearchDocument>(INDEX_OPTIONS);
    single.add({ ...base, id: 0, n: 'a/x', k: 'zeta', t: 'Zeta', d: 'zeta' });
    const one = compactIndex(JSON.parse(JSON.stringify(single)), STORED_FIELDS);
    expect(one.postings).toEqual([[[field('k') | field('t') | field('d'), [0]]]]);
    expect(expandIndex(JSON.parse(JSON.stringify(one)))).toEqual(sorted(JSON.parse(JSON.stringify(single))));
    expect(expandIndex(JSON.parse(JSON.stringify(compact)))).toEqual(sorted(js));
  });

  it('splits off the postings of the deferred fields and merges them back into the same object', () => {
    const { index, deferred } = JSON.parse(JSON.stringify(splitIndex(compactIndex(plain, STORED_FIELDS, ['n']), ['d', 'p', 'o'])));
    expect(index.deferred).toEqual(['d', 'p', 'o']);
    expect(isDeferredPostings(deferred)).toBe(true);
    expect(isDeferredPostings(index)).toBe(false);
    // Every word descriptions, packages or tools hold is in the deferred part, each word once per part.
    const words = (plain.index as Entry[]).map(([w]) => w);
    expect(deferred.words.length).toBeGreaterThan(0);
    expect(new Set([...frontDecode(index.words), ...frontDecode(deferred.words)]).size).toBe(words.length);
    expect(deferred.postings).toHaveLength(deferred.words.length);
    expect(expandIndex(index, deferred)).toEqual(sorted(plain));
    // Alone, the index holds the other fields' postings only, and no word that only deferred fields hold.
    const deferredIds = new Set(['d', 'p', 'o'].map((f) => String(plain.fieldIds[f])));
    const own = (sorted(plain).index as Entry[])
      .map(([word, fields]): Entry => [word, Object.fromEntries(Object.entries(fields).filter(([f]) => !deferredIds.has(f)))])
      .filter(([, fields]) => Object.keys(fields).length > 0);
    expect(own.length).toBeLessThan(words.length);
    expect(expandIndex(index).index).toEqual(own);
    const whole = loadSearchEngine(JSON.stringify(index), JSON.stringify(deferred));
    const first = loadSearchEngine(JSON.stringify(index));
    const fromPlain = engineFromJs(plain);
    for (const query of ['github', 'file system', 'postgres', 'weath', 'browser autom', 'docker']) {
      expect(searchWithTotal(whole, query, {}, 30)).toEqual(searchWithTotal(fromPlain, query, {}, 30));
    }
    // "browser" is in descriptions beyond names and titles: the first part alone finds fewer.
    expect(searchWithTotal(first, 'browser', {}, 30).total).toBeLessThan(searchWithTotal(whole, 'browser', {}, 30).total);
    expect(() => loadSearchEngine(JSON.stringify(index), JSON.stringify(index))).toThrow(/deferred postings/);
  });

  it('ships no postings or lengths for the name fields and computes them from the stored names, as MiniSearch did', () => {
    const compact = compactIndex(plain, STORED_FIELDS, ['n']);
    const derived = JSON.parse(JSON.stringify(deriveFields(compact, DERIVED_FIELDS, storedNameFields)));
    expect(derived.derived).toEqual(['k', 's']);
    for (const field of ['k', 's']) expect(derived.fieldLength[plain.fieldIds[field]]).toEqual([]);
    expect(JSON.stringify(derived).length).toBeLessThan(JSON.stringify(compact).length * 0.9);
    expect(expandIndex(derived, undefined, storedNameFields)).toEqual(sorted(plain));
    expect(() => expandIndex(derived)).toThrow(/derived/);
    // Split as published: the three files give the whole object and the same results as MiniSearch's own JSON.
    const files = searchIndexFiles(documents);
    const [index, deferred, rows] = [SEARCH_INDEX_PATH, SEARCH_DEFERRED_PATH, SEARCH_ROWS_PATH].map((path) => JSON.parse(files.get(path) ?? ''));
    expect(Object.keys(index.storedFields).sort()).toEqual(['f', 'n', 'v']);
    expect(index.rows).toEqual(['t', 'u']);
    expect(Object.keys(rows.rows)).toEqual(['t', 'u']);
    expect(isStoredRows(rows)).toBe(true);
    expect(isStoredRows(index) || isStoredRows(deferred) || isDeferredPostings(rows)).toBe(false);
    // Titles, descriptions, packages and tools: postings and lengths in text.json only.
    expect(deferred.fields).toEqual(['t', 'd', 'p', 'o']);
    for (const field of deferred.fields) expect(index.fieldLength[plain.fieldIds[field]]).toEqual([]);
    expect(deferred.fieldLength.map((column: number[]) => column.length)).toEqual(deferred.fields.map(() => documents.length));
    expect(expandIndex(index, deferred, storedNameFields, rows)).toEqual(sorted(plain));
    expect(() => loadSearchEngine(JSON.stringify(index), undefined, JSON.stringify(deferred))).toThrow(/stored rows/);
    const whole = loadSearchFiles(files);
    const fromPlain = engineFromJs(plain);
    for (const query of ['github', 'file system', 'postgres', 'weath', 'io.github.', 'slack', 'browser autom', 'modelcontextprotocol', 'smithery']) {
      expect(searchWithTotal(whole, query, {}, 30, [], true)).toEqual(searchWithTotal(fromPlain, query, {}, 30, [], true));
    }
    // Before text.json, the name fields still match: a login only in names is found, with the
    // same servers in the same order (the name fields outrank the rest); before rows.json, without titles and versions.
    const first = loadSearchEngine(JSON.stringify(index));
    const early = searchWithTotal(first, 'smithery', {}, 30);
    const late = searchWithTotal(fromPlain, 'smithery', {}, 30);
    expect(early.total).toBe(late.total);
    expect(early.hits.map((h) => h.n)).toEqual(late.hits.map((h) => h.n));
    expect(early.hits.every((h) => h.u === '' && h.t === '')).toBe(true);
    expect(late.hits.some((h) => h.u !== '')).toBe(true);
  });

  it('keeps a name field that the stored name does not reproduce', () => {
    const index = new MiniSearch<SearchDocument>(INDEX_OPTIONS);
    const base = { s: '', t: '', d: '', p: '', o: '', f: '', u: '' };
    index.addAll([
      { ...base, id: 0, n: 'io.github.a/alpha', k: 'alpha', s: 'a' },
      { ...base, id: 1, n: 'io.github.b/beta', k: 'gamma', s: 'b' },
    ]);
    const js = JSON.parse(JSON.stringify(index));
    const derived = deriveFields(compactIndex(js, STORED_FIELDS), DERIVED_FIELDS, storedNameFields);
    expect(derived.derived).toEqual(['s']);
    expect(frontDecode(derived.words)).toEqual(['alpha', 'gamma']);
    expect(expandIndex(JSON.parse(JSON.stringify(derived)), undefined, storedNameFields)).toEqual(sorted(js));
  });

  it('is smaller than MiniSearch JSON', () => {
    expect(JSON.stringify(compactIndex(plain, STORED_FIELDS)).length).toBeLessThan(JSON.stringify(plain).length * 0.8);
  });
});
