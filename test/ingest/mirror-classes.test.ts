/**
 * Lossless mirroring (docs/import.md): every class of entry the official registry really serves and
 * our rules refuse is kept unchanged, with the findings as provenance warnings. The fixture holds
 * real items of the 2025-10-10 official dump, trimmed from it; the last three are real items edited
 * into shapes the later live registry serves (argument `type: ""` with version `1.0.1º`, `$schema`
 * ending in `#/definitions/ServerDetail` with version `v1/2`, a remote off the namespace's domain).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { mirroredBy, statePath } from '../../scripts/core/registry-state.ts';
import { versionFileName, versionFromFileName } from '../../scripts/core/version-file.ts';
import { readRegistryState } from '../../scripts/emit/read-state.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';
import { startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

const fixture = fileURLToPath(new URL('../fixtures/import/official-live-classes.json', import.meta.url));
const items = JSON.parse(readFileSync(fixture, 'utf8')) as ServerResponse[];
const OFFICIAL = 'io.modelcontextprotocol.registry/official';

let root: string;
let upstream: Upstream;
let outcome: Awaited<ReturnType<typeof runSync>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mirror-classes-'));
  upstream = await startUpstream({ entries: items });
  const fetcher = createPageFetcher({ from: upstream.url, backoffMs: 5, retries: 0 });
  try {
    outcome = await runSync({
      root,
      from: upstream.url,
      config: DEFAULT_CONFIG,
      validate: validateDocument,
      fetchPage: fetcher.fetchPage,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
  } finally {
    await fetcher.close();
  }
});

afterAll(async () => {
  await upstream?.close();
  rmSync(root, { recursive: true, force: true });
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
