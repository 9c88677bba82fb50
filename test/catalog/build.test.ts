import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/catalog.ts';
import type { CatalogInput } from '../../scripts/catalog/catalog.ts';
import type { FileDates } from '../../scripts/core/file-dates.ts';
import { compareVersions } from '../../scripts/catalog/version-order.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerJson } from '../../scripts/core/api-types.ts';

const NS = 'io.github.test/registry';

function doc(name: string, version: string): ServerJson {
  return { name, version, description: `${name} ${version}` };
}

function input(versions: [string, string][], extra: Partial<CatalogInput> = {}): CatalogInput {
  const entries = versions.map(([version]) => ({ path: `servers/com.example/s/${version}.json`, server: doc('com.example/s', version) }));
  const dates = new Map<string, FileDates>(versions.map(([version, at]) => [`servers/com.example/s/${version}.json`, { publishedAt: at, updatedAt: at }]));
  return { entries, dates, metaNamespace: NS, fallbackDate: '1970-01-01T00:00:00.000Z', ...extra };
}

function latestOf(i: CatalogInput): string | undefined {
  return buildCatalog(i).servers[0]?.latest?.version;
}

describe('isLatest', () => {
  it('picks the highest semver when versions are semver, whatever the publish order', () => {
    expect(
      latestOf(
        input([
          ['2.0.0', '2025-01-01T00:00:00.000Z'],
          ['10.0.0', '2024-01-01T00:00:00.000Z'],
          ['9.9.9', '2025-06-01T00:00:00.000Z'],
        ]),
      ),
    ).toBe('10.0.0');
  });

  it('ranks a release above its prerelease', () => {
    expect(
      latestOf(
        input([
          ['1.0.0-rc.1', '2025-02-01T00:00:00.000Z'],
          ['1.0.0', '2025-01-01T00:00:00.000Z'],
        ]),
      ),
    ).toBe('1.0.0');
  });

  it('picks the latest publish among non-semver versions', () => {
    expect(
      latestOf(
        input([
          ['nightly-7', '2025-01-01T00:00:00.000Z'],
          ['nightly-5', '2025-03-01T00:00:00.000Z'],
        ]),
      ),
    ).toBe('nightly-5');
  });

  it('prefers a semver version over a newer non-semver one', () => {
    expect(
      latestOf(
        input([
          ['1.0.0', '2025-01-01T00:00:00.000Z'],
          ['nightly', '2025-03-01T00:00:00.000Z'],
        ]),
      ),
    ).toBe('1.0.0');
  });

  it('never makes a deleted version latest', () => {
    const status = new Map([
      ['com.example/s', { versions: { '2.0.0': { status: 'deleted' as const, statusMessage: 'gone', statusChangedAt: '2025-05-01T00:00:00.000Z' } } }],
    ]);
    expect(
      latestOf(
        input(
          [
            ['1.0.0', '2025-01-01T00:00:00.000Z'],
            ['2.0.0', '2025-02-01T00:00:00.000Z'],
          ],
          { status },
        ),
      ),
    ).toBe('1.0.0');
  });

  it('follows a pinned latest from the status file', () => {
    const status = new Map([['com.example/s', { latest: '1.0.0' }]]);
    expect(
      latestOf(
        input(
          [
            ['1.0.0', '2025-01-01T00:00:00.000Z'],
            ['2.0.0', '2025-02-01T00:00:00.000Z'],
          ],
          { status },
        ),
      ),
    ).toBe('1.0.0');
  });

  it('orders versions with a total order (ties broken by the version text)', () => {
    const a = { version: 'b', publishedAt: '2025-01-01T00:00:00.000Z' };
    const b = { version: 'a', publishedAt: '2025-01-01T00:00:00.000Z' };
    expect(compareVersions(a, b)).toBe(1);
    expect(compareVersions(b, a)).toBe(-1);
  });
});

