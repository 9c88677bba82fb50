import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { loadRegistryConfig } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { API_EMITTERS, tempDir } from '../fixtures/api/build-fixture.ts';
import { describeHostContract } from '../hosts/host-contract.ts';
import { startNginxHost } from '../fixtures/api/nginx-process.ts';
import { hasSystemServer, NGINX_NJS } from '../helpers/system-server.ts';

const seed = fileURLToPath(new URL('../fixtures/official/seed-2025-05-16.sample.json', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

/** The official seed, imported with `mcp-registry import` into a fresh registry, built for nginx. */
async function seedBuild(): Promise<string> {
  const root = tempDir('seed-contract');
  spawnSync('git', ['init', '-q'], { cwd: root });
  const imported = spawnSync(process.execPath, [bin, 'import', seed], { cwd: root, encoding: 'utf8' });
  // 1: some seed entries fail validation and are quarantined; the rest are imported.
  if (imported.status !== 1 && imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const built = await buildRegistry({ root, config: await loadRegistryConfig(root), host: 'nginx', emitters: API_EMITTERS });
  if (!built.written) throw new Error('seed build failed');
  return join(root, 'dist');
}

describe('built from the official 2025-05-16 seed (a real sample of it)', () => {
  describeHostContract('serve (seed)', async () => {
    const dist = await seedBuild();
    const server: Server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
    const { url } = await listen(server, 0, '127.0.0.1');
    return { baseUrl: url, dist, stop: () => new Promise<void>((done) => server.close(() => done())) };
  }, ['other-data']);

  describe.skipIf(!hasSystemServer(NGINX_NJS, 'the official seed served by Debian nginx'))('and served by Debian nginx', () => {
    describeHostContract('nginx (seed)', async () => {
      const dist = await seedBuild();
      const nginx = await startNginxHost(dist);
      return { ...nginx, dist };
    }, ['other-data']);
  });
});
