import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { readRegistryState } from '../../scripts/emit/read-state.ts';
import { isRfc3339 } from '../../scripts/ingest/upstream-values.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { API_EMITTERS, sortedPathDates } from '../fixtures/api/build-fixture.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

const OFFICIAL = 'io.modelcontextprotocol.registry/official';
let root: string;
let upstream: Upstream | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sync-poisoned-'));
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function syncFrom(entries: ReturnType<typeof makeEntry>[]) {
  if (upstream) upstream.entries = entries;
  else upstream = await startUpstream({ entries });
  const fetcher = createPageFetcher({ from: upstream.url, retries: 0 });
  try {
    return await runSync({
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
}

const build = () => buildRegistry({ root, config: DEFAULT_CONFIG, out: join(root, 'dist'), host: 'nginx', emitters: API_EMITTERS, dates: sortedPathDates });

function poisoned(i: number, field: 'updatedAt' | 'publishedAt' | 'statusChangedAt' | 'status' | 'statusMessage', value: unknown) {
  const entry = makeEntry(i, { status: 'deprecated' });
  (entry._meta[OFFICIAL] as unknown as Record<string, unknown>)[field] = value;
  return entry;
}

describe('poisoned upstream values', () => {
  it.each([
    ['updatedAt', 'yesterday'],
    ['updatedAt', '2025-02-30T00:00:00Z'],
    ['publishedAt', 20250101],
    ['statusChangedAt', '2025-13-01T00:00:00Z'],
    ['status', 'DELETED'],
    ['statusMessage', { text: 'gone' }],
  ] as const)('quarantines an entry whose %s is %j, writes nothing of it, and the mirror still builds', async (field, value) => {
    const outcome = await syncFrom([makeEntry(0), poisoned(1, field, value)]);
    const refused = outcome.plan.quarantined.map((q) => [q.name, q.diagnostics.map((d) => d.code)]);
    expect(refused).toEqual([['io.github.upstream-org/server-00001', ['entry/invalid-upstream-meta']]]);
    expect(fg.sync('registry/{status,upstream}/**', { cwd: root })).toEqual(['registry/upstream/io.github.upstream-org/server-00000.yaml']);
    expect(existsSync(join(root, 'servers/io.github.upstream-org/server-00001'))).toBe(false);
    expect(readFileSync(join(root, outcome.quarantinePath!), 'utf8')).toContain('entry/invalid-upstream-meta');
    const built = await build();
    expect(built.report.ok).toBe(true);
    expect(built.written?.versions).toBe(1);
  });

  it('treats a blank statusMessage as none, so the status file it writes stays valid', async () => {
    await syncFrom([poisoned(0, 'statusMessage', '   ')]);
    expect(readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00000.yaml'), 'utf8')).toContain('deprecated by the upstream registry');
    expect((await build()).report.ok).toBe(true);
  });

  it('builds the rest of the tree when a provenance file cannot be read, naming the file and its code', async () => {
    await syncFrom([makeEntry(0), makeEntry(1)]);
    const bad = 'registry/upstream/io.github.upstream-org/server-00001.yaml';
    writeFileSync(join(root, bad), readFileSync(join(root, bad), 'utf8').replace(/updatedAt: .*/, 'updatedAt: not-a-date'));
    const state = await readRegistryState(root);
    expect(state.reports.map((r) => [r.path, r.diagnostics.map((d) => `${d.severity} ${d.code}`)])).toEqual([[bad, ['warning state/upstream']]]);
    expect(state.provenance.has('io.github.upstream-org/server-00001')).toBe(false);
    const built = await build();
    expect(built.report.ok).toBe(true);
    expect(built.written?.versions).toBe(2);
  });

  it('unpins a latest that the upstream deletes, so the status file still parses', async () => {
    await syncFrom([makeEntry(0)]);
    const status = join(root, 'registry/status/io.github.upstream-org/server-00000.yaml');
    mkdirSync(join(status, '..'), { recursive: true });
    writeFileSync(status, 'latest: "1.0.0"\n');
    await syncFrom([makeEntry(0, { status: 'deleted', updatedAt: '2025-08-01T00:00:00Z' })]);
    expect(readFileSync(status, 'utf8')).not.toContain('latest');
    expect((await build()).report.ok).toBe(true);
  });
});

describe('isRfc3339', () => {
  it('accepts what every state-file reader accepts, and nothing else', () => {
    expect(['2025-09-08T23:47:09Z', '2025-09-08T23:47:09.452138Z', '2024-02-29T00:00:00+02:00'].every(isRfc3339)).toBe(true);
    expect(
      ['2025-02-30T00:00:00Z', '2025-09-08 23:47:09Z', '2025-09-08T23:47:60Z', '2025-09-08t23:47:09z', '9999-12-31T23:59:59-01:00', ''].some(isRfc3339),
    ).toBe(false);
  });
});
