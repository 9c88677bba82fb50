import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { apiDataFromResponses } from '../../scripts/api/api-data.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { route } from '../../scripts/api/router.ts';
import { EDGE_FUNCTION_PATH, netlifyEdgeFunction } from '../../scripts/hosts/netlify-bundle.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { buildFixture, CONTRACT_EMITTERS, contractRoot, fixtureRoot, tempDir } from '../fixtures/api/build-fixture.ts';
import { DENO as DENO_BIN, startNetlifyDeno } from '../fixtures/api/deno-process.ts';
import { DENO, hasSystemServer } from '../helpers/system-server.ts';
import { HOST_GAPS } from '../../scripts/hosts/capabilities.ts';
import { EDGE_FUNCTION_LIMIT_BYTES, edgeFunctionSizeProblem } from '../../scripts/hosts/netlify.ts';
import { describeHostContract } from './host-contract.ts';

const SUITE = 'the Netlify edge function of build --host netlify, run in Deno';

describe.skipIf(!hasSystemServer(DENO, SUITE))(SUITE, () => {
  describeHostContract(
    'netlify edge function in deno',
    async () => {
      const { dist } = await buildFixture(contractRoot(120), 'netlify', undefined, CONTRACT_EMITTERS);
      return { ...(await startNetlifyDeno(dist)), dist };
    },
    HOST_GAPS.netlify,
  );
});

/** What VS Code, go-mcp-registry and sync clients send, and bad values of each parameter. */
const QUERIES = [
  '/v0.1/servers?limit=1',
  '/v0.1/servers?limit=50&version=latest&search=weather',
  '/v0.1/servers?search=%E2%82%AC&limit=3',
  '/v0.1/servers?version=1.1.0',
  '/v0/servers?version=latest&include_deleted=true&limit=3',
  '/v0.1/servers?updated_since=2025-03-01T00:00:00%2B01:00&limit=5',
  '/v0.1/servers?updated_since=2025-02-32T00:00:00Z',
  '/v0.1/servers?limit=0&include_deleted=maybe',
  '/v0.1/servers?limit=5&limit=7',
  '/v0.1/servers?cursor=com.example/weather:1.0.0',
  '/v0.1/servers?cursor=com.example%2Fweather',
];

describe.skipIf(!hasSystemServer(DENO, 'the Netlify edge function in Deno answering as serve does'))(
  'the Netlify edge function in Deno answering as serve does',
  () => {
    let host: { baseUrl: string; stop: () => Promise<void> };
    let data: Awaited<ReturnType<typeof loadApiData>>;
    beforeAll(async () => {
      const { dist } = await buildFixture(fixtureRoot(40), 'netlify');
      data = await loadApiData(dist);
      host = await startNetlifyDeno(dist);
    });
    afterAll(async () => {
      await host?.stop();
    });

    it.each(QUERIES)('answers %s with the status, headers and bytes of the router in node', async (url) => {
      const expected = route({ method: 'GET', url }, data);
      if (expected.kind !== 'body') throw new Error(`the router answers ${url} with a file`);
      const res = await fetch(host.baseUrl + url);
      expect(res.status).toBe(expected.status);
      expect(res.headers.get('content-type')).toBe(expected.contentType);
      expect(res.headers.get('cache-control')).toBe(expected.cacheControl);
      expect(await res.text()).toBe(expected.body);
    });

    it('walks limit=7, search and updated_since cursors exactly as the router does', async () => {
      for (const query of ['limit=7', 'limit=5&version=latest&search=tool', 'limit=3&updated_since=2025-01-20T00:00:00Z']) {
        let cursor = '';
        let pages = 0;
        for (; pages < 200; pages += 1) {
          const url = `/v0.1/servers?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const expected = route({ method: 'GET', url }, data);
          const body = await (await fetch(host.baseUrl + url)).text();
          expect(expected.kind === 'body' && body === expected.body, url).toBe(true);
          cursor = (JSON.parse(body) as { metadata: { nextCursor?: string } }).metadata.nextCursor ?? '';
          if (!cursor) break;
        }
        expect(cursor, query).toBe('');
        expect(pages, query).toBeGreaterThan(0);
      }
    });
  },
);

describe.skipIf(!hasSystemServer(DENO, 'the Netlify edge function in Deno answering old names'))(
  'the Netlify edge function in Deno answering old names',
  () => {
    it("answers a renamed server's old name with the new name's versions, as the router does", async () => {
      const { dist } = await buildFixture(fixtureRoot(), 'netlify');
      const servers = JSON.parse(gunzipSync(readFileSync(join(dist, 'v0.1/snapshot.json.gz'))).toString()).servers;
      const renames = {
        metaKey: 'io.example/registry',
        aliases: [{ from: 'com.old/thing', to: servers[0].server.name as string, renamedAt: '2025-01-01T00:00:00Z' }],
      };
      const api = apiDataFromResponses(servers, renames);
      const url = '/v0.1/servers/com.old%2Fthing/versions';
      const expected = route({ method: 'GET', url }, api);
      if (expected.kind !== 'body') throw new Error('the router answers the old name with a file');
      expect(expected.body).toContain('renamedFrom');
      const dir = tempDir('netlify-renames');
      writeFileSync(join(dir, 'fn.js'), netlifyEdgeFunction(api, renames.metaKey));
      writeFileSync(
        join(dir, 'run.js'),
        `const fn = (await import('./fn.js')).default;
const res = await fn(new Request('http://127.0.0.1${url}'), { next: () => new Response('static', { status: 404 }) });
console.log(JSON.stringify({ status: res.status, body: await res.text() }));`,
      );
      const run = spawnSync(DENO_BIN, ['run', '--no-prompt', `--allow-read=${dir}`, join(dir, 'run.js')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', DENO_DIR: tempDir('deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
      });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ status: expected.status, body: expected.body });
    });
  },
);

describe('the Netlify edge function file', () => {
  it('is one self-contained module that declares the paths Netlify runs it for', async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'netlify');
    const code = readFileSync(join(dist, EDGE_FUNCTION_PATH), 'utf8');
    expect(code).not.toMatch(/^import /m);
    expect(code).toMatch(/var config = \{ path: "\/\*" \};/);
    expect(code).toMatch(/export \{[^}]*registry as default/);
  });
});

describe("the edge function's size against Netlify's limit", () => {
  it('passes a small registry and names the limit when a function is over it', async () => {
    const { dist } = await buildFixture(fixtureRoot(), 'netlify');
    const code = readFileSync(join(dist, EDGE_FUNCTION_PATH), 'utf8');
    expect(edgeFunctionSizeProblem(code)).toBeUndefined();
    const over = edgeFunctionSizeProblem(code, 1_000);
    expect(over?.code).toBe('build/netlify-function-too-large');
    expect(over?.severity).toBe('error');
    expect(over?.message).toContain("over Netlify's limit");
    expect(EDGE_FUNCTION_LIMIT_BYTES).toBe(20_000_000);
  });
});
