import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import type { HttpClient } from '../../scripts/net/http-client.ts';
import { npmVerifier } from '../../scripts/verify/packages/npm.ts';
import type { VerifierServices } from '../../scripts/verify/packages/package-verifier.ts';
import { startVerdaccio } from '../helpers/verdaccio.ts';
import type { StartedVerdaccio } from '../helpers/verdaccio.ts';

let registry: StartedVerdaccio;
let http: HttpClient;
let services: VerifierServices;

beforeAll(async () => {
  registry = await startVerdaccio();
  await registry.publish({ name: '@acme/weather', version: '1.0.0', mcpName: 'io.github.acme/weather' });
  await registry.publish({ name: 'plain-weather', version: '2.0.0' });
  await registry.publish({ name: 'other-weather', version: '1.0.0', mcpName: 'io.github.someone/else' });
  http = createHttpClient({ trustedOrigins: [registry.origin], timeoutMs: 5000 });
  services = { http, endpoints: { ...DEFAULT_ENDPOINTS, npm: registry.origin }, mcpbMaxBytes: 1024 };
}, 60_000);

afterAll(async () => {
  await http?.close();
  await registry?.close();
});

async function codes(identifier: string, version: string, serverName: string): Promise<string[]> {
  const found = await npmVerifier.verify(
    { pkg: { registryType: 'npm', identifier, version, transport: { type: 'stdio' } }, serverName, pointer: '/packages/0' },
    services,
  );
  return found.map((d) => d.code);
}

describe('npm verifier against Verdaccio', () => {
  it('accepts a scoped package whose version names the server in mcpName', async () => {
    expect(await codes('@acme/weather', '1.0.0', 'io.github.acme/weather')).toEqual([]);
  });

  it('reports a package published without mcpName', async () => {
    expect(await codes('plain-weather', '2.0.0', 'io.github.acme/weather')).toEqual(['verify/npm-mcpname-missing']);
  });

  it('reports a package whose mcpName names another server', async () => {
    expect(await codes('other-weather', '1.0.0', 'io.github.acme/weather')).toEqual(['verify/npm-mcpname-mismatch']);
  });

  it('reports a version that was never published', async () => {
    expect(await codes('@acme/weather', '9.9.9', 'io.github.acme/weather')).toEqual(['verify/package-version-missing']);
  });
});
