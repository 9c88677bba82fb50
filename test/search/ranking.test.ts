/**
 * Real queries against real data (the official registry of 2025-10-10, trimmed: see
 * test/fixtures/site/README.md): the servers people obviously mean come first.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import { buildSearchIndex, loadSearchFiles } from '../../scripts/search/search-index.ts';
import { searchWithTotal } from '../../scripts/search/search-query.ts';

const live = JSON.parse(readFileSync(new URL('../fixtures/site/live-search-2025-10-10.json', import.meta.url), 'utf8')) as ServerResponse[];
const engine = loadSearchFiles(buildSearchIndex(summarizeServers(serverViewsFromResponses(live))));
const top = (query: string, n = 3) => searchWithTotal(engine, query, {}, n).hits.map((h) => h.n);
const total = (query: string) => searchWithTotal(engine, query, {}, 1).total;

describe('search on the real registry', () => {
  it("finds GitHub's own server first for `github`, and many more", () => {
    expect(top('github')[0]).toBe('io.github.github/github-mcp-server');
    expect(total('github')).toBeGreaterThan(10);
  });

  it('never empties a result with a word it dropped: every prefix of `github` finds it', () => {
    for (const typed of ['git', 'gith', 'githu', 'github']) expect(top(typed, 10), typed).toContain('io.github.github/github-mcp-server');
  });

  it('finds a namespace spelled out, as it is typed', () => {
    expect(top('io.github.github')[0]).toBe('io.github.github/github-mcp-server');
    expect(top('io.github.githu', 10)).toContain('io.github.github/github-mcp-server');
    expect(top('com.notion')).toEqual(['com.notion/mcp']);
    expect(top('io.github.brave/brave-search-mcp-server')[0]).toBe('io.github.brave/brave-search-mcp-server');
  });

  it('matches split and joined words both ways', () => {
    expect(top('file system')[0]).toBe('io.github.bytedance/mcp-server-filesystem');
    expect(top('filesystem')[0]).toBe('io.github.bytedance/mcp-server-filesystem');
    expect(top('git hub')[0]).toBe('io.github.github/github-mcp-server');
  });

  it("puts the publisher's own server above wrappers of it", () => {
    expect(top('brave')[0]).toBe('io.github.brave/brave-search-mcp-server');
    expect(top('brave search')[0]).toBe('io.github.brave/brave-search-mcp-server');
    expect(top('notion')[0]).toBe('com.notion/mcp');
    expect(top('supabase')[0]).toBe('com.supabase/mcp');
  });

  it('puts the server named for the query first', () => {
    expect(top('postgres')[0]).toBe('ai.waystation/postgres');
    expect(top('postgres', 10)).toContain('io.github.martymarkenson/postgres-connector');
  });

  it('answers with servers having most of the words when none has them all', () => {
    expect(top('brave zzzqqq')).toContain('io.github.brave/brave-search-mcp-server');
  });

  it('does not narrow on a single letter being started after a word', () => {
    expect(top('brave s')[0]).toBe('io.github.brave/brave-search-mcp-server');
  });
});
