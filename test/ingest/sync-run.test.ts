import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import type { SyncOptions } from '../../scripts/ingest/run-sync.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { provenanceMeta } from '../../scripts/catalog/provenance-meta.ts';
import { policyExclusion } from '../../scripts/policy/load-policy.ts';
import { compilePolicy } from '../../scripts/policy/policy.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream, UpstreamOptions } from '../fixtures/sync/upstream-server.ts';

let root: string;
let upstream: Upstream | undefined;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sync-'));
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  for (const close of closers.splice(0)) await close();
  rmSync(root, { recursive: true, force: true });
});

async function start(options: Partial<UpstreamOptions> & { count?: number }): Promise<Upstream> {
  const entries = options.entries ?? Array.from({ length: options.count ?? 5 }, (_, i) => makeEntry(i));
  upstream = await startUpstream({ ...options, entries });
  return upstream;
}

function sync(extra: Partial<SyncOptions> = {}, fetcher: { timeoutMs?: number; retries?: number } = {}) {
  const { fetchPage, close } = createPageFetcher({ from: upstream!.url, backoffMs: 5, ...fetcher });
  closers.push(close);
  return runSync({
    root,
    from: upstream!.url,
    config: DEFAULT_CONFIG,
    validate: validateDocument,
    fetchPage,
    limit: 100,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...extra,
  });
}

const entryFile = (i: number, version = '1.0.0') => join(root, `servers/io.github.upstream-org/server-${String(i).padStart(5, '0')}/${version}.json`);

