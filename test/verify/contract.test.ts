import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../scripts/config/registry-config.ts';
import type { Package } from '../../scripts/core/api-types.ts';
import { createHttpClient } from '../../scripts/net/http-client.ts';
import { packageVerifiers } from '../../scripts/verify/packages/registry.ts';

/** Every verifier, whatever its ecosystem, turns a dead service into one clear diagnostic. */
const DEAD = 'http://127.0.0.1:9';
const samples: Record<string, Omit<Package, 'transport'>> = {
  npm: { registryType: 'npm', identifier: '@acme/weather', version: '1.0.0' },
  pypi: { registryType: 'pypi', identifier: 'acme-weather', version: '1.0.0' },
  nuget: { registryType: 'nuget', identifier: 'Acme.Weather', version: '1.0.0' },
  oci: { registryType: 'oci', identifier: 'ghcr.io/acme/weather:1.0.0' },
  mcpb: { registryType: 'mcpb', identifier: 'https://github.com/acme/weather/releases/download/v1/w.mcpb', fileSha256: 'a'.repeat(64) },
};

describe('every package verifier', () => {
  it('has a sample here, so a new verifier cannot skip the contract', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(packageVerifiers).sort());
  });

  for (const [type, verifier] of Object.entries(packageVerifiers)) {
    it(`${type}: reports an unreachable service once, naming the URL, without throwing`, async () => {
      const http = createHttpClient({ trustedOrigins: [DEAD], retries: 1, backoffMs: 1, timeoutMs: 1000 });
      try {
        const found = await verifier.verify(
          { pkg: { ...samples[type]!, transport: { type: 'stdio' } }, serverName: 'io.github.acme/weather', pointer: '/packages/0' },
          {
            http,
            endpoints: { ...DEFAULT_ENDPOINTS, npm: DEAD, pypi: DEAD, nuget: DEAD, oci: DEAD, http: DEAD },
            mcpbMaxBytes: 1024,
          },
        );
        expect(found.map((d) => d.code)).toEqual(['verify/service-unreachable']);
        expect(found[0]!.message).toContain(DEAD);
        expect(found[0]!.pointer.startsWith('/packages/0')).toBe(true);
      } finally {
        await http.close();
      }
    });
  }
});
