import { describe, expect, it } from 'vitest';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { registryMetaBlocks } from '../../scripts/site/registry-meta.ts';
import { buildSiteModel } from '../../scripts/site/site-model.ts';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';

const official = {
  status: 'active',
  statusChangedAt: '2026-01-01T00:00:00Z',
  publishedAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  isLatest: true,
} as const;

describe('registry notes on server pages', () => {
  it('flattens overlay and provenance data under the registry key into named text fields', () => {
    const blocks = registryMetaBlocks({
      [OFFICIAL_META_KEY]: official,
      'com.acme.mcp/registry': {
        verified: true,
        rating: 4.5,
        categories: ['files', 'dev'],
        upstream: { url: 'https://up.example/v0.1', fetchedAt: '2026-02-02T00:00:00Z' },
      },
    });
    expect(blocks).toEqual([
      {
        key: 'com.acme.mcp/registry',
        fields: [
          { name: 'categories', value: 'files, dev' },
          { name: 'rating', value: '4.5' },
          { name: 'upstream.fetchedAt', value: '2026-02-02T00:00:00Z' },
          { name: 'upstream.url', value: 'https://up.example/v0.1' },
          { name: 'verified', value: 'yes' },
        ],
      },
    ]);
  });

  it('never shows the official block', () => {
    expect(registryMetaBlocks({ [OFFICIAL_META_KEY]: official })).toEqual([]);
  });

  it('clips long values', () => {
    const [block] = registryMetaBlocks({ 'com.acme/r': { note: 'x'.repeat(1000) } });
    expect(block!.fields[0]!.value.length).toBe(300);
  });

  it('puts the notes of the shown version on the server page model, and none where there are none', () => {
    const server = { name: 'io.github.acme/weather', description: 'd', version: '1.0.0' };
    const responses = [
      { server, _meta: { [OFFICIAL_META_KEY]: official, 'com.acme.mcp/registry': { verified: true } } },
      { server: { ...server, name: 'io.github.acme/plain' }, _meta: { [OFFICIAL_META_KEY]: official } },
    ] as unknown as ServerResponse[];
    const model = buildSiteModel(summarizeServers(serverViewsFromResponses(responses)), 'r');
    expect(model.servers.find((s) => s.name === 'io.github.acme/weather')!.registryMeta).toEqual([
      { key: 'com.acme.mcp/registry', fields: [{ name: 'verified', value: 'yes' }] },
    ]);
    expect(model.servers.find((s) => s.name === 'io.github.acme/plain')!.registryMeta).toBeUndefined();
  });
});
