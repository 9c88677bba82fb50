import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import { toolNames } from '../../scripts/search/search-documents.ts';
import { MAX_SEARCH_TOOLS } from '../../scripts/search/search-options.ts';
import { buildSearchIndex, loadSearchFiles, SEARCH_DESCRIPTIONS_PATH, SEARCH_INDEX_PATH, SEARCH_MANIFEST_PATH } from '../../scripts/search/search-index.ts';
import { searchServers, searchWithTotal } from '../../scripts/search/search-query.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const files = buildSearchIndex(summarizeServers(serverViewsFromResponses(responses)));
const index = loadSearchFiles(files);
const names = (query: string, selection = {}) => searchServers(index, query, selection).map((h) => h.n);

describe('search index', () => {
  it('puts the server whose name is exactly the query first', () => {
    expect(names('weather')[0]).toBe('io.github.acme/weather');
    expect(names('io.github.acme/weather-alerts')[0]).toBe('io.github.acme/weather-alerts');
  });

  it('finds servers by a prefix of a word', () => {
    expect(names('weath')).toContain('io.github.acme/weather-alerts');
  });

  it('counts every match while building only the shown ones', () => {
    const found = searchWithTotal(index, 'weather', {}, 1);
    expect(found.hits).toHaveLength(1);
    expect(found.total).toBe(2);
  });

  it('does not complete a single letter', () => {
    expect(names('w')).toEqual([]);
  });

  it('tolerates a typo in a longer word', () => {
    expect(names('forcasts')).toContain('io.github.acme/weather');
  });

  it('does not bend words under five characters', () => {
    expect(names('bold')).toEqual(['io.github.evil/xss']);
  });

  it('finds a server by its package identifier', () => {
    expect(names('dotnet.files.mcp')[0]).toBe('io.github.dotnet/files');
  });

  it('finds a server by its namespace', () => {
    expect(names('com.example')).toEqual(['com.example/remote-db']);
  });

  it('never indexes deleted servers', () => {
    expect(names('vanished')).toEqual([]);
  });

  it('indexes the shown version only, once per server', () => {
    expect(names('weather').filter((n) => n === 'io.github.acme/weather')).toHaveLength(1);
  });

  it('filters by facets, alternatives within a facet', () => {
    expect(names('', { registry: ['pypi', 'nuget'] })).toEqual(['io.github.acme/weather-alerts', 'io.github.dotnet/files', 'io.github.rtl/arabic-notes']);
    expect(names('', { hosting: ['remote'], transport: ['sse'] })).toHaveLength(1);
    expect(names('', { status: ['deprecated'] })).toEqual(['io.github.old/legacy-search']);
  });

  it('counts the facet values of the servers matching the typed text', () => {
    const counts = searchWithTotal(index, 'weather', {}, 30, [], true).counts;
    expect(Object.fromEntries(counts ?? [])).toEqual({
      'hosting:local': 2,
      'registry:npm': 1,
      'registry:pypi': 1,
      'status:active': 2,
      'transport:stdio': 2,
    });
  });

  it("counts each facet against the other facets' selection, so alternatives keep their counts", () => {
    const counts = searchWithTotal(index, '', { registry: ['pypi'] }, 30, [], true).counts ?? new Map();
    expect(counts.get('registry:npm')).toBe(3);
    expect(counts.get('registry:pypi')).toBe(2);
    expect(counts.get('transport:stdio')).toBe(1);
    expect(counts.get('transport:sse')).toBeUndefined();
  });

  it('publishes a manifest that says how to load the index', () => {
    const manifest = JSON.parse(files.get(SEARCH_MANIFEST_PATH) ?? '{}');
    expect(manifest.documents).toBe(9);
    expect(manifest.load.storeFields).toEqual(['n', 't', 'f', 'v', 'u']);
  });

  it('ships descriptions beside the index, by document id', () => {
    const descriptions = JSON.parse(files.get(SEARCH_DESCRIPTIONS_PATH) ?? '[]') as string[];
    const [hit] = searchServers(index, 'dotnet.files.mcp', {}, 1, descriptions);
    expect(hit?.d).toBe('File tools as a .NET tool');
  });

  it('gives byte-identical files for the same catalog', () => {
    expect(buildSearchIndex(summarizeServers(serverViewsFromResponses([...responses].reverse()))).get(SEARCH_INDEX_PATH)).toBe(files.get(SEARCH_INDEX_PATH));
  });

  it("finds a server by the name of a tool its inspection recorded, from the registry's own _meta", () => {
    const ns = 'io.github.test/registry';
    const withTools = responses.map((r) =>
      r.server.name === 'io.github.dotnet/files' && r._meta[OFFICIAL_META_KEY]?.isLatest
        ? ({
            ...r,
            _meta: {
              ...r._meta,
              [ns]: { inspection: { endpoints: [{ tools: [{ name: 'create_issue' }, { name: 'list_pulls' }] }, { tools: [{ name: 'create_issue' }] }] } },
            },
          } as ServerResponse)
        : r,
    );
    const summaries = summarizeServers(serverViewsFromResponses(withTools));
    const engine = loadSearchFiles(buildSearchIndex(summaries, { metaNamespace: ns }));
    expect(searchServers(engine, 'create_issue').map((h) => h.n)).toEqual(['io.github.dotnet/files']);
    expect(searchServers(engine, 'list_pulls')[0]?.n).toBe('io.github.dotnet/files');
    // Without the namespace the same _meta is someone else's: not indexed.
    expect(searchServers(loadSearchFiles(buildSearchIndex(summaries)), 'create_issue')).toEqual([]);
    const many = { endpoints: [{ tools: Array.from({ length: MAX_SEARCH_TOOLS + 10 }, (_, i) => ({ name: `tool_${i}` })) }] };
    const big = summarizeServers(
      serverViewsFromResponses([{ ...withTools[0], _meta: { ...withTools[0]?._meta, [ns]: { inspection: many } } } as ServerResponse]),
    );
    expect(toolNames(big[0]!, ns).split(' ')).toHaveLength(MAX_SEARCH_TOOLS);
  });

  it('builds a loadable index from an empty catalog', () => {
    const empty = loadSearchFiles(buildSearchIndex([]));
    expect(searchServers(empty, 'anything')).toEqual([]);
  });
});
