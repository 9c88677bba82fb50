import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, ServerListResponse, ServerResponse } from '../../scripts/core/api-types.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ApiData } from '../../scripts/api/api-data.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { decodeCursor, encodeCursor } from '../../scripts/api/list-query.ts';
import { route } from '../../scripts/api/router.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

let data: ApiData;

beforeAll(async () => {
  const { dist } = await buildFixture(fixtureRoot());
  data = await loadApiData(dist);
});

function get(url: string): { status: number; json: unknown; kind: string } {
  const r = route({ method: 'GET', url }, data);
  if (r.kind !== 'body') return { status: 0, json: r.path, kind: r.kind };
  return { status: r.status, json: r.body === '' ? undefined : JSON.parse(r.body), kind: r.kind };
}

function list(url: string): ServerListResponse {
  const r = get(url);
  expect(r.status).toBe(200);
  return r.json as ServerListResponse;
}

const names = (l: ServerListResponse) => l.servers.map((s) => `${s.server.name}@${s.server.version}`);

describe('list', () => {
  it('orders by name, then version, and leaves deleted entries out by default', () => {
    const all = names(list('/v0.1/servers'));
    expect(all).toEqual([...all].sort());
    expect(all).not.toContain('io.github.someone/gone@1.0.0');
    expect(all).toContain('io.github.someone/old@1.1.0');
  });

  it('hands out a cursor only when the page is full', () => {
    expect(list('/v0.1/servers?limit=3').metadata).toMatchObject({ count: 3, nextCursor: expect.any(String) });
    expect(list('/v0.1/servers?limit=100').metadata.nextCursor).toBeUndefined();
  });

  it('continues strictly after the cursor', () => {
    const first = list('/v0.1/servers?limit=2');
    const second = list(`/v0.1/servers?limit=2&cursor=${first.metadata.nextCursor}`);
    const both = names(list('/v0.1/servers?limit=4'));
    expect([...names(first), ...names(second)]).toEqual(both);
  });

  it('accepts the official raw name:version cursor', () => {
    const viaRaw = list(`/v0.1/servers?cursor=${encodeURIComponent('com.example/weather:1.0.0')}`);
    const viaOurs = list(`/v0.1/servers?cursor=${encodeCursor({ name: 'com.example/weather', version: '1.0.0' })}`);
    expect(names(viaRaw)).toEqual(names(viaOurs));
    expect(names(viaRaw)[0]).toBe('com.example/weather@1.1.0');
  });

  it('positions a well-formed cursor of a vanished entry where it would sort', () => {
    const after = list(`/v0.1/servers?cursor=${encodeCursor({ name: 'com.example/d', version: '0' })}`);
    expect(names(after)[0]).toBe('com.example/weather@1.0.0');
  });

  it('searches names and descriptions case-insensitively', () => {
    expect(names(list('/v0.1/servers?search=WEATHER'))).toHaveLength(3);
    expect(names(list('/v0.1/servers?search=filesystem'))).toEqual(['io.github.someone/old@1.0.0', 'io.github.someone/old@1.1.0']);
  });

  it('lists only latest versions for version=latest and exact matches for a version', () => {
    const latest = list('/v0.1/servers?version=latest');
    expect(latest.servers.every((s) => s._meta[OFFICIAL_META_KEY].isLatest)).toBe(true);
    expect(names(latest)).toContain('com.example/weather@2.0.0-beta.1');
    expect(names(list('/v0.1/servers?version=1.1.0'))).toEqual(['com.example/weather@1.1.0', 'io.github.someone/old@1.1.0']);
  });

  it('includes deleted entries with include_deleted and with updated_since, which is strict', () => {
    expect(names(list('/v0.1/servers?include_deleted=true'))).toContain('io.github.someone/gone@1.0.0');
    const since = list('/v0.1/servers?updated_since=2025-01-01T00:00:00Z');
    expect(names(since)).toContain('io.github.someone/gone@1.0.0');
    const newest = since.servers
      .map((s) => s._meta[OFFICIAL_META_KEY].updatedAt)
      .sort()
      .at(-1) as string;
    expect(list(`/v0.1/servers?updated_since=${newest}`).servers).toHaveLength(0);
  });

  it('answers /v0 like /v0.1', () => {
    expect(get('/v0/servers?limit=5')).toEqual(get('/v0.1/servers?limit=5'));
  });

  it('ignores unknown query parameters', () => {
    expect(get('/v0.1/servers?frobnicate=1')).toEqual(get('/v0.1/servers'));
  });
});

