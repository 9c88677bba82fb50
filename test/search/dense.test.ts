/**
 * The search path's flat-array executor (executeDense) and top-k selection: the same documents,
 * scores to the bit and matched-word counts as executeQuery (itself pinned to MiniSearch by
 * executor.test.ts), whether the postings were prepared beforehand or not, and the same first
 * results as sorting every match.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import type { SearchEngine } from '../../scripts/search/search-engine.ts';
import { executeDense, executeQuery, preparePostings, wordCount } from '../../scripts/search/search-executor.ts';
import { buildSearchIndex, loadSearchFiles } from '../../scripts/search/search-index.ts';
import { QUERY_OPTIONS } from '../../scripts/search/search-options.ts';
import { buildQuery, rankTable, searchWithTotal, typedQuery } from '../../scripts/search/search-query.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const files = buildSearchIndex(summarizeServers(serverViewsFromResponses(live)));
const load = (): SearchEngine => loadSearchFiles(files);

// Prefixes (expansions), typos (fuzzy), split and joined words, several words, spelled-out names.
const QUERIES = [
  'github',
  'file system',
  'filesystem',
  'brave search',
  'postgres database',
  'kubernets',
  'wether forcast',
  'googlecloudplatform',
  'slack notion',
  'mcp server',
  'io.github.',
  'com.',
  'doc',
  'api tools for data',
];
const typed = QUERIES.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));

function compare(engine: SearchEngine): number {
  let matches = 0;
  for (const text of typed) {
    for (const combineWith of ['AND', 'OR'] as const) {
      const query = buildQuery(engine, text, combineWith);
      if (query === undefined) continue;
      const expected = executeQuery(engine, query, QUERY_OPTIONS);
      const dense = executeDense(engine, query, QUERY_OPTIONS);
      const label = `${JSON.stringify(text)} ${combineWith}`;
      expect(dense, label).toBeDefined();
      if (dense === undefined) continue;
      const docs = [...dense.docs.subarray(0, dense.n)];
      expect(new Set(docs).size, label).toBe(docs.length);
      expect(
        docs.sort((a, b) => a - b),
        label,
      ).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const [docId, match] of expected) {
        expect(dense.score[docId], label).toBe(match.score);
        expect(wordCount(dense.mask[docId] as number), label).toBe(match.terms.length);
      }
      matches += expected.size;
    }
  }
  return matches;
}

describe('executeDense', () => {
  it('matches executeQuery to the bit on every prefix, before its postings are prepared', () => {
    expect(compare(load())).toBeGreaterThan(5000);
  });

  it('matches executeQuery to the bit once every posting is prepared, in slices or at once', () => {
    const sliced = load();
    let slices = 0;
    while (!preparePostings(sliced, performance.now())) slices += 1;
    expect(slices).toBeGreaterThan(0);
    expect(preparePostings(sliced)).toBe(true);
    expect(compare(sliced)).toBeGreaterThan(5000);
  });

  it('leaves a query of more than 32 distinct words to executeQuery, and search still answers it', () => {
    const engine = load();
    const words = engine.vocabulary.filter((w) => w.length >= 4 && /^[a-z]+$/.test(w)).slice(0, 40);
    const text = `${words.join(' ')} `;
    const query = buildQuery(engine, text, 'OR');
    expect(query).toBeDefined();
    if (query === undefined) return;
    expect(executeDense(engine, query, QUERY_OPTIONS)).toBeUndefined();
    const expected = executeQuery(engine, query, QUERY_OPTIONS);
    expect(expected.size).toBeGreaterThan(0);
    expect(searchWithTotal(engine, text).total).toBe(expected.size);
  });

  it('wordCount counts the bits of a mask', () => {
    expect([0, 1, 3, 0x80000000, 0xffffffff, 0x55555555].map(wordCount)).toEqual([0, 1, 2, 1, 32, 16]);
  });
});

describe('searchWithTotal top results', () => {
  it('are the first of all matches sorted, ties (many equal names) included, with or without facets', () => {
    const engine = load();
    let tied = 0;
    for (const text of typed) {
      for (const selection of [{}, { transport: ['stdio'] }]) {
        const all = searchWithTotal(engine, text, selection, 1_000_000, [], true);
        for (const limit of [1, 5, 30]) {
          const top = searchWithTotal(engine, text, selection, limit, [], true);
          expect(top.hits, `${JSON.stringify(text)} ${limit}`).toEqual(all.hits.slice(0, limit));
          expect(top.total).toBe(all.total);
          expect(top.counts).toEqual(all.counts);
        }
        if (all.hits.length > 30 && all.hits[29]?.score === all.hits[30]?.score) tied += 1;
      }
    }
    expect(tied).toBeGreaterThan(10);
  });
});

describe('rankTable with arrays to reuse', () => {
  it('gives the same bits as with arrays of its own, query after query', () => {
    const engine = load();
    const size = (engine.index as unknown as { _documentIds: Map<number, unknown> })._documentIds.size;
    const into = { bits: new Uint8Array(size), step: new Int32Array(size) };
    for (const text of typed) {
      const query = typedQuery(engine, text);
      if (query === undefined || query.namePrefix) continue;
      expect([...rankTable(engine, query, into)], text).toEqual([...rankTable(engine, query)]);
    }
  });
});
