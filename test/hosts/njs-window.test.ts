/**
 * The window njs hands the router (scripts/hosts/njs-window.ts), checked in node over the very
 * `_nginx/api.json` a build writes: for every kind of query, and every page of a cursor walk, the
 * router's answer over the window is the answer over the whole data, byte for byte.
 * test/hosts/nginx.test.ts runs the same code inside nginx.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiData } from '../../scripts/api/api-data.ts';
import { route } from '../../scripts/api/router.ts';
import type { NjsApiData } from '../../scripts/hosts/njs-layout.ts';
import { apiDataFor, routeInNjs } from '../../scripts/hosts/njs-window.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

let data: ApiData;
let raw: NjsApiData;

beforeAll(async () => {
  const root = fixtureRoot(150);
  mkdirSync(join(root, 'registry/renames/com.example'), { recursive: true });
  writeFileSync(
    join(root, 'registry/renames/com.example/old-weather.yaml'),
    'renamedTo: com.example/weather\nrenamedAt: 2026-03-01T10:00:00Z\nrenamedBy: owner\n',
  );
  const { dist } = await buildFixture(root, 'nginx');
  data = await loadApiData(dist);
  raw = JSON.parse(readFileSync(join(dist, '_nginx/api.json'), 'utf8')) as NjsApiData;
}, 60_000);

function both(url: string): { windowed: string; whole: string } {
  const show = (r: ReturnType<typeof route>) => (r.kind === 'body' ? `${r.status} ${r.contentType} ${r.cacheControl}\n${r.body}` : `file ${r.path}`);
  const whole = show(route({ method: 'GET', url }, data));
  expect(show(route({ method: 'GET', url }, apiDataFor(raw, url))), url).toBe(whole);
  return { windowed: show(routeInNjs(raw, { method: 'GET', url }).routed), whole };
}

const WALKS = [
  '',
  'limit=1',
  'limit=7',
  'limit=100',
  'version=latest&limit=7',
  'include_deleted=true&limit=9',
  'search=tool&limit=7',
  'search=tool-0001&limit=3',
  'search=tool-0001',
  'search=weather&limit=1',
  'search=gen3/tool-00&limit=5',
  'search=number 1&limit=4',
  'search=to&limit=6',
  'search=zz-matches-nothing',
  'search=%E2%82%AC',
  'search=caf%C3%A9&limit=2',
  'version=latest&search=tool-01&limit=5',
  'version=1.1.0&limit=5',
  'version=1.0.0&search=tool-000&limit=3',
  'version=no-such-version',
  'updated_since=2000-01-01T00:00:00Z&limit=7',
  'updated_since=2025-03-01T00:00:00Z&limit=7',
  'updated_since=2025-10-01T00:00:00Z&limit=4',
  'updated_since=2025-06-01T00:00:00Z&limit=3',
  'updated_since=2025-06-01T00:00:00Z&include_deleted=true&search=tool&limit=8',
  'updated_since=2025-01-05T01:00:00Z&limit=2',
  'updated_since=2030-06-01T00:00:00Z',
  'updated_since=2025-03-01T00:00:00%2B01:00&search=tool-00&limit=3',
  'updated_since=2025-02-01T00:00:00Z&version=latest&limit=5',
];

describe('the window njs hands the router', () => {
  it.each(WALKS)('answers every page of the walk %s as the whole data does', (query) => {
    let cursor = '';
    for (let page = 0; page < 1000; page += 1) {
      const url = `/v0.1/servers?${query}${cursor ? `${query ? '&' : ''}cursor=${cursor}` : ''}`;
      const { windowed, whole } = both(url);
      expect(windowed, url).toBe(whole);
      const body = whole.slice(whole.indexOf('\n') + 1);
      cursor = whole.startsWith('200 ') ? ((JSON.parse(body) as { metadata: { nextCursor?: string } }).metadata.nextCursor ?? '') : '';
      if (!cursor) return;
    }
    throw new Error(`the walk ${query} never ended`);
  });

  it.each([
    '/v0.1/servers?cursor=com.example/weather:1.0.0&limit=3',
    '/v0.1/servers?cursor=com.example/weather&limit=3',
    '/v0.1/servers?cursor=zzzz&search=tool',
    '/v0.1/servers?cursor=a&limit=2',
    '/v0.1/servers?cursor=not*a*cursor&updated_since=2025-03-01T00:00:00Z&limit=3',
    '/v0/servers?version=latest&include_deleted=true&limit=3',
    '/v0.1/servers?limit=0&include_deleted=maybe',
    '/v0.1/servers?search=we%00ather',
    '/v0.1/servers?updated_since=yesterday',
    '/v0.1/servers?limit=5&frobnicate=yes',
    '/v0.1/%73ervers?limit=2',
    '/v0.1/servers/?limit=2',
    '/v0.1/servers/com.example%2Fweather/versions?include_deleted=true',
    '/v0.1/servers/io.github.someone%2Fgone/versions/1.0.0?include_deleted=true',
    '/v0.1/servers/io.github.someone%2Fgone/versions?include_deleted=1',
    '/v0.1/servers/io.github.someone%2Fgone/versions?include_deleted=maybe',
    '/v0.1/servers/com.example%2Fold-weather/versions?include_deleted=true',
    '/v0.1/servers/com.example%2Fold-weather/versions/latest?include_deleted=true',
  ])('answers %s as the whole data does', (url) => {
    const { windowed, whole } = both(url);
    expect(windowed).toBe(whole);
  });

  it('really narrows: a sparse search is answered from its n-gram index, not the listing', () => {
    const url = '/v0.1/servers?search=tool-0001';
    const windowed = apiDataFor(raw, url);
    expect(windowed.visible.length).toBeLessThan(data.visible.length / 4);
    expect(windowed.visible.length).toBeGreaterThan(0);
    expect(apiDataFor(raw, '/v0.1/servers?limit=7').visible).toHaveLength(7);
    expect(apiDataFor(raw, '/v0.1/servers?updated_since=2030-06-01T00:00:00Z').all).toHaveLength(0);
  });
});

describe('the identity njs hashes for a list answer’s ETag', () => {
  it('is the same exactly when the body is', () => {
    const answer = (url: string) => routeInNjs(raw, { method: 'GET', url });
    const a = answer('/v0.1/servers?limit=5');
    const same = answer('/v0.1/servers?limit=5&frobnicate=1');
    const other = answer('/v0.1/servers?limit=6');
    const empty1 = answer('/v0.1/servers?search=zz-none');
    const empty2 = answer('/v0.1/servers?search=zz-other');
    expect(a.identity).toBeDefined();
    expect(same.identity).toBe(a.identity);
    expect(other.identity).not.toBe(a.identity);
    expect(empty1.identity).toBe(empty2.identity);
    expect(answer('/v0.1/servers/com.example%2Fweather/versions?include_deleted=true').identity).toBeUndefined();
  });
});
