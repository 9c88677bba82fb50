/**
 * search-executor.ts replaces MiniSearch's query executor on the search path: for the queries
 * buildQuery makes, it must find the same documents with bit-identical scores and the same
 * matched words, or ranking would drift from what MiniSearch itself would answer.
 */
import { readFileSync } from 'node:fs';
import type { Query, SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import { loadSearchEngine } from '../../scripts/search/search-engine.ts';
import { executeQuery } from '../../scripts/search/search-executor.ts';
import { buildSearchIndex, SEARCH_INDEX_PATH } from '../../scripts/search/search-index.ts';
import { QUERY_OPTIONS } from '../../scripts/search/search-options.ts';
import { buildQuery } from '../../scripts/search/search-query.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const engine = loadSearchEngine(buildSearchIndex(summarizeServers(serverViewsFromResponses(live))).get(SEARCH_INDEX_PATH) ?? '');
const miniSearch = engine.index as unknown as { executeQuery(q: Query, o: SearchOptions): Map<number, { score: number; terms: string[] }> };

// Prefixes (expansions), typos (fuzzy, one and two edits), split and joined words, several words.
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
];

describe('search executor', () => {
  it('answers every prefix of real queries as MiniSearch does, to the bit', () => {
    let documents = 0;
    for (const text of QUERIES) {
      for (let end = 1; end <= text.length; end += 1) {
        for (const combineWith of ['AND', 'OR'] as const) {
          const query = buildQuery(engine, text.slice(0, end), combineWith);
          if (query === undefined) continue;
          const expected = miniSearch.executeQuery(query, QUERY_OPTIONS);
          const actual = executeQuery(engine, query, QUERY_OPTIONS);
          const label = `${JSON.stringify(text.slice(0, end))} ${combineWith}`;
          expect([...actual.keys()], label).toEqual([...expected.keys()]);
          for (const [docId, match] of expected) {
            expect(actual.get(docId)?.score, label).toBe(match.score);
            expect(actual.get(docId)?.terms, label).toEqual(match.terms);
          }
          documents += expected.size;
        }
      }
    }
    expect(documents).toBeGreaterThan(1000);
  });
});
