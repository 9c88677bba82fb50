import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostKind } from '../../scripts/emit/emitter.ts';
import { MANIFEST } from '../../scripts/files/atomic-tree.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { isInternalPath } from '../../scripts/api/router.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { hasNginx, startNginxHost } from '../fixtures/api/nginx-process.ts';

// Build-internal files next to public ones, each asked for directly and encoded.
const INTERNAL = [
  `/${MANIFEST}`,
  '/%2Ebuild-manifest.json',
  '/v0.1/../.build-manifest.json',
  '/.git/config',
  '/servers/.env',
  '/v0.1/.secret.json',
  '/_nginx/server.conf',
  '/_headers',
  '/_redirects',
  '/_worker.js/index.js',
  '/v0.1/entries/com.example@weather@@server.json',
];

async function distWithInternalFiles(host: HostKind): Promise<string> {
  const { dist } = await buildFixture(fixtureRoot(), host);
  for (const path of [
    '.git/config',
    'servers/.env',
    'v0.1/.secret.json',
    '_headers',
    '_redirects',
    '_worker.js/index.js',
    '_nginx/server.conf',
    'v0.1/entries/com.example@weather@@server.json',
  ]) {
    const file = join(dist, path);
    mkdirSync(join(file, '..'), { recursive: true });
    if (!existsSync(file)) writeFileSync(file, 'internal');
  }
  mkdirSync(join(dist, '.well-known'), { recursive: true });
  writeFileSync(join(dist, '.well-known/security.txt'), 'Contact: mailto:security@example.org\n');
  return dist;
}

async function expectRefused(baseUrl: string) {
  for (const path of INTERNAL) {
    const res = await fetch(baseUrl + path);
    const text = await res.text();
    expect([path, res.status]).toEqual([path, 404]);
    expect(text, path).not.toMatch(/internal|"v0\.1\/servers\.json"|include /);
  }
  const wellKnown = await fetch(`${baseUrl}/.well-known/security.txt`);
  expect(wellKnown.status).toBe(200);
  expect(await wellKnown.text()).toMatch(/^Contact:/);
}

describe('internal files are never served', () => {
  it('knows which paths are internal', () => {
    expect(['.build-manifest.json', 'a/.b', '_nginx/http.conf', '_headers', 'v0.1/entries/a@b@@server.json'].every(isInternalPath)).toBe(true);
    expect(['index.html', '.well-known/security.txt', 'v0.1/entries/a@b@1.0.0.json', 'servers/_x/index.html', 'a/b.c'].some(isInternalPath)).toBe(false);
  });

  describe('by serve', () => {
    let stop: () => Promise<void>;
    let baseUrl: string;
    beforeAll(async () => {
      const dist = await distWithInternalFiles('nginx');
      const server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
      baseUrl = (await listen(server, 0, '127.0.0.1')).url;
      stop = () => new Promise<void>((done) => server.close(() => done()));
    });
    afterAll(() => stop?.());
    it('answers 404 for each, and serves .well-known', () => expectRefused(baseUrl));
  });

  describe.skipIf(!hasNginx())('by nginx with the generated configuration', () => {
    let nginx: { baseUrl: string; stop: () => Promise<void> };
    beforeAll(async () => {
      const dist = await distWithInternalFiles('nginx');
      nginx = await startNginxHost(dist);
    });
    afterAll(() => nginx?.stop());
    it('answers 404 for each, and serves .well-known', () => expectRefused(nginx.baseUrl));
    it('still answers its JSON errors from /_errors/, which it does not serve directly', async () => {
      const missing = await fetch(`${nginx.baseUrl}/v0.1/no-such-endpoint`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await fetch(`${nginx.baseUrl}/_errors/404.json`)).status).toBe(404);
    });
  });

  it('by the Cloudflare worker, whatever the static assets hold', async () => {
    const dist = await distWithInternalFiles('cloudflare');
    const worker = (await import(pathToFileURL(join(dist, '_worker.js/index.js')).href)).default as {
      fetch: (request: Request, env: { ASSETS: { fetch: (input: Request | URL) => Promise<Response> } }) => Promise<Response>;
    };
    const root = resolve(dist);
    // Pages would hand out any uploaded file; the worker must stop the request first.
    const assets = {
      async fetch(input: Request | URL): Promise<Response> {
        const file = resolve(root, `.${decodeURIComponent(new URL(input instanceof Request ? input.url : input).pathname)}`);
        if (!file.startsWith(root + sep) || !existsSync(file)) return new Response('not found', { status: 404 });
        return new Response(readFileSync(file));
      },
    };
    for (const path of INTERNAL.filter((p) => !p.includes('/../'))) {
      const res = await worker.fetch(new Request(`https://registry.example${path}`), { ASSETS: assets });
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await worker.fetch(new Request('https://registry.example/.well-known/security.txt'), { ASSETS: assets })).status).toBe(200);
  });

  it('by GitHub Pages, which serves every file: the build leaves the manifest out', async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'github-pages');
    const dotFiles = readdirSync(dist, { recursive: true })
      .map(String)
      .filter((p) => p.split(sep).some((part) => part.startsWith('.')));
    expect(dotFiles).toEqual(['.nojekyll']);
  });
});
