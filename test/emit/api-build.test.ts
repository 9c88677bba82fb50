import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerListResponse, ServerResponse } from '../../scripts/core/api-types.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { route } from '../../scripts/api/router.ts';
import { loadRegistryConfig } from '../../scripts/config/registry-config.ts';
import { OPENAPI_SOURCE, buildRegistry } from '../../scripts/emit/build-registry.ts';
import { API_EMITTERS, buildFixture, fixtureRoot, tempDir } from '../fixtures/api/build-fixture.ts';

function filesOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

describe('build output', () => {
  it('is byte-identical for identical input', async () => {
    const root = fixtureRoot();
    const a = await buildFixture(root, 'nginx', join(root, 'a'));
    const b = await buildFixture(root, 'nginx', join(root, 'b'));
    // The nginx config names the folder it is served from (--nginx-root, by default the output folder): that path
    // is part of the input, so it is the one difference allowed: inside _nginx/http.conf and so in its manifest hash.
    const withoutRoot = (files: Map<string, string>, dist: string) => {
      const conf = Buffer.from(files.get('_nginx/http.conf') ?? '', 'base64').toString('utf8');
      expect(conf).toContain(dist);
      files.set('_nginx/http.conf', conf.split(dist).join('<root>'));
      const manifest = JSON.parse(Buffer.from(files.get('.build-manifest.json') ?? '', 'base64').toString('utf8'));
      delete manifest['_nginx/http.conf'];
      files.set('.build-manifest.json', JSON.stringify(manifest));
      return files;
    };
    expect(withoutRoot(filesOf(a.dist), a.dist)).toEqual(withoutRoot(filesOf(b.dist), b.dist));
  });

  it('writes the static files the router answers with', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    const data = await loadApiData(dist);
    const body = (url: string) => {
      const r = route({ method: 'GET', url }, data);
      return r.kind === 'body' ? r.body : undefined;
    };
    expect(readFileSync(join(dist, 'v0.1/servers.json'), 'utf8')).toBe(body('/v0.1/servers'));
    expect(readFileSync(join(dist, 'v0/servers.json'), 'utf8')).toBe(body('/v0/servers'));
    expect(readFileSync(join(dist, 'v0.1/entries/com.example@weather@@versions.json'), 'utf8')).toBe(body('/v0.1/servers/com.example%2Fweather/versions'));
    expect(readFileSync(join(dist, 'v0.1/entries/com.example@weather@@latest.json'), 'utf8')).toBe(body('/v0.1/servers/com.example%2Fweather/versions/latest'));
    expect(readFileSync(join(dist, 'v0.1/entries/io.github.someone@plus@1.0.0+build.1.json'), 'utf8')).toBe(
      body('/v0.1/servers/io.github.someone%2Fplus/versions/1.0.0%2Bbuild.1'),
    );
  });

  it('puts every version, deleted included, into the gzip snapshot', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    const snapshot = JSON.parse(gunzipSync(readFileSync(join(dist, 'v0.1/snapshot.json.gz'))).toString('utf8')) as ServerListResponse;
    expect(snapshot.metadata.count).toBe(10);
    expect(snapshot.servers.some((s) => s._meta[OFFICIAL_META_KEY].status === 'deleted')).toBe(true);
  });

  it('orders the changes feed by updatedAt', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    const feed = JSON.parse(readFileSync(join(dist, 'v0.1/changes.json'), 'utf8')) as { changes: { updatedAt: string }[] };
    const times = feed.changes.map((c) => c.updatedAt);
    expect(times).toEqual([...times].sort());
    expect(times).toHaveLength(10);
  });

  it('reports build time, commit and counts in health', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    expect(JSON.parse(readFileSync(join(dist, 'v0.1/health.json'), 'utf8'))).toEqual({
      status: 'ok',
      registry: 'mcp-static-registry',
      builtAt: '2025-12-01T00:00:00.000Z',
      commit: 'f'.repeat(40),
      servers: 5,
      versions: 10,
      deleted: 1,
    });
    expect(readFileSync(join(dist, 'openapi.yaml'), 'utf8')).toMatch(/^openapi: 3\.1\.0/);
  });

  it('serves the OpenAPI document of schemas/ byte for byte, from the build context', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    expect(readFileSync(join(dist, 'openapi.yaml'))).toEqual(readFileSync(fileURLToPath(OPENAPI_SOURCE)));
  });

  it('writes the official ping and version answers, version naming the build commit', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    expect(JSON.parse(readFileSync(join(dist, 'v0.1/ping.json'), 'utf8'))).toEqual({ pong: true });
    expect(JSON.parse(readFileSync(join(dist, 'v0.1/version.json'), 'utf8'))).toEqual({
      version: 'f'.repeat(12),
      git_commit: 'f'.repeat(40),
      build_time: '2025-12-01T00:00:00.000Z',
    });
  });

  it('merges overlays into _meta under the registry namespace', async () => {
    const { dist } = await buildFixture(fixtureRoot());
    const doc = JSON.parse(readFileSync(join(dist, 'v0.1/entries/com.example@weather@1.1.0.json'), 'utf8')) as ServerResponse;
    const { log, ...overlay } = doc._meta['io.github.mcp-static-registry/registry'] as Record<string, unknown>;
    expect(overlay).toEqual({ tags: ['weather', 'stable'], verified: true });
    expect(log).toEqual({ leafIndex: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('links unchanged files on a rebuild and rewrites only what changed', async () => {
    const root = fixtureRoot();
    await buildFixture(root);
    const path = join(root, 'servers/com.example/weather/1.0.0.json');
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...doc, title: 'Weather' }));
    const again = await buildFixture(root);
    expect(again.written?.stats.written).toBeLessThan(10);
    expect(again.written?.stats.linked).toBeGreaterThan(15);
    expect(readFileSync(join(root, 'dist/v0.1/entries/com.example@weather@1.0.0.json'), 'utf8')).toMatch(/"title":"Weather"/);
  });

  it('writes nothing and keeps the old dist when a file has errors', async () => {
    const root = fixtureRoot();
    const first = await buildFixture(root);
    const before = filesOf(first.dist);
    writeFileSync(join(root, 'servers/com.example/weather/1.0.0.json'), '{"name": ');
    await expect(buildFixture(root)).rejects.toThrow(/fixture build failed/);
    expect(filesOf(first.dist)).toEqual(before);
    expect(readdirSync(root).filter((n) => n.startsWith('.dist'))).toEqual([]);
  });

  it('reports a bad status file with its path and line instead of building', async () => {
    const root = fixtureRoot();
    writeFileSync(
      join(root, 'registry/status/io.github.someone/old.yaml'),
      'versions:\n  1.1.0:\n    status: retired\n    statusChangedAt: 2025-04-01T00:00:00Z\n',
    );
    const error = await buildFixture(root).catch((e: Error) => e.message);
    expect(error).toMatch(/registry\/status\/io\.github\.someone\/old\.yaml/);
  });
});

