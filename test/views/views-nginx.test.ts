/**
 * Views on nginx: `build --host nginx` with views writes a block of locations per view into
 * _nginx/server.conf and preloads each view's router data (http.conf), so Debian's nginx with njs
 * answers the host contract below each view's path, from that view's data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { route } from '../../scripts/api/router.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerListResponse } from '../../scripts/core/api-types.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { CONTRACT_EMITTERS, contractRoot, sortedPathDates } from '../fixtures/api/build-fixture.ts';
import { startNginxHost } from '../fixtures/api/nginx-process.ts';
import type { NginxProcess } from '../fixtures/api/nginx-process.ts';
import { describeHostContract } from '../hosts/host-contract.ts';
import { hasSystemServer, NGINX_NJS } from '../helpers/system-server.ts';

const VIEWS = [
  { name: 'all', title: 'Everything mirrored' },
  // A name with '-', which is not in a JavaScript identifier (the preloaded object's name).
  { name: 'no-someone', policy: { deny: { namespaces: ['io.github.someone'] } } },
];

let built: Promise<{ dist: string }> | undefined;
/** One build for every test here: the contract's data, two views. */
function build(): Promise<{ dist: string }> {
  built ??= (async () => {
    const root = contractRoot(120);
    const config = structuredClone(DEFAULT_CONFIG);
    config.extra = { views: VIEWS };
    const dist = join(root, 'dist');
    const result = await buildRegistry({ root, config, host: 'nginx', out: dist, dates: sortedPathDates, emitters: CONTRACT_EMITTERS });
    if (!result.written) throw new Error(JSON.stringify(result.report.files.filter((f) => !f.ok)));
    return { dist };
  })();
  return built;
}

const ready = hasSystemServer(NGINX_NJS, 'Debian nginx with njs serving the views of build --host nginx');

describe.skipIf(!ready)('views on Debian nginx with njs', () => {
  describeHostContract(
    'nginx, view /views/all',
    async () => {
      const { dist } = await build();
      const nginx = await startNginxHost(dist);
      return { baseUrl: `${nginx.baseUrl}/views/all`, dist: join(dist, 'views/all'), stop: nginx.stop };
    },
    HOST_GAPS.nginx,
  );
  describeHostContract('nginx, view /views/no-someone', async () => {
    const { dist } = await build();
    const nginx = await startNginxHost(dist);
    return { baseUrl: `${nginx.baseUrl}/views/no-someone`, dist: join(dist, 'views/no-someone'), stop: nginx.stop };
  }, [...(HOST_GAPS.nginx ?? []), 'other-data']);

  describe('each view from its own data', () => {
    let nginx: NginxProcess;
    let dist: string;
    beforeAll(async () => {
      ({ dist } = await build());
      nginx = await startNginxHost(dist);
    });
    afterAll(async () => {
      await nginx?.stop();
    });

    async function names(path: string): Promise<string[]> {
      const res = await fetch(`${nginx.baseUrl}${path}/v0.1/servers?include_deleted=true&limit=100&search=someone`);
      expect(res.status).toBe(200);
      return ((await res.json()) as ServerListResponse).servers.map((s) => s.server.name);
    }

    it('answers a query below a view from the view, and at / from the registry', async () => {
      const registry = await names('');
      expect(registry.some((n) => n.startsWith('io.github.someone/'))).toBe(true);
      expect(await names('/views/all')).toEqual(registry);
      expect(await names('/views/no-someone')).toEqual(registry.filter((n) => !n.startsWith('io.github.someone/')));
    });

    it.each([
      '/v0.1/servers?limit=7',
      '/v0.1/servers?version=latest&search=tool&limit=5',
      '/v0/servers?include_deleted=true&limit=3',
      '/v0.1/servers/io.github.someone%2Fplus/versions',
      '/v0.1/servers/io.github.someone%2Fplus/versions/latest?include_deleted=true',
      '/v0.1/servers?cursor=not*a*cursor',
    ])('answers %s below /views/no-someone with the bytes of the router over that view', async (url) => {
      const data = await loadApiData(join(dist, 'views/no-someone'));
      const expected = route({ method: 'GET', url }, data);
      const res = await fetch(`${nginx.baseUrl}/views/no-someone${url}`);
      expect(res.status).toBe(expected.kind === 'body' ? expected.status : 200);
      if (expected.kind === 'body') expect(await res.text()).toBe(expected.body);
    });

    it("keeps the view's router data and server markers internal", async () => {
      expect((await fetch(`${nginx.baseUrl}/_nginx/views/all/api.json`)).status).toBe(404);
      expect((await fetch(`${nginx.baseUrl}/views/all/v0.1/entries/com.example@weather@@server.json`)).status).toBe(404);
    });
  });
});
