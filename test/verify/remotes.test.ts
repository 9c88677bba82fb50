import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyNamespace } from '../../scripts/verify/namespace.ts';
import { verifyRemote } from '../../scripts/verify/remotes.ts';
import type { HostResolver } from '../../scripts/verify/remotes.ts';
import { createResolver } from '../../scripts/verify/verify-services.ts';
import { startDnsServer } from '../helpers/dns-server.ts';
import type { StartedDnsServer } from '../helpers/dns-server.ts';

let dns: StartedDnsServer;
let resolveHost: HostResolver;

beforeAll(async () => {
  dns = await startDnsServer({
    a: { 'mcp.example.com': ['93.184.215.14'], 'internal.example.com': ['10.0.0.5'], 'mcp.elsewhere.net': ['93.184.215.15'] },
  });
  const resolver = createResolver(dns.endpoint, 500);
  resolveHost = (host) => resolver.resolve4(host);
});

afterAll(async () => {
  await dns.close();
});

async function codes(name: string, url: string): Promise<string[]> {
  const found = await verifyRemote({ type: 'streamable-http', url }, '/remotes/0', classifyNamespace(name), resolveHost);
  return found.map((d) => d.code);
}

describe('remote URLs', () => {
  it('accepts an https remote on the namespace domain that resolves publicly', async () => {
    expect(await codes('com.example/weather', 'https://mcp.example.com/mcp')).toEqual([]);
  });

  it('refuses plain http', async () => {
    expect(await codes('com.example/weather', 'http://mcp.example.com/mcp')).toEqual(['verify/remote-not-https']);
  });

  it('refuses a host outside the namespace domain', async () => {
    expect(await codes('com.example/weather', 'https://mcp.elsewhere.net/mcp')).toEqual(['verify/remote-off-domain']);
  });

  it('allows any public host for a GitHub namespace', async () => {
    expect(await codes('io.github.acme/weather', 'https://mcp.elsewhere.net/mcp')).toEqual([]);
  });

  it('refuses a host that resolves to a private address', async () => {
    expect(await codes('com.example/weather', 'https://internal.example.com/mcp')).toEqual(['verify/remote-private-address']);
  });

  it('refuses a host that does not resolve', async () => {
    expect(await codes('com.example/weather', 'https://gone.example.com/mcp')).toEqual(['verify/remote-unresolvable']);
  });

  it('skips resolving a host made of a template variable', async () => {
    expect(await codes('io.github.acme/weather', 'https://{tenant}.example.com/mcp')).toEqual([]);
  });
});
