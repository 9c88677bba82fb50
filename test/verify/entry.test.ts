import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, withEndpointOverrides } from '../../scripts/config/registry-config.ts';
import type { ServerJson } from '../../scripts/core/api-types.ts';
import { verifyEntry } from '../../scripts/verify/verify-entry.ts';
import { createVerifyServices } from '../../scripts/verify/verify-services.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import type { StartedHttpServer } from '../helpers/http-server.ts';

let hanging: StartedHttpServer;

beforeAll(async () => {
  hanging = await startHttpServer(() => {
    // never answers
  });
});

afterAll(async () => {
  await hanging.close();
});

function entry(server: Partial<ServerJson>) {
  const full: ServerJson = { name: 'io.github.acme/weather', description: 'Weather.', version: '1.0.0', ...server };
  return { path: 'servers/io.github.acme/weather/1.0.0.json', server: full, bytes: Buffer.from(JSON.stringify(full)), signatureText: undefined };
}

describe('verifying one entry', () => {
  it('ends a package whose registry hangs at the package deadline', async () => {
    const config = withEndpointOverrides(DEFAULT_CONFIG, [`pypi=${hanging.origin}`]);
    const services = createVerifyServices(config, { author: 'acme', packageDeadlineMs: 300, http: { timeoutMs: 30_000 } });
    const started = Date.now();
    try {
      const found = await verifyEntry(
        entry({ packages: [{ registryType: 'pypi', identifier: 'weather', version: '1.0.0', transport: { type: 'stdio' } }] }),
        services,
      );
      expect(found.map((d) => d.code)).toEqual(['verify/service-unreachable']);
      expect(found[0]!.message).toMatch(/pypi package weather took longer than 300 ms/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await services.close();
    }
  });

  it('reports a namespace no one can prove and a registry type without a verifier', async () => {
    const services = createVerifyServices(DEFAULT_CONFIG, { author: 'acme' });
    try {
      const found = await verifyEntry(
        entry({ name: 'weather/server', packages: [{ registryType: 'rubygems', identifier: 'weather', version: '1.0.0', transport: { type: 'stdio' } }] }),
        services,
      );
      expect(found.map((d) => d.code)).toEqual(['verify/namespace-unverifiable', 'verify/registry-type-unsupported']);
    } finally {
      await services.close();
    }
  });
});
