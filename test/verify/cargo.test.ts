/** The cargo verifier beyond the shared contract: the README pointer's host, a crate without a README, hidden and longer names. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { cargoVerifier, readmeUrlAllowed } from '../../scripts/verify/packages/cargo.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

const SERVER = 'io.github.acme/weather';

describe('readmeUrlAllowed', () => {
  it('allows the API origin and, for the real crates.io, only https://static.crates.io', () => {
    expect(readmeUrlAllowed('https://static.crates.io/readmes/a/a-1.0.0.html', 'https://crates.io')).toBe(true);
    expect(readmeUrlAllowed('https://crates.io/readme.html', 'https://crates.io')).toBe(true);
    expect(readmeUrlAllowed('http://static.crates.io/readmes/a/a-1.0.0.html', 'https://crates.io')).toBe(false);
    expect(readmeUrlAllowed('https://static.crates.io:8443/readmes/a.html', 'https://crates.io')).toBe(false);
    expect(readmeUrlAllowed('https://evil.example/readme.html', 'https://crates.io')).toBe(false);
    expect(readmeUrlAllowed('https://static.crates.io/readmes/a.html', 'http://127.0.0.1:8080')).toBe(false);
    expect(readmeUrlAllowed('not a url', 'https://crates.io')).toBe(false);
  });
});

describe('cargo verifier', () => {
  let server: StartedHttpServer;
  let http: HttpClient;
  /** crate name → what the readme pointer endpoint and the crate API answer. */
  const crates: Record<string, { pointer?: string; readme?: string; status?: number }> = {
    elsewhere: { pointer: 'http://169.254.169.254/latest/meta-data' },
    'no-readme': {},
    hidden: { readme: `<p>Weather</p><!-- mcp-name: ${SERVER} -->` },
    longer: { readme: `<p>mcp-name: ${SERVER}-evil</p>` },
    plain: { readme: `<p>mcp-name: ${SERVER}</p>` },
    failing: { status: 503 },
  };

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const url = req.url ?? '';
      const m = /^\/api\/v1\/crates\/([^/]+)\/1\.0\.0(\/readme)?$/.exec(url);
      const crate = m ? crates[m[1]!] : undefined;
      if (m && crate) {
        if (crate.status) {
          res.statusCode = crate.status;
          return void res.end();
        }
        if (!m[2]) return void res.end('{"version":{"num":"1.0.0"}}');
        return void res.end(JSON.stringify({ url: crate.pointer ?? `http://${req.headers.host}/readmes/${m[1]}.html` }));
      }
      const r = /^\/readmes\/([^/]+)\.html$/.exec(url);
      const readme = r ? crates[r[1]!]?.readme : undefined;
      res.statusCode = readme === undefined ? 403 : 200;
      res.end(readme ?? '<Error>AccessDenied</Error>');
    });
    http = createHttpClient({ trustedOrigins: [server.origin], retries: 0, backoffMs: 1, timeoutMs: 2000 });
  });

  afterAll(async () => {
    await http.close();
    await server.close();
  });

  async function verify(identifier: string) {
    return cargoVerifier.verify(
      { pkg: { registryType: 'cargo', identifier, version: '1.0.0', transport: { type: 'stdio' } }, serverName: SERVER, pointer: '/packages/0' },
      { http, endpoints: { ...DEFAULT_ENDPOINTS, cargo: server.origin }, mcpbMaxBytes: 0 },
    );
  }

  it('accepts the name as visible text in the rendered README', async () => {
    expect(await verify('plain')).toEqual([]);
  });

  it('does not follow a README pointer away from crates.io', async () => {
    const found = await verify('elsewhere');
    expect(found.map((d) => d.code)).toEqual(['verify/url-refused']);
    expect(found[0]!.message).toContain('169.254.169.254');
  });

  it('tells a crate without a README from a missing version', async () => {
    const found = await verify('no-readme');
    expect(found.map((d) => [d.code, d.pointer])).toEqual([['verify/cargo-mcp-name-missing', '/packages/0/identifier']]);
    expect(found[0]!.message).toContain('no rendered README');
  });

  it('refuses a name only in an HTML comment, or a longer name', async () => {
    expect((await verify('hidden')).map((d) => d.code)).toEqual(['verify/cargo-mcp-name-missing']);
    expect((await verify('longer')).map((d) => d.code)).toEqual(['verify/cargo-mcp-name-missing']);
  });

  it('reports a failing crates.io as unreachable, not as a missing crate', async () => {
    const found = await verify('failing');
    expect(found.map((d) => d.code)).toEqual(['verify/service-unreachable']);
    expect(found[0]!.message).toContain('503');
  });
});
