import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClientOptions } from '../../scripts/net/http-client.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

let server: StartedHttpServer;
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;

function count(path: string): number {
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  return n;
}

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const path = req.url ?? '/';
    const n = count(path);
    if (path === '/ok') return void res.end('hello');
    if (path === '/flaky') {
      res.statusCode = n === 1 ? 500 : 200;
      return void res.end(n === 1 ? 'boom' : 'recovered');
    }
    if (path === '/always-503') {
      res.statusCode = 503;
      return void res.end();
    }
    if (path === '/rate-limited') {
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        return void res.end();
      }
      return void res.end('ok now');
    }
    if (path === '/rate-limited-long') {
      res.writeHead(429, { 'retry-after': '3600' });
      return void res.end();
    }
    if (path === '/hang') return; // never answers
    if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      const push = (): void => {
        while (res.write(chunk)) {
          if (res.destroyed) return;
        }
        res.once('drain', push);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      return void push();
    }
    if (path === '/declared-huge') {
      res.writeHead(200, { 'content-length': String(2 * 1024 ** 3) });
      return void res.write('x');
    }
    if (path === '/to-plain-http') {
      res.writeHead(302, { location: 'http://example.org/next' });
      return void res.end();
    }
    if (path === '/to-https') {
      res.writeHead(302, { location: 'https://127.0.0.1:1/next' });
      return void res.end();
    }
    if (path.startsWith('/slow')) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('slow');
      }, 60);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
});

afterAll(async () => {
  await server.close();
});

function client(extra: HttpClientOptions = {}) {
  return createHttpClient({
    trustedOrigins: [server.origin],
    timeoutMs: 2000,
    backoffMs: 5,
    ...extra,
  });
}

describe('http client', () => {
  it('returns the body of a 200 answer', async () => {
    const result = await client().send({ url: `${server.origin}/ok` });
    expect(result.ok && result.response.body.toString()).toBe('hello');
  });

  it('retries a 500 and returns the 200 that follows', async () => {
    const result = await client().send({ url: `${server.origin}/flaky` });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.response.body.toString()).toBe('recovered');
      expect(result.response.attempts).toBe(2);
    }
  });

  it('names the URL, the status and the attempts when a service keeps failing', async () => {
    const result = await client({ retries: 2 }).send({ url: `${server.origin}/always-503` });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.message).toBe(`GET ${server.origin}/always-503 → 503 after 3 attempts: the service is failing; try again later`);
    }
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const result = await client({ sleep }).send({ url: `${server.origin}/rate-limited` });
    expect(result.ok).toBe(true);
    expect(waits).toEqual([1000]);
  });

  it('gives up at once when Retry-After is longer than it will wait', async () => {
    const result = await client({ maxRetryAfterMs: 5000 }).send({ url: `${server.origin}/rate-limited-long` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.message).toMatch(/429 with Retry-After 3600 s/);
  });

  it('ends a request to a server that never answers with a timeout failure', async () => {
    const started = Date.now();
    const result = await client({ timeoutMs: 200, retries: 1 }).send({ url: `${server.origin}/hang` });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.code).toBe('timeout');
      expect(result.failure.message).toContain(`${server.origin}/hang`);
    }
  });

  it('stops reading a body that grows past the size cap', async () => {
    const result = await client().send({ url: `${server.origin}/huge`, maxBytes: 1024 * 1024 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.code).toBe('too-large');
  });

  it('refuses a body whose declared length is over the cap before reading it', async () => {
    const result = await client().send({ url: `${server.origin}/declared-huge`, maxBytes: 1024 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.message).toMatch(/declares 2147483648 bytes/);
  });

  it('refuses a redirect to plain http', async () => {
    const result = await client().send({ url: `${server.origin}/to-plain-http` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.code).toBe('redirect-refused');
  });

  it('refuses a redirect to a loopback address that is not a configured endpoint', async () => {
    const result = await client().send({ url: `${server.origin}/to-https` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.message).toMatch(/127\.0\.0\.1 is not a public address/);
  });

  it('refuses a public name that resolves to a loopback address', async () => {
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await client({ lookup }).send({ url: `https://mcp.example.com:${server.port}/` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.code).toBe('ssrf-refused');
  });

  it('refuses plain http to a host that is not a configured endpoint', async () => {
    const result = await createHttpClient().send({ url: `${server.origin}/ok` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.code).toBe('insecure-url');
  });

  it('keeps at most the configured number of requests in flight per host', async () => {
    maxInFlight = 0;
    const c = client({ perHostConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => c.send({ url: `${server.origin}/slow${i}` })));
    expect(maxInFlight).toBe(2);
  });
});
