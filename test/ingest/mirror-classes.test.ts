/**
 * Lossless mirroring (docs/import.md): every class of entry the official registry really serves and
 * our rules refuse is kept unchanged, with the findings as provenance warnings. The fixture holds
 * real items of the 2025-10-10 official dump, trimmed from it; the last three are real items edited
 * into shapes the later live registry serves (argument `type: ""` with version `1.0.1º`, `$schema`
 * ending in `#/definitions/ServerDetail` with version `v1/2`, a remote off the namespace's domain).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { mirroredBy, statePath } from '../../scripts/core/registry-state.ts';
import { versionFileName, versionFromFileName } from '../../scripts/core/version-file.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { readRegistryState } from '../../scripts/emit/read-state.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { API_EMITTERS } from '../fixtures/api/build-fixture.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

const fixture = fileURLToPath(new URL('../fixtures/import/official-live-classes.json', import.meta.url));
const items = JSON.parse(readFileSync(fixture, 'utf8')) as ServerResponse[];
const OFFICIAL = 'io.modelcontextprotocol.registry/official';

let root: string;
let outcome: Awaited<ReturnType<typeof runSync>>;
const cleanups: (() => Promise<void> | void)[] = [];

/** Syncs `entries` from a local upstream into a fresh registry root. */
async function mirror(entries: ServerResponse[]): Promise<{ root: string; outcome: Awaited<ReturnType<typeof runSync>> }> {
  const into = mkdtempSync(join(tmpdir(), 'mirror-classes-'));
  cleanups.push(() => rmSync(into, { recursive: true, force: true }));
  const upstream: Upstream = await startUpstream({ entries });
  const fetcher = createPageFetcher({ from: upstream.url, backoffMs: 5, retries: 0 });
  try {
    const synced = await runSync({
      root: into,
      from: upstream.url,
      config: DEFAULT_CONFIG,
      validate: validateDocument,
      fetchPage: fetcher.fetchPage,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    return { root: into, outcome: synced };
  } finally {
    await fetcher.close();
    await upstream.close();
  }
}

/** Builds the API of `into` and serves it on 127.0.0.1; returns the base URL. */
async function buildAndServe(into: string): Promise<string> {
  spawnSync('git', ['init', '-q'], { cwd: into });
  const built = await buildRegistry({ root: into, config: DEFAULT_CONFIG, host: 'node', emitters: API_EMITTERS });
  if (!built.written) throw new Error(`build failed: ${JSON.stringify(built.report.files.filter((f) => !f.ok))}`);
  const dist = join(into, 'dist');
  const server: Server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return (await listen(server, 0, '127.0.0.1')).url;
}

beforeAll(async () => {
  ({ root, outcome } = await mirror(items));
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function served(name: string, version: string): ServerResponse {
  const item = items.find((i) => i.server.name === name && i.server.version === version);
  if (item === undefined) throw new Error(`${name} ${version} is not in the fixture`);
  return item;
}

/** The file sync wrote for the entry, parsed, and the warnings its provenance records. */
function mirrored(name: string, version: string): { file: unknown; warnings: string[] } {
  const file = JSON.parse(readFileSync(join(root, 'servers', name, `${versionFileName(version)}.json`), 'utf8'));
  const provenance = parse(readFileSync(join(root, statePath('upstream', name)), 'utf8'));
  return { file, warnings: provenance.versions[version]?.warnings ?? [] };
}

describe('sync of the real entry classes through a server on 127.0.0.1', () => {
  it('quarantines nothing and writes every version', () => {
    expect(outcome.stats).toMatchObject({ added: items.length, quarantined: 0 });
    expect(outcome.quarantinePath).toBeUndefined();
  });

  const cases: [string, string, string, string][] = [
    ['an environment variable with an empty name', 'io.github.mobile-next/mobile-mcp', '0.0.26', 'schema/length at /packages/0/environmentVariables/0/name'],
    ["format: 'integer'", 'io.github.jztan/redmine-mcp-server', '0.4.5', 'schema/enum at /packages/0/environmentVariables/5/format'],
    ["package version 'latest'", 'io.github.ycjcl868/mcp-server-fear-greed', '1.0.2', 'package/version-latest at /packages/0/version'],
    ['an OCI image without a tag', 'io.github.zenml-io/mcp-zenml', '1.0.3', 'package/oci-tag-required at /packages/0/identifier'],
    ['the version {{VERSION}}', 'ai.smithery/Nekzus-npm-sentinel-mcp', '{{VERSION}}', 'version/unsafe-filename at /version'],
    ["argument type '' and the version 1.0.1º", 'io.github.mobile-next/mobile-mcp', '1.0.1º', 'version/unsafe-filename at /version'],
    ['a $schema ending in #/definitions/ServerDetail and the version v1/2', 'app.getdialer/dialer', 'v1/2', 'version/unsafe-filename at /version'],
  ];
  for (const [what, name, version, warning] of cases) {
    it(`keeps ${what} unchanged, the finding recorded in provenance`, () => {
      const { file, warnings } = mirrored(name, version);
      expect(file).toEqual(served(name, version).server);
      expect(warnings).toContain(warning);
    });
  }

  it('keeps an entry without $schema and one with an empty repository exactly as served', () => {
    expect(mirrored('io.github.ruvnet/ruv-swarm', '1.0.18').file).toEqual(served('io.github.ruvnet/ruv-swarm', '1.0.18').server);
    expect(mirrored('app.getdialer/dialer', '1.0.0').file).toEqual(served('app.getdialer/dialer', '1.0.0').server);
  });

  it('keeps a remote on a host outside the namespace domain', () => {
    const item = items.at(-1) as ServerResponse;
    expect(mirrored(item.server.name, item.server.version).file).toEqual(item.server);
  });

  it('records the upstream isLatest, also where it is not the newest version', () => {
    const provenance = parse(readFileSync(join(root, statePath('upstream', 'com.enigma/enigma-mcp-server')), 'utf8'));
    expect(served('com.enigma/enigma-mcp-server', '1.0.0')._meta?.[OFFICIAL]).toMatchObject({ isLatest: true });
    expect(provenance.versions['1.0.0'].isLatest).toBe(true);
    expect(provenance.versions['1.0.0-build1'].isLatest).toBeUndefined();
  });

  it('passes validation as mirrored entries (warnings only), and fails it as authored ones', async () => {
    const { provenance } = await readRegistryState(root);
    const asMirror = await validateTree(root, DEFAULT_CONFIG, undefined, undefined, { mirrored: mirroredBy(provenance) });
    expect(asMirror.report.ok).toBe(true);
    expect(asMirror.entries).toHaveLength(items.length);
    const asAuthored = await validateTree(root, DEFAULT_CONFIG);
    expect(asAuthored.report.ok).toBe(false);
  });
});

describe('the mirrored entries, built and served on 127.0.0.1', () => {
  let base: string;
  beforeAll(async () => {
    base = await buildAndServe(root);
  });

  const get = async (name: string, version: string): Promise<ServerResponse> => {
    const response = await fetch(`${base}/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ServerResponse;
  };

  it('serves every version under its real version string, unchanged', async () => {
    for (const item of items) {
      expect((await get(item.server.name, item.server.version)).server).toEqual(item.server);
    }
  });

  it('marks as latest exactly the versions the upstream marks', async () => {
    const isUpstreamLatest = (item: ServerResponse) => (item._meta?.[OFFICIAL] as { isLatest?: boolean } | undefined)?.isLatest === true;
    // A trimmed fixture may leave out a server's latest version; such servers still get one latest.
    const complete = new Set(items.filter(isUpstreamLatest).map((i) => i.server.name));
    for (const item of items.filter((i) => complete.has(i.server.name))) {
      const official = (await get(item.server.name, item.server.version))._meta?.[OFFICIAL] as { isLatest?: boolean } | undefined;
      const upstreamLatest = isUpstreamLatest(item);
      expect([item.server.name, item.server.version, official?.isLatest]).toEqual([item.server.name, item.server.version, upstreamLatest]);
    }
  });
});

describe('an upstream whose latest is not the highest version', () => {
  it('is followed: the mirror serves the same latest', async () => {
    const older = makeEntry(7, { version: '1.0.0' });
    const newer = makeEntry(7, { version: '2.0.0' });
    (newer._meta[OFFICIAL] as { isLatest: boolean }).isLatest = false;
    const mirrored = await mirror([older, newer]);
    expect(mirrored.outcome.stats).toMatchObject({ added: 2, quarantined: 0 });
    const base = await buildAndServe(mirrored.root);
    const response = await fetch(`${base}/v0.1/servers/${encodeURIComponent(older.server.name)}/versions/latest`);
    expect(((await response.json()) as ServerResponse).server.version).toBe('1.0.0');
  });
});

describe('encoded version file names', () => {
  const versions = ['1.2.3', '{{VERSION}}', '1.0.1º', 'v1/2', '..', '../../x', '_1.0', 'a b', '1.0.0+build.5', 'ÿ%41'];
  it('decode back to the version, and plain versions stay as they are', () => {
    for (const version of versions) {
      const name = versionFileName(version) as string;
      expect(name).toMatch(/^[A-Za-z0-9_%+.-]+$/);
      expect(versionFromFileName(name)).toBe(version);
    }
    expect(versionFileName('1.2.3')).toBe('1.2.3');
    expect(versionFileName('{{VERSION}}')).toBe('_%7B%7BVERSION%7D%7D');
    expect(versionFileName('x'.repeat(300))).toBeUndefined();
  });
});
