/**
 * A client generated from our own schemas/openapi.yaml (openapi-typescript types, openapi-fetch
 * calls) walks a served registry: what a user gets who points a code generator at /openapi.yaml.
 * The types live in test/fixtures/api/openapi-paths.ts so `tsc` checks every call below; the
 * first test fails when they fall behind the spec. Regenerate them with
 *   npx openapi-typescript schemas/openapi.yaml -o test/fixtures/api/openapi-paths.ts
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryServer } from '../../scripts/serve/node-server.ts';
import type { RegistryServer } from '../../scripts/serve/node-server.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';
import type { paths } from '../fixtures/api/openapi-paths.ts';

const SPEC = new URL('../../schemas/openapi.yaml', import.meta.url);
const TYPES = new URL('../fixtures/api/openapi-paths.ts', import.meta.url);

let server: RegistryServer;
let client: ReturnType<typeof createClient<paths>>;

beforeAll(async () => {
  const { dist } = await buildFixture(fixtureRoot(40));
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = createClient<paths>({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('a client generated from schemas/openapi.yaml', () => {
  it('uses types that are what openapi-typescript generates from the spec today', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(SPEC));
    expect(generated, 'regenerate test/fixtures/api/openapi-paths.ts (see the top of this file)').toBe(readFileSync(TYPES, 'utf8'));
  });

  it('walks every page, every server and every version of a built registry', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 1000; guard += 1) {
      const { data, error } = await client.GET('/v0.1/servers', { params: { query: { limit: 7, include_deleted: true, ...(cursor ? { cursor } : {}) } } });
      expect(error).toBeUndefined();
      if (!data) throw new Error('no page');
      expect(data.metadata.count).toBe(data.servers.length);
      seen.push(...data.servers.map((s) => `${s.server.name}@${s.server.version}`));
      cursor = data.metadata.nextCursor;
      if (!cursor) break;
    }
    const health = await client.GET('/v0.1/health');
    expect(seen).toHaveLength(health.data?.versions ?? -1);
    expect(new Set(seen).size).toBe(seen.length);

    const names = [...new Set(seen.map((k) => k.slice(0, k.lastIndexOf('@'))))];
    let versions = 0;
    for (const serverName of names) {
      // openapi-fetch encodes the path parameter itself: `/` becomes %2F, `+` %2B.
      const list = await client.GET('/v0.1/servers/{serverName}/versions', { params: { path: { serverName }, query: { include_deleted: true } } });
      for (const entry of list.data?.servers ?? []) {
        const { version } = entry.server;
        const one = await client.GET('/v0.1/servers/{serverName}/versions/{version}', {
          params: { path: { serverName, version }, query: { include_deleted: true } },
        });
        expect(one.data?.server).toEqual(entry.server);
        expect(one.data?._meta['io.modelcontextprotocol.registry/official'].isLatest).toBe(entry._meta['io.modelcontextprotocol.registry/official'].isLatest);
        versions += 1;
      }
    }
    expect(versions).toBe(seen.length);
  });

  it('reads error answers as the spec types them', async () => {
    const missing = await client.GET('/v0.1/servers/{serverName}/versions', { params: { path: { serverName: 'com.example/nope' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.detail).toBe('Server not found');
    const bad = await client.GET('/v0.1/servers', { params: { query: { limit: 0, include_deleted: false, updated_since: '2025-01-01T00:00:00Z' } } });
    expect(bad.response.status).toBe(422);
    expect(bad.error?.errors?.map((e) => e.location)).toEqual(['query.limit']);
    const combined = await client.GET('/v0.1/servers', { params: { query: { include_deleted: false, updated_since: '2025-01-01T00:00:00Z' } } });
    expect(combined.response.status).toBe(400);
    expect(combined.error?.error).toBe(combined.error?.detail);
  });
});
