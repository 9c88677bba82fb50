import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { route } from '../../scripts/api/router.ts';
import { buildFixture, fixtureRoot } from '../fixtures/api/build-fixture.ts';

/** A client generated from schemas/openapi.yaml must be able to send what the router honours and read what it answers. */
interface Operation {
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<string, unknown>;
}
interface OpenApi {
  paths: Record<string, { get: Operation }>;
  components: { parameters: Record<string, { name: string; in: string }>; schemas: Record<string, unknown> };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const spec = parse(readFileSync(new URL('../../schemas/openapi.yaml', import.meta.url), 'utf8')) as OpenApi;

function queryParameters(path: string): string[] {
  return (spec.paths[path]?.get.parameters ?? [])
    .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop() ?? ''] : p))
    .filter((p) => p?.in === 'query')
    .map((p) => p?.name ?? '');
}

function validator(schemaName: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: spec.components });
  return ajv.compile({ $ref: `openapi#/components/schemas/${schemaName}` });
}

let dist: string;
beforeAll(async () => {
  ({ dist } = await buildFixture(fixtureRoot()));
});

async function status(url: string): Promise<number> {
  const r = route({ method: 'GET', url }, await loadApiData(dist));
  return r.kind === 'body' ? r.status : 0;
}

describe('schemas/openapi.yaml against what the registry answers', () => {
  it('declares include_deleted on both per-server paths, which answer deleted versions with it', async () => {
    expect(await status('/v0.1/servers/io.github.someone%2Fgone/versions?include_deleted=true')).toBe(200);
    expect(await status('/v0.1/servers/io.github.someone%2Fgone/versions/1.0.0?include_deleted=true')).toBe(200);
    expect(queryParameters('/v0.1/servers/{serverName}/versions')).toContain('include_deleted');
    expect(queryParameters('/v0.1/servers/{serverName}/versions/{version}')).toContain('include_deleted');
  });

  it('lists 422 for a bad include_deleted on both per-server paths', async () => {
    expect(await status('/v0.1/servers/io.github.someone%2Fold/versions?include_deleted=maybe')).toBe(422);
    expect(Object.keys(spec.paths['/v0.1/servers/{serverName}/versions']?.get.responses ?? {})).toContain('422');
    expect(Object.keys(spec.paths['/v0.1/servers/{serverName}/versions/{version}']?.get.responses ?? {})).toContain('422');
  });

  it('describes the changes feed with a schema the built feed satisfies', () => {
    const feed = JSON.parse(readFileSync(join(dist, 'v0.1/changes.json'), 'utf8')) as { changes: unknown[] };
    expect(feed.changes.length).toBeGreaterThan(0);
    const validate = validator('ChangeList');
    expect(validate(feed), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ changes: [{ name: 'a/b' }], metadata: { count: 1 } })).toBe(false);
  });
});
