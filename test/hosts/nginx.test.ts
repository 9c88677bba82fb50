import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, CONTRACT_EMITTERS, contractRoot, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { route } from '../../scripts/api/router.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { nginxCachePaths } from '../../scripts/hosts/nginx.ts';
import { describeHostContract } from './host-contract.ts';
import { startNginxHost } from '../fixtures/api/nginx-process.ts';
import { hasSystemServer, NGINX_NJS } from '../helpers/system-server.ts';

describe.skipIf(!hasSystemServer(NGINX_NJS, 'Debian nginx with njs serving build --host nginx'))('Debian nginx with njs serving build --host nginx', () => {
  describeHostContract(
    'nginx',
    async () => {
      const { dist } = await buildFixture(contractRoot(120), 'nginx', undefined, CONTRACT_EMITTERS);
      return { ...(await startNginxHost(dist)), dist };
    },
    HOST_GAPS.nginx,
  );
});

/** What VS Code, go-mcp-registry and sync clients send, and the odd corners of each parameter. */
const QUERIES = [
  '/v0.1/servers?limit=1',
  '/v0.1/servers?limit=50&version=latest&search=weather',
  '/v0.1/servers?search=WEATHER',
  '/v0.1/servers?search=we%00ather',
  '/v0.1/servers?search=a+b&search=c',
  '/v0.1/servers?search=%E2%82%AC&limit=3',
  '/v0.1/servers?search=%FF%zz',
  '/v0.1/servers?version=1.1.0',
  '/v0/servers?version=latest&include_deleted=true&limit=3',
  '/v0.1/servers?updated_since=2000-01-01T00:00:00Z&limit=100',
  '/v0.1/servers?updated_since=2025-03-01T00:00:00%2B01:00&limit=5',
  '/v0.1/servers?updated_since=2025-03-01T00:00:00.5-01:30&limit=5',
  '/v0.1/servers?updated_since=2025-02-30T00:00:00Z&limit=2',
  '/v0.1/servers?updated_since=2025-02-32T00:00:00Z',
  '/v0.1/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=false',
  '/v0.1/servers?limit=0&include_deleted=maybe',
  '/v0.1/servers?limit=%2B5',
  '/v0.1/servers?limit=5&limit=7',
  '/v0.1/servers?cursor=not*a*cursor',
  '/v0.1/servers?cursor=com.example/weather:1.0.0',
  '/v0.1/servers?cursor=com.example%2Fweather',
  '/v0.1/servers?frobnicate=yes',
];

describe.skipIf(!hasSystemServer(NGINX_NJS, 'Debian nginx with njs answering as serve does'))('Debian nginx with njs answering as serve does', () => {
  let nginx: { baseUrl: string; stop: () => Promise<void> };
  let data: Awaited<ReturnType<typeof loadApiData>>;
  beforeAll(async () => {
    const { dist } = await buildFixture(fixtureRoot(40), 'nginx');
    data = await loadApiData(dist);
    nginx = await startNginxHost(dist);
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it.each(QUERIES)('answers %s with the status and bytes of the router in node', async (url) => {
    const expected = route({ method: 'GET', url }, data);
    if (expected.kind !== 'body') throw new Error(`the router answers ${url} with a file`);
    const res = await fetch(nginx.baseUrl + url);
    expect(res.status).toBe(expected.status);
    expect(res.headers.get('content-type')).toBe(expected.contentType);
    expect(res.headers.get('cache-control')).toBe(expected.cacheControl);
    expect(await res.text()).toBe(expected.body);
  });

  it('walks limit=7 and version=latest&search cursors exactly as the router does', async () => {
    for (const query of ['limit=7', 'limit=5&version=latest&search=tool', 'limit=3&updated_since=2025-01-20T00:00:00Z']) {
      let cursor = '';
      for (let page = 0; page < 200; page += 1) {
        const url = `/v0.1/servers?${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const expected = route({ method: 'GET', url }, data);
        const res = await fetch(nginx.baseUrl + url);
        const body = await res.text();
        expect(expected.kind === 'body' && body === expected.body, url).toBe(true);
        cursor = (JSON.parse(body) as { metadata: { nextCursor?: string } }).metadata.nextCursor ?? '';
        if (!cursor) break;
      }
      expect(cursor, query).toBe('');
    }
  });

  it('revalidates a query answer by its ETag (304) and answers HEAD without a body', async () => {
    const first = await fetch(`${nginx.baseUrl}/v0.1/servers?search=weather`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    // nginx's cache hands the router's answer to gzip like a file, which makes its ETag weak (W/) when it compresses.
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    const again = await fetch(`${nginx.baseUrl}/v0.1/servers?search=weather`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    const head = await fetch(`${nginx.baseUrl}/v0.1/servers?search=weather`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe.skipIf(!hasSystemServer(NGINX_NJS, "Debian nginx caching the router's answers"))("Debian nginx caching the router's answers", () => {
  let nginx: { baseUrl: string; stop: () => Promise<void> };
  let cache: string;
  beforeAll(async () => {
    const { dist } = await buildFixture(fixtureRoot(10), 'nginx');
    cache = nginxCachePaths(dist).cache;
    nginx = await startNginxHost(dist);
  });
  afterAll(async () => {
    await nginx?.stop();
  });
  const cached = () => (readdirSync(cache, { recursive: true, withFileTypes: true }) as { isFile(): boolean }[]).filter((e) => e.isFile()).length;

  it('keeps a 200 answer once, and no error answer', async () => {
    const before = cached();
    for (const url of ['/v0.1/servers?limit=0', '/v0.1/servers?updated_since=yesterday', '/v0.1/servers?limit=0']) {
      const res = await fetch(nginx.baseUrl + url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('cache-control'), url).toBe('no-store');
      await res.arrayBuffer();
    }
    expect(cached()).toBe(before);
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${nginx.baseUrl}/v0.1/servers?limit=2&search=tool`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(cached()).toBe(before + 1);
  });
});

describe.skipIf(!hasSystemServer(NGINX_NJS, 'Debian nginx serving the site of build --host nginx'))(
  'Debian nginx serving the site of build --host nginx',
  () => {
    let nginx: { baseUrl: string; stop: () => Promise<void> };
    beforeAll(async () => {
      const { dist } = await buildFixture(fixtureRoot(), 'nginx');
      // The site emitter writes this page; the API fixture builds without the (slow) site.
      writeFileSync(join(dist, '404.html'), '<!DOCTYPE html><title>Not found</title><h1>No such page</h1>');
      writeFileSync(join(dist, 'feed.xml'), '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>');
      nginx = await startNginxHost(dist);
    });
    afterAll(async () => {
      await nginx?.stop();
    });

    it("answers a missing site path with the site's 404 page", async () => {
      const res = await fetch(`${nginx.baseUrl}/servers/no.such/page/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('No such page');
    });

    it('serves the Atom feed as XML', async () => {
      const res = await fetch(`${nginx.baseUrl}/feed.xml`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml');
    });

    it('keeps the JSON 404 for missing API paths', async () => {
      const res = await fetch(`${nginx.baseUrl}/v0.1/no-such-endpoint`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  },
);
