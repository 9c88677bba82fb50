import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchOver } from '../../scripts/net/fetch-adapter.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

/** Two origins on 127.0.0.1 (ports differ, so origins differ); each records what it was sent. */
let trusted: StartedHttpServer;
let other: StartedHttpServer;
const seen: { server: 'trusted' | 'other'; path: string; headers: IncomingHttpHeaders }[] = [];

function redirectOrAnswer(name: 'trusted' | 'other') {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const path = req.url ?? '/';
    seen.push({ server: name, path, headers: req.headers });
    const to = new URL(path, 'http://x').searchParams.get('to');
    if (to) {
      res.writeHead(302, { location: to });
      return void res.end();
    }
    res.end('landed');
  };
}

const CREDENTIALS = {
  Authorization: 'token ghp_secret',
  cookie: 'session=secret',
  'proxy-authorization': 'Basic c2VjcmV0',
  'x-api-key': 'secret-key',
};

beforeAll(async () => {
  trusted = await startHttpServer(redirectOrAnswer('trusted'));
  other = await startHttpServer(redirectOrAnswer('other'));
});

afterAll(async () => {
  await trusted.close();
  await other.close();
});

beforeEach(() => {
  seen.length = 0;
});

function client() {
  return createHttpClient({ trustedOrigins: [trusted.origin, other.origin], timeoutMs: 2000, retries: 0 });
}

const hop = (origin: string, path: string, to?: string) => `${origin}${path}${to ? `?to=${encodeURIComponent(to)}` : ''}`;

describe('credentials on redirects', () => {
  it('does not send Authorization, Cookie, Proxy-Authorization or a marked header to another origin', async () => {
    const result = await client().send({
      url: hop(trusted.origin, '/start', `${other.origin}/landing`),
      headers: { ...CREDENTIALS, accept: 'application/json' },
      credentialHeaders: ['X-Api-Key'],
    });
    expect(result.ok && result.response.url).toBe(`${other.origin}/landing`);
    const landing = seen.find((s) => s.server === 'other')!;
    expect(landing.headers.authorization).toBeUndefined();
    expect(landing.headers.cookie).toBeUndefined();
    expect(landing.headers['proxy-authorization']).toBeUndefined();
    expect(landing.headers['x-api-key']).toBeUndefined();
    expect(landing.headers.accept).toBe('application/json');
    // The trusted origin itself did get them.
    expect(seen[0]!.headers.authorization).toBe('token ghp_secret');
  });

  it('keeps the credentials on a redirect within the same origin', async () => {
    await client().send({ url: hop(trusted.origin, '/start', `${trusted.origin}/moved`), headers: CREDENTIALS, credentialHeaders: ['x-api-key'] });
    expect(seen.map((s) => [s.path, s.headers.authorization, s.headers['x-api-key']])).toEqual([
      [expect.stringMatching(/^\/start/), 'token ghp_secret', 'secret-key'],
      ['/moved', 'token ghp_secret', 'secret-key'],
    ]);
  });

  it('does not send them again when the other origin redirects back', async () => {
    const back = hop(other.origin, '/bounce', `${trusted.origin}/back`);
    await client().send({ url: hop(trusted.origin, '/start', back), headers: CREDENTIALS });
    expect(seen.map((s) => s.server)).toEqual(['trusted', 'other', 'trusted']);
    expect(seen[2]!.headers.authorization).toBeUndefined();
    expect(seen[2]!.headers.cookie).toBeUndefined();
  });

  it('treats the same host on another port as another origin', async () => {
    // Both servers are 127.0.0.1; only the port tells them apart.
    expect(new URL(trusted.origin).hostname).toBe(new URL(other.origin).hostname);
    await client().send({ url: hop(trusted.origin, '/start', `${other.origin}/landing`), headers: CREDENTIALS });
    expect(seen[1]!.headers.authorization).toBeUndefined();
  });

  it('does not send the GitHub token Octokit passes through the fetch adapter to another origin', async () => {
    const fetch = fetchOver(client());
    const response = await fetch(hop(trusted.origin, '/repos/acme/x', `${other.origin}/elsewhere`), {
      headers: { Authorization: 'token ghp_secret', accept: 'application/vnd.github+json' },
    });
    expect(response.status).toBe(200);
    expect(seen[1]!.headers.authorization).toBeUndefined();
  });

  it('does not carry an explicit Host header to another origin', async () => {
    await client().send({ url: hop(trusted.origin, '/start', `${other.origin}/landing`), headers: { host: 'mcp.example.com' } });
    expect(seen[0]!.headers.host).toBe('mcp.example.com');
    expect(seen[1]!.headers.host).toBe(new URL(other.origin).host);
  });
});
