import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiData } from '../../scripts/api/api-data.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { encodeCursor } from '../../scripts/api/list-query.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import type { RegistryServer } from '../../scripts/serve/node-server.ts';
import { canonicalUrl, route } from '../../scripts/api/router.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

let dist: string;
let data: ApiData;

beforeAll(async () => {
  dist = (await buildFixture(fixtureRoot(300))).dist;
  data = await loadApiData(dist);
});

async function getAll(base: string, urls: string[], headers: (i: number) => Record<string, string>, connections = 32): Promise<Buffer[]> {
  const pool = new Pool(base, { connections, pipelining: 1 });
  const bodies: Buffer[] = new Array(urls.length);
  let next = 0;
  async function worker() {
    while (next < urls.length) {
      const i = next++;
      const r = await pool.request({ path: urls[i] as string, method: 'GET', headers: headers(i) });
      bodies[i] = Buffer.from(await r.body.arrayBuffer());
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  return bodies;
}

describe('the cache key is the URL as the router reads it', () => {
  const urls = [
    '/v0.1/servers?limit=5&x=1',
    '/v0.1/servers?x=2&limit=5&utm_source=a',
    '/v0.1/servers?limit=5&limit=7',
    '/v0.1/servers?limit=&search=&cursor=',
    '/v0.1/servers?search=Tool+0001&limit=3',
    '/v0.1/servers?search=tool%200001&limit=3&include_deleted=',
    '/v0.1/servers?limit=abc&junk',
    '/v0.1/servers?updated_since=2025-02-01T00:00:00Z&version=latest',
    '/v0.1/servers?cursor=not%20a%20cursor&limit=2',
    '/v0.1/servers/io.github.gen1%2Ftool-00001/versions?include_deleted=yes&x=1',
    '/v0.1/servers/io.github.gen1%2Ftool-00001/versions/latest?limit=1&include_deleted=true',
    '/v0/servers/io.github.gen1%2Ftool-00001/versions/1.0.0?foo=bar',
    '/v0.1/health?cursor=x',
    '/servers/?search=abc',
    `/v0.1/servers?search=${'%C3%A9'.repeat(40)}`,
  ];

  it.each(urls)('answers %s exactly as its canonical form', (url) => {
    const canonical = canonicalUrl(url);
    expect(route({ method: 'GET', url: canonical }, data)).toEqual(route({ method: 'GET', url }, data));
  });

  it('drops parameters the route ignores and empty ones, and orders the rest', () => {
    expect(canonicalUrl('/v0.1/servers?x=2&limit=5&utm_source=a&search=')).toBe('/v0.1/servers?limit=5');
    expect(canonicalUrl('/v0.1/servers?search=a&cursor=b')).toBe('/v0.1/servers?cursor=b&search=a');
    expect(canonicalUrl('/v0.1/health?cursor=x')).toBe('/v0.1/health');
    expect(canonicalUrl('/index.html?v=123')).toBe('/index.html');
  });
});

describe('serve compresses once per body', () => {
  let server: RegistryServer;
  let base: string;
  beforeAll(async () => {
    server = createRegistryServer({ dist, data, port: 0, host: '127.0.0.1' });
    base = (await listen(server, 0, '127.0.0.1')).url;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps one entry and one brotli compression for 300 URLs that differ only in an ignored parameter', async () => {
    const urls = Array.from({ length: 300 }, (_, i) => `/v0.1/servers?limit=30&x=${i}-${Math.random()}`);
    const bodies = await getAll(base, urls, () => ({ 'accept-encoding': 'br' }));
    expect(new Set(bodies.map((b) => b.toString('base64'))).size).toBe(1);
    expect(server.cacheStats()).toMatchObject({ entries: 1, bodies: 1, compressions: 1 });
  });

  it('shares one body, compressed once, between URLs that the router answers alike', async () => {
    server.replaceData(data);
    // 256 spellings of one search: each its own cache key, all the same answer.
    const spellings = Array.from({ length: 256 }, (_, i) => [...'generated'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''));
    await getAll(
      base,
      spellings.map((s) => `/v0.1/servers?limit=30&search=${s}`),
      () => ({ 'accept-encoding': 'gzip, br' }),
    );
    expect(server.cacheStats()).toMatchObject({ entries: 256, bodies: 1, compressions: 1 });
  });
});

describe('the response cache stays within its memory budget', () => {
  const BUDGET = 16 * 2 ** 20;
  const MARGIN = 6 * 2 ** 20;
  let child: ChildProcess;
  let base: string;
  const ask = <T>(): Promise<T> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send('measure');
    });

  beforeAll(async () => {
    child = fork(fileURLToPath(new URL('../fixtures/serve/memory-child.ts', import.meta.url)), [dist, String(BUDGET)], {
      execArgv: ['--expose-gc'],
      execPath: process.execPath,
    });
    const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    child?.send('stop');
  });

  it('holds 20,000 unique 3 kB URLs (missing paths, searches, cursors, ignored parameters) within budget + 6 MiB', async () => {
    interface Memory {
      heapUsed: number;
      external: number;
      stats: { bytes: number; limit: number; entries: number };
    }
    await getAll(base, ['/v0.1/servers', '/missing', '/v0.1/servers?search=x'], () => ({}));
    const before = await ask<Memory>();
    const names = [...data.byName.keys()];
    const urls: string[] = [];
    // Small answers behind long URLs: what an attacker sends to make keys, not bodies, the cost.
    for (let i = 0; i < 20_000; i += 1) {
      const kind = i % 4;
      if (kind === 0) urls.push(`/missing/${i}-${'p'.repeat(3000)}`);
      else if (kind === 1) urls.push(`/v0.1/servers?search=${i}-${'s'.repeat(3000)}`);
      else if (kind === 2)
        urls.push(`/v0.1/servers?limit=1&cursor=${encodeCursor({ name: names[i % names.length] as string, version: String(i) })}&u=${'c'.repeat(3000)}`);
      else urls.push(`/v0.1/servers?limit=2&utm=${i}-${'u'.repeat(3000)}`);
    }
    await getAll(base, urls, (i): Record<string, string> => (i % 8 === 2 ? { 'accept-encoding': 'gzip' } : {}), 64);
    const after = await ask<Memory>();
    const growth = after.heapUsed + after.external - (before.heapUsed + before.external);
    process.stdout.write(
      `serve cache: ${after.stats.entries} entries, ${(after.stats.bytes / 2 ** 20).toFixed(1)} MiB counted of ${(BUDGET / 2 ** 20).toFixed(0)} MiB; heap+external grew ${(growth / 2 ** 20).toFixed(1)} MiB\n`,
    );
    expect(after.stats.bytes).toBeLessThanOrEqual(BUDGET);
    expect(growth).toBeLessThan(BUDGET + MARGIN);
  }, 180_000);
});
