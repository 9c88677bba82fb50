/**
 * crates.io requires API clients to send a User-Agent that names them and says how to reach their
 * operator. verify's services send `<name>-verify/0.1 (+<verify.contact>; …)` on every request the
 * cargo verifier makes, read from a real registry.config.yaml and seen by a real server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadRegistryConfig } from '../../scripts/config/registry-config.ts';
import { cargoVerifier } from '../../scripts/verify/packages/cargo.ts';
import { createVerifyServices } from '../../scripts/verify/verify-services.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

const SERVER = 'io.github.acme/weather';

describe('the User-Agent of the cargo verifier', () => {
  let crates: StartedHttpServer;
  let root: string;
  const seen: { path: string; userAgent: string | undefined }[] = [];

  beforeAll(async () => {
    crates = await startHttpServer((req, res) => {
      const path = req.url ?? '';
      seen.push({ path, userAgent: req.headers['user-agent'] });
      if (path === '/api/v1/crates/weather/1.0.0/readme') return void res.end(JSON.stringify({ url: `http://${req.headers.host}/readmes/weather.html` }));
      if (path === '/readmes/weather.html') return void res.end(`<p>mcp-name: ${SERVER}</p>`);
      res.statusCode = 404;
      res.end('{"errors":[{"detail":"Not Found"}]}');
    });
  });
  afterAll(() => crates.close());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cargo-ua-'));
    seen.length = 0;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function verifyWith(configYaml: string, identifier = 'weather') {
    writeFileSync(join(root, 'registry.config.yaml'), `${configYaml}endpoints:\n  cargo: ${crates.origin}\n`);
    const services = createVerifyServices(await loadRegistryConfig(root), { http: { retries: 0 } });
    try {
      return await cargoVerifier.verify(
        { pkg: { registryType: 'cargo', identifier, version: '1.0.0', transport: { type: 'stdio' } }, serverName: SERVER, pointer: '/packages/0' },
        services,
      );
    } finally {
      await services.close();
    }
  }

  it('names the registry and verify.contact on every request', async () => {
    const found = await verifyWith('name: acme-registry\nbaseUrl: https://registry.acme.example\nverify:\n  contact: mailto:registry-ops@acme.example\n');
    expect(found).toEqual([]);
    expect(seen.map((s) => s.path)).toEqual(['/api/v1/crates/weather/1.0.0/readme', '/readmes/weather.html']);
    for (const { userAgent } of seen) {
      expect(userAgent).toBe('acme-registry-verify/0.1 (+mailto:registry-ops@acme.example; MCP registry verification; mcp-static-registry)');
    }
  });

  it("gives the registry's baseUrl as the contact when verify.contact is not set", async () => {
    await verifyWith('name: acme-registry\nbaseUrl: https://registry.acme.example\n');
    expect(seen.length).toBeGreaterThan(0);
    for (const { userAgent } of seen)
      expect(userAgent).toBe('acme-registry-verify/0.1 (+https://registry.acme.example; MCP registry verification; mcp-static-registry)');
  });

  it('asks the crate API with the same User-Agent when the README is missing', async () => {
    const found = await verifyWith('name: acme-registry\nverify:\n  contact: mailto:a@acme.example\n', 'gone');
    expect(found.map((d) => d.code)).toEqual(['verify/package-version-missing']);
    expect(seen.length).toBeGreaterThan(2);
    expect(new Set(seen.map((s) => s.userAgent))).toEqual(
      new Set(['acme-registry-verify/0.1 (+mailto:a@acme.example; MCP registry verification; mcp-static-registry)']),
    );
  });
});