describe('bad list parameters', () => {
  const error = (url: string) => get(url) as { status: number; json: ErrorBody };

  it.each([
    ['limit=0', 'expected number >= 1'],
    ['limit=-3', 'expected number >= 1'],
    ['limit=100000', 'expected number <= 100'],
    ['limit=abc', 'invalid integer'],
    ['limit=1.5', 'invalid integer'],
  ])('rejects %s with 422 validation failed', (query, message) => {
    const r = error(`/v0.1/servers?${query}`);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ title: 'Unprocessable Entity', status: 422, detail: 'validation failed', error: 'validation failed' });
    expect(r.json.errors?.[0]).toMatchObject({ location: 'query.limit', message });
  });

  it('rejects include_deleted that is not a boolean with 422', () => {
    expect(error('/v0.1/servers?include_deleted=maybe').json.errors?.[0]?.location).toBe('query.include_deleted');
  });

  it('rejects updated_since=yesterday with 400 and the official message', () => {
    const r = error('/v0.1/servers?updated_since=yesterday');
    expect(r.status).toBe(400);
    expect(r.json.detail).toMatch(/^Invalid updated_since format: expected RFC3339/);
    expect(r.json.error).toBe(r.json.detail);
  });

  it.each(['garbage!', 'bm90LWEtY3Vyc29y', '%00', 'a:b:c'])('answers the forged cursor %s with 200, as the official keyset does', (cursor) => {
    const r = get(`/v0.1/servers?cursor=${cursor}`);
    expect(r.status).toBe(200);
    expect((r.json as ServerListResponse).metadata.count).toBe((r.json as ServerListResponse).servers.length);
  });

  it('reads a bare name as a cursor after every version of that name (the official fallback)', () => {
    expect(names(list(`/v0.1/servers?cursor=${encodeURIComponent('com.example/weather')}`))[0]).toBe('io.github.someone/old@1.0.0');
  });
});

describe('one server', () => {
  it('lists versions newest first for an encoded name, deleted ones left out', () => {
    const l = list('/v0.1/servers/com.example%2Fweather/versions');
    expect(names(l)).toEqual(['com.example/weather@2.0.0-beta.1', 'com.example/weather@1.1.0', 'com.example/weather@1.0.0']);
    expect(l.metadata).toEqual({ count: 3 });
  });

  it('answers an encoded version with build metadata', () => {
    const r = get('/v0.1/servers/io.github.someone%2Fplus/versions/1.0.0%2Bbuild.1');
    expect((r.json as ServerResponse).server.version).toBe('1.0.0+build.1');
  });

  it('answers latest with the latest version', () => {
    expect((get('/v0.1/servers/com.example%2Fcalendar/versions/latest').json as ServerResponse).server.version).toBe('1.0.0');
  });

  it('answers a deleted version only with include_deleted, as officially', () => {
    expect(get('/v0.1/servers/io.github.someone%2Fgone/versions/1.0.0').status).toBe(404);
    const r = get('/v0.1/servers/io.github.someone%2Fgone/versions/1.0.0?include_deleted=true').json as ServerResponse;
    expect(r._meta[OFFICIAL_META_KEY].status).toBe('deleted');
    expect(list('/v0.1/servers/io.github.someone%2Fgone/versions?include_deleted=true').metadata.count).toBe(1);
  });

  it.each([
    ['/v0.1/servers/com.example%2Fnope/versions', 'Server not found'],
    ['/v0.1/servers/io.github.someone%2Fgone/versions', 'Server not found'],
    ['/v0.1/servers/io.github.someone%2Fgone/versions/latest', 'Server not found'],
    ['/v0.1/servers/io.github.someone%2Fgone/versions/1.0.0', 'Server not found'],
    ['/v0.1/servers/com.example%2Fweather/versions/9.9.9', 'Server not found'],
    ['/v0.1/servers/..%2F..%2Fetc%2Fpasswd/versions', 'Server not found'],
    ['/v0.1/servers/%E0%A4%A/versions', 'Server not found'],
  ])('answers %s with 404 %s', (url, detail) => {
    const r = get(url) as { status: number; json: ErrorBody };
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ title: 'Not Found', status: 404, detail, error: detail });
  });
});