describe('sync from an upstream API', () => {
  it('mirrors every entry of a paginated upstream into servers/', async () => {
    await start({ count: 250 });
    const outcome = await sync();
    expect(outcome.report.ok).toBe(true);
    expect(outcome.stats).toMatchObject({ pages: 3, added: 250, incremental: false });
    expect(JSON.parse(readFileSync(entryFile(249), 'utf8'))).toEqual(upstream!.entries[249]!.server);
  });

  it('records the upstream and fetch time as provenance, outside the entry', async () => {
    await start({ count: 2 });
    await sync();
    const provenance = readFileSync(join(root, 'registry/upstream/io.github.upstream-org/server-00001.yaml'), 'utf8');
    expect(provenance).toContain(`upstream: ${upstream!.url}/v0.1`);
    expect(provenance).toContain('fetchedAt: 2026-01-01T00:00:00.000Z');
  });

  it('fetches only what changed on the second sync, using the saved watermark', async () => {
    await start({ count: 150 });
    await sync();
    upstream!.entries.push(makeEntry(3, { version: '1.1.0', updatedAt: '2025-07-01T00:00:00Z' }));
    upstream!.entries[7] = makeEntry(7, { status: 'deprecated', updatedAt: '2025-07-02T00:00:00Z' });
    const before = upstream!.requests.length;
    const second = await sync();
    // Besides the pages, each sync asks once for the upstream's renames (v0.1/renames.json; this one has none)
    // and once for its transparency log (log/checkpoint; this one has none).
    const all = upstream!.requests.slice(before);
    expect(all.filter((r) => r.endsWith('/renames.json'))).toHaveLength(1);
    expect(all.filter((r) => r.startsWith('/log/'))).toEqual(['/log/checkpoint']);
    const requests = all.filter((r) => !r.endsWith('/renames.json') && !r.startsWith('/log/'));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toContain('updated_since=2025-06-01T00%3A00%3A00Z');
    expect(second.stats).toMatchObject({ incremental: true, fetched: 2, added: 1, unchanged: 1 });
    expect(existsSync(entryFile(3, '1.1.0'))).toBe(true);
    expect(readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00007.yaml'), 'utf8')).toContain('status: deprecated');
  });

  it('writes nothing when a full walk finds the upstream unchanged', async () => {
    await start({ count: 3, entries: [makeEntry(0), makeEntry(1, { status: 'deprecated' })] });
    await sync();
    const again = await sync({ full: true });
    expect(again.written).toEqual([]);
  });

  it('marks versions that disappear from the upstream as deleted on a full walk, keeping their files', async () => {
    await start({ count: 3 });
    await sync();
    upstream!.entries.splice(1, 1);
    const outcome = await sync({ full: true });
    expect(outcome.stats.removed).toBe(1);
    expect(existsSync(entryFile(1))).toBe(true);
    expect(readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00001.yaml'), 'utf8')).toContain('status: deleted');
  });

  it("keeps a moderator's status for a mirrored version while the upstream's status stays the same", async () => {
    await start({ count: 2 });
    await sync();
    const statusFile = join(root, 'registry/status/io.github.upstream-org/server-00000.yaml');
    mkdirSync(join(statusFile, '..'), { recursive: true });
    writeFileSync(statusFile, 'versions:\n  1.0.0:\n    status: deprecated\n    statusMessage: Not allowed here.\n    statusChangedAt: 2026-01-01T00:00:00Z\n');
    await sync({ full: true });
    expect(readFileSync(statusFile, 'utf8')).toContain('Not allowed here.');
  });

  it('does not mark a removed version deleted again after a moderator restored it', async () => {
    await start({ count: 2 });
    await sync();
    upstream!.entries.splice(1, 1);
    await sync({ full: true });
    const statusFile = join(root, 'registry/status/io.github.upstream-org/server-00001.yaml');
    rmSync(statusFile);
    const again = await sync({ full: true });
    expect(again.stats.removed).toBe(0);
    expect(existsSync(statusFile)).toBe(false);
  });

  it('applies an upstream deletion as a status, never by removing the file', async () => {
    await start({ count: 2 });
    await sync();
    upstream!.entries[0] = makeEntry(0, { status: 'deleted', updatedAt: '2025-08-01T00:00:00Z' });
    await sync();
    expect(existsSync(entryFile(0))).toBe(true);
    expect(readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00000.yaml'), 'utf8')).toContain('status: deleted');
  });

  it('applies an upstream deletion to a mirrored version even when the policy takes in only active and deprecated entries', async () => {
    const compiled = compilePolicy({ allow: { statuses: ['active', 'deprecated'] } });
    if (!compiled.ok) throw new Error(compiled.error.join('; '));
    const exclude = policyExclusion(compiled.value);
    await start({ count: 2, entries: [makeEntry(0), makeEntry(1, { status: 'deleted' })] });
    const first = await sync({ exclude });
    expect(first.stats).toMatchObject({ added: 1, skipped: 1 });
    upstream!.entries[0] = makeEntry(0, { status: 'deleted', updatedAt: '2025-08-01T00:00:00Z' });
    const second = await sync({ exclude });
    expect(second.stats.skipped).toBe(0);
    expect(readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00000.yaml'), 'utf8')).toContain('status: deleted');
    expect(existsSync(entryFile(1))).toBe(false);
  });

  it('marks versions mirrored before deleted when a tightened policy leaves them out, keeping their files', async () => {
    await start({ count: 2 });
    await sync();
    const compiled = compilePolicy({ deny: { names: ['*/server-00001'] } });
    if (!compiled.ok) throw new Error(compiled.error.join('; '));
    const exclude = policyExclusion(compiled.value);
    const tightened = await sync({ exclude, full: true });
    expect(tightened.stats).toMatchObject({ skipped: 1, withdrawn: 1, removed: 0 });
    expect(existsSync(entryFile(1))).toBe(true);
    const status = readFileSync(join(root, 'registry/status/io.github.upstream-org/server-00001.yaml'), 'utf8');
    expect(status).toContain('status: deleted');
    expect(status).toContain("left out by this registry's policy");
    expect((await sync({ exclude, full: true })).written).toEqual([]);
  });

  it('walks in full when the policy changed since the last sync, bringing in what it left out before', async () => {
    await start({ count: 2 });
    const policy = { deny: { names: ['*/server-00001'] } };
    const compiled = compilePolicy(policy);
    if (!compiled.ok) throw new Error(compiled.error.join('; '));
    const first = await sync({ config: { ...DEFAULT_CONFIG, extra: { policy } }, exclude: policyExclusion(compiled.value) });
    expect(first.stats).toMatchObject({ added: 1, skipped: 1 });
    const loosened = await sync();
    expect(loosened.stats).toMatchObject({ incremental: false, added: 1 });
    expect(loosened.report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).toContain('sync/policy-changed');
    expect(existsSync(entryFile(1))).toBe(true);
    expect((await sync()).stats.incremental).toBe(true);
  });

  it('retries 500s and slow pages, then succeeds', async () => {
    await start({ count: 120, intercept: (n) => (n === 1 ? { status: 500, body: '{}' } : n === 3 ? { delayMs: 800 } : undefined) });
    const outcome = await sync({}, { timeoutMs: 300, retries: 2 });
    expect(outcome.report.ok).toBe(true);
    expect(outcome.stats.added).toBe(120);
    expect(outcome.stats.requests).toBe(4);
  });

  it('leaves servers/ untouched when the upstream keeps failing, and resumes from the failed page', async () => {
    let failing = true;
    await start({
      count: 250,
      intercept: (_n, url) =>
        failing && url.searchParams.has('cursor') && url.searchParams.get('cursor')!.includes('00199') ? { status: 503, body: 'down' } : undefined,
    });
    const first = await sync({}, { retries: 1 });
    expect(first.report.ok).toBe(false);
    expect(first.report.files[0]!.diagnostics[0]!.message).toMatch(/503.*resume/);
    expect(existsSync(join(root, 'servers'))).toBe(false);
    failing = false;
    const before = upstream!.requests.length;
    const second = await sync();
    expect(second.stats.resumed).toBe(true);
    expect(upstream!.requests.slice(before).filter((r) => !r.endsWith('/renames.json') && !r.startsWith('/log/'))).toHaveLength(1);
    expect(readdirSync(join(root, 'servers/io.github.upstream-org'))).toHaveLength(250);
    expect(existsSync(join(root, `registry/sync/127.0.0.1-${new URL(upstream!.url).port}.journal`))).toBe(false);
  });

  it('completes when the upstream changes between pages, and the next sync picks the change up', async () => {
    await start({
      count: 150,
      afterPage: (n, up) => {
        if (n === 1) up.entries.push(makeEntry(5, { version: '2.0.0', updatedAt: '2030-01-01T00:00:00Z' }));
      },
    });
    const first = await sync();
    expect(first.report.ok).toBe(true);
    expect(existsSync(entryFile(5, '2.0.0'))).toBe(false);
    await sync();
    expect(existsSync(entryFile(5, '2.0.0'))).toBe(true);
  });

  it('falls back to /v0 when the upstream has no /v0.1', async () => {
    await start({ count: 2, onlyV0: true });
    const outcome = await sync();
    expect(outcome.stats.added).toBe(2);
    expect(upstream!.requests.filter((r) => !r.startsWith('/log/')).at(-1)).toMatch(/^\/v0\/servers/);
  });

  it('leaves names written by hand in servers/ alone', async () => {
    await start({ count: 2 });
    const own = entryFile(0, '0.9.0');
    mkdirSync(join(own, '..'), { recursive: true });
    writeFileSync(own, JSON.stringify(makeEntry(0, { version: '0.9.0' }).server));
    const outcome = await sync();
    expect(outcome.plan.skipped.map((s) => s.reason)).toEqual(['the name has entries written in this repository, which win over any upstream']);
    expect(existsSync(entryFile(0))).toBe(false);
    expect(existsSync(entryFile(1))).toBe(true);
  });

  it('lets the upstream listed first in upstreams win a name another upstream also provides', async () => {
    const first = await start({ count: 1 });
    await sync();
    upstream = await startUpstream({ entries: [makeEntry(0, { version: '3.0.0' })] });
    closers.push(() => first.close());
    const outcome = await sync({ upstreams: [{ url: first.url }] });
    expect(outcome.stats.skipped).toBe(1);
    expect(existsSync(entryFile(0, '3.0.0'))).toBe(false);
    // After reordering upstreams, a full walk brings in what the watermark skipped past.
    const third = await sync({ full: true, upstreams: [{ url: upstream.url }, { url: first.url }] });
    expect(third.stats.added).toBe(1);
  });
});

describe('provenance in _meta', () => {
  it('names the upstream, the fetch time and the upstream dates of a mirrored version', () => {
    const file = {
      upstream: 'https://registry.example/v0.1',
      fetchedAt: '2026-01-01T00:00:00Z',
      versions: { '1.0.0': { publishedAt: '2025-01-01T00:00:00Z' } },
    };
    expect(provenanceMeta(file, '1.0.0')).toEqual({
      upstream: { url: 'https://registry.example/v0.1', fetchedAt: '2026-01-01T00:00:00Z', publishedAt: '2025-01-01T00:00:00Z' },
    });
  });

  it('says nothing for versions the upstream did not provide or for file imports', () => {
    expect(provenanceMeta({ upstream: 'https://r.example', fetchedAt: 't', versions: {} }, '2.0.0')).toBeUndefined();
    expect(provenanceMeta({ upstream: 'file:dump.json', fetchedAt: 't' }, '1.0.0')).toBeUndefined();
  });
});