describe('status and dates', () => {
  it('publishes the status file entry with its message and moves updatedAt to the status change', () => {
    const status = new Map([
      ['com.example/s', { versions: { '1.0.0': { status: 'deprecated' as const, statusMessage: 'use 2.x', statusChangedAt: '2025-05-01T00:00:00.000Z' } } }],
    ]);
    const catalog = buildCatalog(input([['1.0.0', '2025-01-01T00:00:00.000Z']], { status }));
    const meta = catalog.entries[0]?.official;
    expect(meta).toEqual({
      status: 'deprecated',
      statusChangedAt: '2025-05-01T00:00:00.000Z',
      statusMessage: 'use 2.x',
      publishedAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-05-01T00:00:00.000Z',
      isLatest: true,
    });
  });

  it('makes unlisted versions active with statusChangedAt equal to publishedAt and no message', () => {
    const meta = buildCatalog(input([['1.0.0', '2025-01-01T00:00:00.000Z']])).entries[0]?.official;
    expect(meta?.status).toBe('active');
    expect(meta?.statusChangedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(meta && 'statusMessage' in meta).toBe(false);
  });

  it('keeps the upstream publishedAt of a mirrored version over the git date', () => {
    const provenance = new Map([
      ['com.example/s', { upstream: 'https://registry.example', fetchedAt: '', versions: { '1.0.0': { publishedAt: '2024-07-01T00:00:00.000Z' } } }],
    ]);
    const meta = buildCatalog(input([['1.0.0', '2025-01-01T00:00:00.000Z']], { provenance })).entries[0]?.official;
    expect(meta?.publishedAt).toBe('2024-07-01T00:00:00.000Z');
  });

  it('falls back to the given date for files without dates', () => {
    const i = input([['1.0.0', '2025-01-01T00:00:00.000Z']]);
    const meta = buildCatalog({ ...i, dates: new Map() }).entries[0]?.official;
    expect(meta?.publishedAt).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('shape and order', () => {
  it('merges the overlay under the registry namespace, per-version keys over shared ones', () => {
    const overlays = new Map([['com.example/s', { meta: { tags: ['a'], verified: true }, versions: { '1.0.0': { tags: ['b'] } } }]]);
    const response = buildCatalog(input([['1.0.0', '2025-01-01T00:00:00.000Z']], { overlays })).entries[0]?.response;
    expect(response?._meta[NS]).toEqual({ tags: ['b'], verified: true });
    expect(Object.keys(response?._meta ?? {})).toEqual([OFFICIAL_META_KEY, NS]);
  });

  it('lists entries by name then version, and each server newest first', () => {
    const catalog = buildCatalog(
      input([
        ['1.10.0', '2025-03-01T00:00:00.000Z'],
        ['1.9.0', '2025-01-01T00:00:00.000Z'],
        ['1.2.0', '2025-02-01T00:00:00.000Z'],
      ]),
    );
    expect(catalog.entries.map((e) => e.version)).toEqual(['1.10.0', '1.2.0', '1.9.0']);
    expect(catalog.servers[0]?.versions.map((e) => e.version)).toEqual(['1.10.0', '1.2.0', '1.9.0']);
  });

  it('reports a second file for the same name and version instead of publishing both', () => {
    const i = input([['1.0.0', '2025-01-01T00:00:00.000Z']]);
    const twin = { path: 'servers/com.example/s/1.0.0-copy.json', server: doc('com.example/s', '1.0.0') };
    const catalog = buildCatalog({ ...i, entries: [...i.entries, twin] });
    expect(catalog.entries).toHaveLength(1);
    expect(catalog.diagnostics.map((d) => d.diagnostic.code)).toEqual(['catalog/duplicate-version']);
  });

  it('gives the same catalog for the same input in any order', () => {
    const i = input([
      ['1.0.0', '2025-01-01T00:00:00.000Z'],
      ['2.0.0', '2025-02-01T00:00:00.000Z'],
    ]);
    const reversed = { ...i, entries: [...i.entries].reverse() };
    expect(JSON.stringify(buildCatalog(reversed))).toBe(JSON.stringify(buildCatalog(i)));
  });
});

describe('registry-owned state for names nobody publishes', () => {
  it('warns about an overlay or status file whose server does not exist, naming the state file', () => {
    const overlays = new Map([['com.example/typo', { meta: { rating: 5 } }]]);
    const status = new Map([
      ['com.example/gone', { latest: '1.0.0' }],
      ['com.example/s', { latest: '1.0.0' }],
    ]);
    const { diagnostics } = buildCatalog(input([['1.0.0', '2025-01-01T00:00:00.000Z']], { overlays, status }));
    expect(diagnostics.map((d) => [d.path, d.diagnostic.code, d.diagnostic.severity])).toEqual([
      ['registry/overlays/com.example/typo.yaml', 'catalog/overlay-unknown-server', 'warning'],
      ['registry/status/com.example/gone.yaml', 'catalog/status-unknown-server', 'warning'],
    ]);
  });
});

describe('keys only the registry writes', () => {
  const versions: [string, string][] = [
    ['1.0.0', '2025-01-01T00:00:00.000Z'],
    ['2.0.0', '2025-02-01T00:00:00.000Z'],
  ];

  it('refuses an overlay that claims a verification, a log leaf or an upstream, and keeps the claim out of _meta', () => {
    const overlays = new Map([
      [
        'com.example/s',
        {
          meta: { rating: 5, verification: { namespace: { kind: 'domain', domain: 'example.com' } } },
          versions: { '2.0.0': { log: { leafIndex: 0, sha256: 'ab' }, upstream: { url: 'https://x', fetchedAt: '2025-01-01T00:00:00Z' } } },
        },
      ],
    ]);
    const catalog = buildCatalog(input(versions, { overlays }));
    expect(catalog.diagnostics.map((d) => [d.path, d.diagnostic.code, d.diagnostic.severity, d.diagnostic.pointer])).toEqual([
      ['registry/overlays/com.example/s.yaml', 'catalog/overlay-reserved-key', 'error', '/meta/verification'],
      ['registry/overlays/com.example/s.yaml', 'catalog/overlay-reserved-key', 'error', '/versions/2.0.0/log'],
      ['registry/overlays/com.example/s.yaml', 'catalog/overlay-reserved-key', 'error', '/versions/2.0.0/upstream'],
    ]);
    for (const entry of catalog.entries) expect(entry.response._meta[NS]).toEqual({ rating: 5 });
  });

  it('lets the registry write those keys over an overlay that sets only its own', () => {
    const overlays = new Map([['com.example/s', { meta: { rating: 5 } }]]);
    const versionMeta = new Map([['com.example/s', { '1.0.0': { log: { leafIndex: 3, sha256: 'cd' } } }]]);
    const catalog = buildCatalog(input(versions, { overlays, versionMeta }));
    expect(catalog.diagnostics).toEqual([]);
    expect(catalog.entries.find((e) => e.version === '1.0.0')?.response._meta[NS]).toEqual({ log: { leafIndex: 3, sha256: 'cd' }, rating: 5 });
  });
});
