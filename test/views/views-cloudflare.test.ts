/**
 * Views on Cloudflare Pages: the worker of `build --host cloudflare` reads views.json and answers
 * below each view's path from that view's snapshot and files, in workerd (the Workers runtime).
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
import { startWorkerd } from '../fixtures/api/workerd-process.ts';
import { describeHostContract } from '../hosts/host-contract.ts';
import { hasSystemServer, WORKERD } from '../helpers/system-server.ts';

const VIEWS = [{ name: 'all' }, { name: 'no-someone', policy: { deny: { namespaces: ['io.github.someone'] } } }];

let built: Promise<{ dist: string }> | undefined;
/** One build for every test here: the contract's data, two views. */
function build(): Promise<{ dist: string }> {
  built ??= (async () => {
    const root = contractRoot(120);
    const config = structuredClone(DEFAULT_CONFIG);
    config.extra = { views: VIEWS };
    const dist = join(root, 'dist');
    const result = await buildRegistry({ root, config, host: 'cloudflare', out: dist, dates: sortedPathDates, emitters: CONTRACT_EMITTERS });
    if (!result.written) throw new Error(JSON.stringify(result.report.files.filter((f) => !f.ok)));
    return { dist };
  })();
  return built;
}

describe.skipIf(!hasSystemServer(WORKERD, 'the Cloudflare worker answering views, run in workerd'))('views on the Cloudflare worker in workerd', () => {
  for (const [name, gaps] of [
    ['all', HOST_GAPS.cloudflare],
    ['no-someone', [...(HOST_GAPS.cloudflare ?? []), 'other-data' as const]],
  ] as const) {
    describeHostContract(
      `cloudflare worker in workerd, view /views/${name}`,
      async () => {
        const { dist } = await build();
        const worker = await startWorkerd(dist);
        return { baseUrl: `${worker.baseUrl}/views/${name}`, dist: join(dist, `views/${name}`), stop: worker.stop };
      },
      gaps,
    );
  }

  describe('each view from its own data', () => {
    let worker: { baseUrl: string; stop: () => Promise<void> };
    let dist: string;
    beforeAll(async () => {
      ({ dist } = await build());
      worker = await startWorkerd(dist);
    });
    afterAll(async () => {
      await worker?.stop();
    });

    async function names(path: string): Promise<string[]> {
      const res = await fetch(`${worker.baseUrl}${path}/v0.1/servers?include_deleted=true&limit=100&search=someone`);
      expect(res.status).toBe(200);
      return ((await res.json()) as ServerListResponse).servers.map((s) => s.server.name);
    }

    it('answers a query below a view from the view, and at / from the registry', async () => {
      const registry = await names('');
      expect(registry.some((n) => n.startsWith('io.github.someone/'))).toBe(true);
      expect(await names('/views/all')).toEqual(registry);
      expect(await names('/views/no-someone')).toEqual(registry.filter((n) => !n.startsWith('io.github.someone/')));
    });

    it.each(['/v0.1/servers?limit=7', '/v0.1/servers/io.github.someone%2Fplus/versions', '/v0.1/servers?cursor=not*a*cursor'])(
      'answers %s below /views/no-someone with the bytes of the router over that view',
      async (url) => {
        const expected = route({ method: 'GET', url }, await loadApiData(join(dist, 'views/no-someone')));
        const res = await fetch(`${worker.baseUrl}/views/no-someone${url}`);
        if (expected.kind !== 'body') throw new Error(`the router answers ${url} with a file`);
        expect(res.status).toBe(expected.status);
        expect(await res.text()).toBe(expected.body);
      },
    );
  });
});