describe('other requests', () => {
  it('answers a 10 kB URL with 414 and a JSON body', () => {
    const r = get(`/v0.1/servers?search=${'a'.repeat(10_000)}`);
    expect(r.status).toBe(414);
    expect((r.json as ErrorBody).status).toBe(414);
  });

  it('refuses writes with 405', () => {
    const r = route({ method: 'POST', url: '/v0.1/servers' }, data);
    expect(r.kind === 'body' && r.status).toBe(405);
  });

  it('maps health, ping, version, openapi and site paths to files inside dist', () => {
    expect(route({ method: 'GET', url: '/v0.1/health' }, data)).toEqual({ kind: 'file', path: 'v0.1/health.json', api: true });
    expect(route({ method: 'GET', url: '/v0/ping' }, data)).toEqual({ kind: 'file', path: 'v0.1/ping.json', api: true });
    expect(route({ method: 'GET', url: '/v0.1/version' }, data)).toEqual({ kind: 'file', path: 'v0.1/version.json', api: true });
    expect(route({ method: 'GET', url: '/openapi.yaml' }, data)).toEqual({ kind: 'file', path: 'openapi.yaml', api: true });
    expect(route({ method: 'GET', url: '/' }, data)).toEqual({ kind: 'file', path: 'index.html', api: false });
  });

  it('never maps a path with .. to a file', () => {
    for (const url of ['/../etc/passwd', '/a/%2E%2E/%2E%2E/etc/passwd', '/v0.1/..%2F..%2Fetc/passwd']) {
      const r = route({ method: 'GET', url }, data);
      expect(r.kind).toBe('body');
    }
  });

  it('round-trips cursors through base64url', () => {
    const c = { name: 'io.github.x/y', version: '1.0.0+ü' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });
});

describe('fidelity with the official error behaviour', () => {
  it('reports every failing parameter of a list in one 422, in declaration order', () => {
    const r = get('/v0.1/servers?include_deleted=maybe&limit=abc');
    expect(r.status).toBe(422);
    expect((r.json as ErrorBody).errors).toEqual([
      { location: 'query.limit', message: 'invalid integer', value: 'abc' },
      { location: 'query.include_deleted', message: 'invalid boolean', value: 'maybe' },
    ]);
  });

  it('checks types (422) before the handler checks (400)', () => {
    expect(get('/v0.1/servers?limit=0&updated_since=yesterday').status).toBe(422);
  });

  it.each(['false', '0', 'f', 'False'])('answers updated_since with include_deleted=%s with 400', (value) => {
    const r = get(`/v0.1/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=${value}`);
    expect(r.status).toBe(400);
    expect((r.json as ErrorBody).detail).toBe('Cannot set include_deleted=false when using updated_since (incremental sync requires deleted servers)');
  });

  it('keeps updated_since with include_deleted=true or absent (deleted entries included)', () => {
    const withTrue = list('/v0.1/servers?updated_since=2000-01-01T00:00:00Z&include_deleted=true&limit=100');
    const absent = list('/v0.1/servers?updated_since=2000-01-01T00:00:00Z&limit=100');
    expect(names(withTrue)).toEqual(names(absent));
    expect(names(absent)).toContain('io.github.someone/gone@1.0.0');
  });

  it('answers a NUL byte in search with 400, an ordinary search with 200', () => {
    const r = get('/v0.1/servers?search=we%00ather');
    expect(r.status).toBe(400);
    expect((r.json as ErrorBody).detail).toBe('Invalid search parameter: it contains a NUL byte');
    expect(get('/v0.1/servers?search=weather').status).toBe(200);
  });

  it.each([
    ['/v0.1/servers/', '/v0.1/servers'],
    ['/v0/servers/?limit=5&search=x', '/v0/servers?limit=5&search=x'],
    ['/v0.1/servers/com.example%2Fweather/versions/', '/v0.1/servers/com.example%2Fweather/versions'],
  ])('redirects %s with 308 to %s', (from, to) => {
    const r = route({ method: 'GET', url: from }, data);
    expect(r).toMatchObject({ kind: 'body', status: 308, location: to });
  });

  it.each(['/v0.1/', '/', '/servers/'])('leaves %s alone (not an API path with a trailing slash)', (path) => {
    const r = route({ method: 'GET', url: path }, data);
    expect(r.kind === 'body' && r.status === 308).toBe(false);
  });

  it('answers every error with Cache-Control: no-store', () => {
    for (const url of ['/v0.1/servers?limit=0', '/v0.1/servers?search=%00', '/v0.1/servers/x%2Fy/versions', '/v0.1/servers/x']) {
      const r = route({ method: 'GET', url }, data);
      expect(r.kind === 'body' ? r.cacheControl : 'file', url).toBe('no-store');
    }
  });
});
