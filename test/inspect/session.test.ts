/** One endpoint inspected as a real MCP client, against real SDK servers on 127.0.0.1. */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../scripts/net/guarded-fetch.ts';
import type { GuardedFetchOptions } from '../../scripts/net/guarded-fetch.ts';
import { inspectSession } from '../../scripts/inspect/mcp-session.ts';
import type { SessionOptions } from '../../scripts/inspect/mcp-session.ts';
import { manyTools, startHangingServer, startMcpServer } from './mcp-servers.ts';
import type { Offer } from './mcp-servers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const offer: Offer = {
  tools: [
    {
      name: 'create_issue',
      description: 'Opens an issue.',
      inputSchema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
      annotations: { destructiveHint: false },
    },
    { name: 'list_issues', description: 'Lists issues.', inputSchema: { type: 'object' } },
  ],
  prompts: [{ name: 'triage', description: 'Triage an issue' }],
  resources: [{ uri: 'file:///readme', name: 'readme', mimeType: 'text/plain' }],
};

function options(fetchOptions: Partial<GuardedFetchOptions> = {}, extra: Partial<SessionOptions> = {}): SessionOptions {
  const fetch = createGuardedFetch({
    userAgent: 'test-inspect/1 (+http://127.0.0.1)',
    headersTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    maxBytes: 8 * 1024 * 1024,
    allowPrivateNetwork: true,
    ...fetchOptions,
  });
  closers.push(() => fetch.close());
  return { fetch, clientName: 'test-inspect', clientVersion: '1', requestTimeoutMs: 2000, sessionTimeoutMs: 5000, ...extra };
}

describe('inspectSession', () => {
  it('records what a streamable HTTP server offers, with fingerprints', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => offer });
    closers.push(server.close);
    const result = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: server.url }, options());
    expect(result.error).toBeUndefined();
    expect(result.reachable).toBe(true);
    expect(result.serverInfo).toEqual({ name: 'test-server', version: '1.2.3' });
    expect(result.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.tools.map((t) => t.name)).toEqual(['create_issue', 'list_issues']);
    expect(result.tools[0]!.annotations).toEqual({ destructiveHint: false });
    expect(result.tools[0]!.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.prompts).toEqual([{ name: 'triage', description: 'Triage an issue' }]);
    expect(result.resources).toEqual([{ uri: 'file:///readme', name: 'readme', mimeType: 'text/plain' }]);
    expect(result.fingerprint).toMatch(/^sha256:/);
    expect(server.requests.every((r) => r.userAgent === 'test-inspect/1 (+http://127.0.0.1)')).toBe(true);
    // No standing GET stream: one connection to the host at a time.
    expect(server.requests.map((r) => r.method)).not.toContain('GET');
    expect(server.maxConcurrent).toBe(1);
  });

  it('records what an SSE server offers, the same as over streamable HTTP', async () => {
    const http = await startMcpServer({ transport: 'streamable-http', offer: () => offer });
    const sse = await startMcpServer({ transport: 'sse', offer: () => offer });
    closers.push(http.close, sse.close);
    const a = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: http.url }, options());
    const b = await inspectSession({ kind: 'remote', transport: 'sse', url: sse.url }, options());
    expect(b.error).toBeUndefined();
    expect(b.reachable).toBe(true);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('says auth-required for a server that wants a token, and inspects it with the token', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => offer, token: 's3cret' });
    closers.push(server.close);
    const without = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: server.url }, options());
    expect(without.reachable).toBe(false);
    expect(without.error?.code).toBe('auth-required');
    const withToken = await inspectSession(
      { kind: 'remote', transport: 'streamable-http', url: server.url, headers: { authorization: 'Bearer s3cret' } },
      options(),
    );
    expect(withToken.reachable).toBe(true);
  });

  it('gives up on a server that never answers, within the time limit', async () => {
    const server = await startHangingServer();
    closers.push(server.close);
    const started = Date.now();
    const result = await inspectSession(
      { kind: 'remote', transport: 'streamable-http', url: server.url },
      options({ headersTimeoutMs: 500 }, { requestTimeoutMs: 500 }),
    );
    expect(result.reachable).toBe(false);
    expect(result.error?.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reads 10,000 tools over paginated tools/list', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => ({ tools: manyTools(10_000), pageSize: 1000 }) });
    closers.push(server.close);
    const result = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: server.url }, options({}, { sessionTimeoutMs: 30_000 }));
    expect(result.reachable).toBe(true);
    expect(result.tools).toHaveLength(10_000);
    expect(result.truncated).toBeUndefined();
  });

  it('stops at the item cap and says the list was truncated', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => ({ tools: manyTools(300), pageSize: 100 }) });
    closers.push(server.close);
    const result = await inspectSession(
      { kind: 'remote', transport: 'streamable-http', url: server.url },
      options({}, { caps: { maxItems: 150, maxString: 4096 } }),
    );
    expect(result.tools).toHaveLength(150);
    expect(result.truncated).toBe(true);
  });

  it('refuses a loopback server unless private networks are allowed', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => offer });
    closers.push(server.close);
    const result = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: server.url }, options({ allowPrivateNetwork: false }));
    expect(result.error?.code).toBe('ssrf-refused');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback (checked at connect time)', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => offer });
    closers.push(server.close);
    const url = server.url.replace('http://127.0.0.1', 'https://mcp.example.com');
    const lookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await inspectSession({ kind: 'remote', transport: 'streamable-http', url }, options({ allowPrivateNetwork: false, lookup }));
    expect(result.error?.code).toBe('ssrf-refused');
    expect(server.requests).toHaveLength(0);
  });

  it('waits out a short Retry-After and fails rate-limited on a long one', async () => {
    const short = await startMcpServer({ transport: 'streamable-http', offer: () => offer, rateLimit: { count: 1, retryAfter: '1' } });
    const long = await startMcpServer({ transport: 'streamable-http', offer: () => offer, rateLimit: { count: 100, retryAfter: '3600' } });
    closers.push(short.close, long.close);
    const waited = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: short.url }, options());
    expect(waited.reachable).toBe(true);
    const refused = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: long.url }, options());
    expect(refused.error?.code).toBe('rate-limited');
    expect(long.requests).toHaveLength(1);
  });

  it('stops when the request budget is spent', async () => {
    const server = await startMcpServer({ transport: 'streamable-http', offer: () => offer });
    closers.push(server.close);
    let budget = 2;
    const result = await inspectSession({ kind: 'remote', transport: 'streamable-http', url: server.url }, options({ admit: () => budget-- > 0 }));
    expect(result.error?.code).toBe('budget-exhausted');
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it('inspects a stdio server the SDK starts, with only the environment it is given', async () => {
    const script = fileURLToPath(new URL('./fixtures/stdio-server.ts', import.meta.url));
    process.env.INSPECT_TEST_SECRET = 'leaked';
    try {
      const result = await inspectSession(
        { kind: 'stdio', label: 'stdio:test', command: process.execPath, args: [script], env: { PATH: process.env.PATH ?? '' } },
        { clientName: 'test-inspect', clientVersion: '1', requestTimeoutMs: 5000, sessionTimeoutMs: 10_000 },
      );
      expect(result.error).toBeUndefined();
      expect(result.transport).toBe('stdio');
      expect(result.tools.map((t) => t.name)).toEqual(['echo']);
      expect(result.tools[0]!.description).toContain('Secret seen: none');
    } finally {
      delete process.env.INSPECT_TEST_SECRET;
    }
  });
});
