import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  const { dist } = await buildFixture(fixtureRoot(40));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>site</title>');
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  base = (await listen(server, 0, '127.0.0.1')).url;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string, headers: Record<string, string> = {}, method: 'GET' | 'OPTIONS' | 'HEAD' = 'GET') {
  const r = await request(base + path, { method, headers });
  const body = Buffer.from(await r.body.arrayBuffer());
  return { status: r.statusCode, headers: r.headers, body };
}

describe('serve over HTTP', () => {
  it('answers 304 to If-None-Match with the current ETag', async () => {
    const first = await get('/v0.1/servers');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/v0.1/servers', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('compresses with brotli or gzip as the client asks, with Vary', async () => {
    const plain = await get('/v0.1/servers');
    const br = await get('/v0.1/servers', { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await get('/v0.1/servers', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(plain.headers.vary).toBe('Accept-Encoding');
  });

  it('lets browsers on other origins read the API (CORS, preflight)', async () => {
    const pre = await get('/v0.1/servers', { origin: 'https://example.org', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-methods']).toMatch(/GET/);
    const r = await get('/v0.1/servers', { origin: 'https://example.org' });
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-expose-headers']).toMatch(/ETag/);
  });

  it('sends cache headers: revalidate API answers, never store errors', async () => {
    expect((await get('/v0.1/servers')).headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    expect((await get('/v0.1/servers?limit=0')).headers['cache-control']).toBe('no-store');
  });

  it('serves the site files of dist/ for paths the API does not own', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body.toString()).toMatch(/<title>site<\/title>/);
  });

  it('answers HEAD without a body and JSON 404 for unknown API files', async () => {
    const head = await get('/v0.1/servers', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const missing = await get('/v0.1/nothing-here');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ status: 404 });
  });

  it("answers a URL beyond node's header limit with 414 and a JSON body", async () => {
    const r = await get(`/v0.1/servers?search=${'a'.repeat(20_000)}`);
    expect(r.status).toBe(414);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body.toString())).toMatchObject({ status: 414 });
  });

  it('serves the snapshot and changes feed as files', async () => {
    const snap = await get('/v0.1/snapshot.json.gz');
    expect(snap.headers['content-type']).toBe('application/gzip');
    expect(JSON.parse(gunzipSync(snap.body).toString()).metadata.count).toBe(90);
    expect((await get('/v0.1/changes.json')).status).toBe(200);
  });
});
