/** The User-Agent the HTTP client sends: its default, one set per client, one set per request — as a real server sees them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import { headerContact, registryUserAgent } from '../../scripts/net/user-agent.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

describe('registryUserAgent', () => {
  it('names the registry, the purpose, the contact and the tool', () => {
    expect(registryUserAgent('acme-registry', 'verify', 'mailto:ops@acme.example', 'MCP registry verification')).toBe(
      'acme-registry-verify/0.1 (+mailto:ops@acme.example; MCP registry verification; mcp-static-registry)',
    );
    expect(registryUserAgent('mcp-static-registry', 'verify', 'https://registry.acme.example', 'MCP registry verification')).toBe(
      'mcp-static-registry-verify/0.1 (+https://registry.acme.example; MCP registry verification)',
    );
  });

  it('keeps a name with spaces a product token, and a contact inside its comment', () => {
    expect(registryUserAgent('Acme MCP Registry!', 'verify', 'ops (at) acme\r\nX-Evil: 1', 'x')).toBe(
      'Acme-MCP-Registry-verify/0.1 (+ops at acme X-Evil: 1; x; mcp-static-registry)',
    );
    expect(registryUserAgent('***', 'verify', '  ', 'x')).toBe('mcp-static-registry-verify/0.1 (x)');
    expect(headerContact('\u00e9\u00e9')).toBeUndefined();
  });
});

describe('the User-Agent a server receives', () => {
  let server: StartedHttpServer;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      seen.push(req.headers['user-agent']);
      res.end('{}');
    });
  });
  afterAll(() => server.close());

  async function userAgentOf(options: Parameters<typeof createHttpClient>[0], headers?: Record<string, string>): Promise<string | undefined> {
    const client = createHttpClient({ trustedOrigins: [server.origin], retries: 0, ...options });
    try {
      const result = await client.send({ url: `${server.origin}/api/v1/crates/x`, ...(headers ? { headers } : {}) });
      expect(result.ok).toBe(true);
      return seen.at(-1);
    } finally {
      await client.close();
    }
  }

  it('is the tool and its version by default', async () => {
    expect(await userAgentOf({})).toBe('mcp-static-registry/0.1');
  });

  it("is the client's when it sets one, and a request's own header wins", async () => {
    const ua = registryUserAgent('acme', 'verify', 'mailto:ops@acme.example', 'MCP registry verification');
    expect(await userAgentOf({ userAgent: ua })).toBe(ua);
    expect(await userAgentOf({ userAgent: ua }, { 'User-Agent': 'octokit/1' })).toBe('octokit/1');
  });
});