const seed = fileURLToPath(new URL('../fixtures/official/seed-2025-05-16.sample.json', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mcp-registry.js', import.meta.url));

describe('built from the official seed (a real sample of it)', () => {
  it('imports the seed, builds and keeps the seed release dates as publishedAt', async () => {
    const root = tempDir('seed');
    execFileSync('git', ['init', '-q'], { cwd: root });
    // Exit 1 is expected: some seed entries fail validation and are quarantined.
    expect(spawnSync(process.execPath, [bin, 'import', seed], { cwd: root, stdio: 'pipe' }).status).toBe(1);
    const built = await buildRegistry({ root, config: await loadRegistryConfig(root), host: 'nginx', emitters: API_EMITTERS });
    expect(built.written?.servers).toBeGreaterThan(70);
    const raw = JSON.parse(readFileSync(seed, 'utf8').replace(/^\uFEFF/, '')) as { name: string; version_detail: { release_date: string } }[];
    const doc = JSON.parse(readFileSync(join(root, 'dist/v0.1/entries/io.github.21st-dev@magic-mcp@@latest.json'), 'utf8')) as ServerResponse;
    const released = raw.find((r) => r.name === 'io.github.21st-dev/magic-mcp')?.version_detail.release_date as string;
    expect(doc._meta[OFFICIAL_META_KEY].publishedAt).toBe(new Date(released).toISOString());
    expect(doc._meta[OFFICIAL_META_KEY].isLatest).toBe(true);
  });
});
