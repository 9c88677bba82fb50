import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/catalog.ts';
import { summarizeServers } from '../../scripts/catalog/server-summary.ts';
import type { ServerJson } from '../../scripts/core/api-types.ts';
import { apiDataFromResponses } from '../../scripts/api/api-data.ts';
import { listChanges } from '../../scripts/site/changes-feed.ts';
import { buildSiteModel } from '../../scripts/site/site-model.ts';

const NAME = 'io.github.acme/clock';

function server(version: string): ServerJson {
  return { name: NAME, description: 'Tells the time', version } as ServerJson;
}

/**
 * Two versions mirrored within one second, their dates at the upstream's precision: .45213 is
 * .452130, earlier than .452138, though the string "…09.45213Z" sorts after "…09.452138Z".
 */
function sameSecondCatalog() {
  const dates = new Map([
    ['servers/io.github.acme/clock/1.0.0.json', { publishedAt: '2025-09-08T23:47:09.45213Z', updatedAt: '2025-09-08T23:47:09.45213Z' }],
    ['servers/io.github.acme/clock/1.0.1.json', { publishedAt: '2025-09-08T23:47:09.452138Z', updatedAt: '2025-09-08T23:47:09.452138Z' }],
  ]);
  return buildCatalog({
    entries: [
      { path: 'servers/io.github.acme/clock/1.0.0.json', server: server('1.0.0') },
      { path: 'servers/io.github.acme/clock/1.0.1.json', server: server('1.0.1') },
    ],
    dates,
    metaNamespace: 'io.github.test/registry',
    fallbackDate: '2025-01-01T00:00:00.000Z',
  });
}

describe('one version order for the API, the site and the feed', () => {
  const catalog = sameSecondCatalog();
  const summaries = summarizeServers(catalog.servers);

  it('the catalog puts the later instant first, whatever the precision', () => {
    expect(catalog.servers[0]?.versions.map((v) => v.version)).toEqual(['1.0.1', '1.0.0']);
  });

  it('the API versions list, the site version table and the changes feed agree with it', () => {
    const api = apiDataFromResponses(catalog.entries.map((e) => e.response))
      .byName.get(NAME)
      ?.versions.map((v) => v.version);
    const site = buildSiteModel(summaries, 'r').servers[0]?.versions.map((v) => v.version);
    const feed = listChanges(catalog.servers, 10).map((c) => c.version);
    expect(api).toEqual(['1.0.1', '1.0.0']);
    expect(site).toEqual(api);
    expect(feed).toEqual(api);
  });

  it('the home page lists servers by the instant they were updated', () => {
    const later = buildCatalog({
      entries: [
        { path: 'servers/io.github.a/x/1.0.0.json', server: { ...server('1.0.0'), name: 'io.github.a/x' } },
        { path: 'servers/io.github.b/y/1.0.0.json', server: { ...server('1.0.0'), name: 'io.github.b/y' } },
      ],
      dates: new Map([
        ['servers/io.github.a/x/1.0.0.json', { publishedAt: '2025-09-08T23:47:09.45213Z', updatedAt: '2025-09-08T23:47:09.45213Z' }],
        ['servers/io.github.b/y/1.0.0.json', { publishedAt: '2025-09-08T23:47:09.452138Z', updatedAt: '2025-09-08T23:47:09.452138Z' }],
      ]),
      metaNamespace: 'io.github.test/registry',
      fallbackDate: '2025-01-01T00:00:00.000Z',
    });
    const model = buildSiteModel(summarizeServers(later.servers), 'r');
    expect(model.recent).toEqual(['io.github.b/y', 'io.github.a/x']);
    expect(model.lastUpdated).toBe('2025-09-08T23:47:09.452138Z');
  });
});
