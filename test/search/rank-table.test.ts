/**
 * The per-keystroke ranking is computed for every document at once from inverted name tables
 * (rankTable); it must give each document exactly the bits rankBits gives it one by one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import { loadSearchEngine } from '../../scripts/search/search-engine.ts';
import { buildSearchIndex, SEARCH_INDEX_PATH } from '../../scripts/search/search-index.ts';
import { nameInfo, rankBits, rankTable, typedQuery } from '../../scripts/search/search-query.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const engine = loadSearchEngine(buildSearchIndex(summarizeServers(serverViewsFromResponses(live))).get(SEARCH_INDEX_PATH) ?? '');
const stored = (engine.index as unknown as { _storedFields: Map<number, Record<string, unknown> | undefined> })._storedFields;

const QUERIES = [
  'github',
  'github mcp',
  'file system',
  'filesystem',
  'brave search',
  'postgres',
  'notion',
  'mcp server',
  'google cloud',
  'com.notion/mcp',
  'server-filesystem',
  'supabase',
];

describe('rankTable', () => {
  it('gives every document the bits rankBits gives it, for every prefix of real queries', () => {
    let compared = 0;
    let ranked = 0;
    for (const query of QUERIES) {
      for (let end = 1; end <= query.length + 1; end += 1) {
        const text = end > query.length ? `${query} ` : query.slice(0, end);
        const typed = typedQuery(engine, text);
        if (typed === undefined || typed.namePrefix) continue;
        const table = rankTable(engine, typed);
        for (const [docId, fields] of stored) {
          const expected = rankBits(nameInfo(String(fields?.n ?? ''), fields?.v === 1), typed);
          expect(table[docId], `${JSON.stringify(text)} ${String(fields?.n)}`).toBe(expected);
          compared += 1;
          if (expected > 2) ranked += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    // Not only zeros and the owned bit: names matched words, owners and prefixes.
    expect(ranked).toBeGreaterThan(500);
  });
});
