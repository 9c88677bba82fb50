import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import type { ReadmeFile } from '../../scripts/readme/readme-file.ts';
import { assembleCachedSiteData, modelCacheDir, ServerModelCache } from '../../scripts/site/server-model-cache.ts';
import { assembleSiteData } from '../../scripts/site/site-data.ts';
import { sitePages } from '../../scripts/site/site-pages.ts';
import { readFileSync } from 'node:fs';

const responses = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Test registry', metaNamespace: 'io.example/registry' };
const work = mkdtempSync(join(tmpdir(), 'site-model-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the pages and the data file see: the JSON Astro reads and every page key. */
function seen(data: ReturnType<typeof assembleSiteData>): string {
  return JSON.stringify([data, sitePages(data, 'stamp')]);
}

function withDescription(list: ServerResponse[], name: string, description: string): ServerResponse[] {
  return list.map((r) => (r.server.name === name ? { ...r, server: { ...r.server, description } } : r));
}

describe('site model cache', () => {
  const readme: ReadmeFile = {
    schemaVersion: 1,
    name: 'io.github.acme/weather',
    version: '1.2.0',
    from: 'npm',
    source: 'https://www.npmjs.com/package/weather',
    fetchedAt: '2025-10-01T00:00:00Z',
    format: 'markdown',
    text: '# Weather\n\nForecasts.',
  } as ReadmeFile;
  const readmes = new Map([['io.github.acme/weather', readme]]);

  it('gives what an uncached build gives, cold, warm, after a change and from a corrupt shard', () => {
    const dir = join(work, 'a');
    const views = serverViewsFromResponses(responses);
    const expected = seen(assembleSiteData(views, config, undefined, 'node', readmes));
    expect(seen(assembleCachedSiteData(dir, views, config, undefined, 'node', readmes))).toBe(expected);
    const servers = assembleSiteData(views, config).model.servers.length;
    const warm = new ServerModelCache(modelCacheDir(dir));
    expect(seen(assembleSiteData(views, config, undefined, 'node', readmes, warm))).toBe(expected);
    expect([warm.hits, warm.misses]).toEqual([servers, 0]);

    // One server changed: only its model is computed again, and the pages see the change.
    const changedViews = serverViewsFromResponses(withDescription(responses, 'io.github.acme/weather', 'Changed words'));
    const after = new ServerModelCache(modelCacheDir(dir));
    const incremental = seen(assembleSiteData(changedViews, config, undefined, 'node', readmes, after));
    after.save();
    expect(incremental).toBe(seen(assembleSiteData(changedViews, config, undefined, 'node', readmes)));
    expect(incremental).toContain('Changed words');
    expect([after.hits, after.misses]).toEqual([servers - 1, 1]);

    // A README changed: that server's model is made again.
    const other = new Map([['io.github.acme/weather', { ...readme, text: '# Weather\n\nNew README text.' }]]);
    const readmeCache = new ServerModelCache(modelCacheDir(dir));
    expect(seen(assembleSiteData(changedViews, config, undefined, 'node', other, readmeCache))).toBe(
      seen(assembleSiteData(changedViews, config, undefined, 'node', other)),
    );
    expect(readmeCache.misses).toBe(1);

    // A corrupt or foreign shard only costs time.
    for (const file of readdirSync(modelCacheDir(dir))) writeFileSync(join(modelCacheDir(dir), file), '{not json');
    const corrupt = new ServerModelCache(modelCacheDir(dir));
    expect(seen(assembleSiteData(changedViews, config, undefined, 'node', readmes, corrupt))).toBe(incremental);
    expect(corrupt.hits).toBe(0);
  });

  it('does not take records made by other code', () => {
    const dir = join(work, 'b');
    const views = serverViewsFromResponses(responses);
    const first = new ServerModelCache(modelCacheDir(dir), 'stamp-1');
    assembleSiteData(views, config, undefined, 'node', undefined, first);
    first.save();
    const same = new ServerModelCache(modelCacheDir(dir), 'stamp-1');
    assembleSiteData(views, config, undefined, 'node', undefined, same);
    expect(same.misses).toBe(0);
    const other = new ServerModelCache(modelCacheDir(dir), 'stamp-2');
    assembleSiteData(views, config, undefined, 'node', undefined, other);
    expect(other.hits).toBe(0);
  });

  it('computes a cached server model only when its heavy parts are read', () => {
    const dir = join(work, 'c');
    const views = serverViewsFromResponses(responses);
    assembleCachedSiteData(dir, views, config);
    const data = assembleCachedSiteData(dir, views, config);
    const plain = assembleSiteData(views, config);
    const weather = data.model.servers.find((s) => s.name === 'io.github.acme/weather');
    const expected = plain.model.servers.find((s) => s.name === 'io.github.acme/weather');
    expect(weather?.install).toEqual(expected?.install);
    expect(weather?.versionPages.map((v) => v.slug)).toEqual(expected?.versionPages.map((v) => v.slug));
    expect(JSON.stringify(weather)).toBe(JSON.stringify(expected));
  });
});
