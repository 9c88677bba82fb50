import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_CACHE, FILE_TYPES, OCTET_STREAM_TYPE, STATIC_CACHE } from '../../scripts/api/http-headers.ts';
import { listen } from '../../scripts/serve/node-server.ts';
import { buildFixture, CONTRACT_EMITTERS, contractRoot, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import { startWorkerd } from '../fixtures/api/workerd-process.ts';
import { hasSystemServer, WORKERD } from '../helpers/system-server.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { describeHostContract } from './host-contract.ts';

interface Worker {
  fetch: (request: Request, env: { ASSETS: { fetch: (input: Request | URL) => Promise<Response> } }) => Promise<Response>;
}

/** Static assets as Pages serves them: a file per path, typed by extension, 404 otherwise. */
function assetsOf(dist: string) {
  const root = resolve(dist);
  return {
    async fetch(input: Request | URL): Promise<Response> {
      const url = new URL(input instanceof Request ? input.url : input);
      const file = resolve(root, `.${decodeURIComponent(url.pathname)}`);
      if (!file.startsWith(root + sep)) return new Response('not found', { status: 404 });
      try {
        // Pages labels a file by its extension.
        return new Response(await readFile(file), { status: 200, headers: { 'content-type': FILE_TYPES[extname(file)] ?? OCTET_STREAM_TYPE } });
      } catch {
        return new Response('not found', { status: 404 });
      }
    },
  };
}

async function startWorker(dist: string) {
  const worker = (await import(pathToFileURL(join(dist, '_worker.js/index.js')).href)).default as Worker;
  const env = { ASSETS: assetsOf(dist) };
  const server = createServer((req, res) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method ?? 'GET', headers: req.headers as Record<string, string> });
    worker.fetch(request, env).then(
      async (response) => {
        const headers: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          headers[key] = value;
        });
        res.writeHead(response.status, headers);
        res.end(Buffer.from(await response.arrayBuffer()));
      },
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  const { url } = await listen(server, 0, '127.0.0.1');
  return { baseUrl: url, stop: () => new Promise<void>((done) => server.close(() => done())) };
}

describe('the Cloudflare Pages worker of build --host cloudflare, run in node', () => {
  describeHostContract(
    'cloudflare worker',
    async () => {
      const { dist } = await buildFixture(contractRoot(120), 'cloudflare', undefined, CONTRACT_EMITTERS);
      return { ...(await startWorker(dist)), dist };
    },
    HOST_GAPS.cloudflare,
  );

  it('carries only the router and what it imports, as plain JavaScript', async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'cloudflare');
    const router = await readFile(join(dist, '_worker.js/api/router.js'), 'utf8');
    expect(router).toMatch(/from '\.\/list-page\.js'/);
    expect(router).not.toMatch(/\.ts'/);
    await expect(readFile(join(dist, '_worker.js/serve/node-server.js'))).rejects.toThrow();
  });
});

describe.skipIf(!hasSystemServer(WORKERD, 'the Cloudflare worker of build --host cloudflare, run in workerd'))(
  'the Cloudflare worker of build --host cloudflare, run in workerd',
  () => {
    describeHostContract(
      'cloudflare worker in workerd',
      async () => {
        const { dist } = await buildFixture(contractRoot(120), 'cloudflare', undefined, CONTRACT_EMITTERS);
        return { ...(await startWorkerd(dist)), dist };
      },
      HOST_GAPS.cloudflare,
    );

    it("gives a file the worker hands out serve's cache policy and CORS headers (_headers does not reach it)", async () => {
      const { dist } = await buildFixture(fixtureRoot(), 'cloudflare');
      writeFileSync(join(dist, 'index.html'), '<!DOCTYPE html><title>Registry</title>');
      const worker = await startWorkerd(dist);
      try {
        for (const [path, cache] of [
          ['/v0.1/health', API_CACHE],
          ['/v0.1/servers', API_CACHE],
          ['/', STATIC_CACHE],
        ] as const) {
          const res = await fetch(worker.baseUrl + path);
          await res.arrayBuffer();
          expect(res.status, path).toBe(200);
          expect(res.headers.get('cache-control'), path).toBe(cache);
          expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
        }
      } finally {
        await worker.stop();
      }
    });
  },
);
