import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import type { SyncOptions } from '../../scripts/ingest/run-sync.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Intercept, Upstream } from '../fixtures/sync/upstream-server.ts';

// Upstreams that cannot filter by time: one that answers updated_since with 400 (what our own
// static hosts answer, "not answered by this host"), and one that ignores it and lists everything.

let root: string;
let upstream: Upstream | undefined;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sync-since-'));
});
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  for (const close of closers.splice(0)) await close();
  rmSync(root, { recursive: true, force: true });
});

function sync(extra: Partial<SyncOptions> = {}) {
  const { fetchPage, close } = createPageFetcher({ from: upstream!.url, backoffMs: 5, retries: 0 });
  closers.push(close);
  return runSync({
    root,
    from: upstream!.url,
    config: DEFAULT_CONFIG,
    validate: validateDocument,
    fetchPage,
    limit: 2,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...extra,
  });
}

const STATIC_400: Intercept = {
  status: 400,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({ title: 'Bad Request', status: 400, detail: 'updated_since is not answered by this host' }),
};
const codes = (outcome: Awaited<ReturnType<typeof runSync>>) => outcome.report.files.flatMap((f) => f.diagnostics.map((d) => d.code));
/** The list requests (a sync also asks for renames.json). */
const listRequests = (host: Upstream) => host.requests.filter((r) => r.startsWith('/v0.1/servers'));
const entryFile = (i: number, version = '1.0.0') => join(root, `servers/io.github.upstream-org/server-${String(i).padStart(5, '0')}/${version}.json`);
const statusFile = (i: number) => join(root, `registry/status/io.github.upstream-org/server-${String(i).padStart(5, '0')}.yaml`);

describe('an upstream that answers 400 to updated_since', () => {
  async function startStatic(count: number): Promise<Upstream> {
    upstream = await startUpstream({
      entries: Array.from({ length: count }, (_, i) => makeEntry(i)),
      intercept: (_n, url) => (url.searchParams.has('updated_since') ? STATIC_400 : undefined),
    });
    return upstream;
  }

  it('is walked in full with sync/updated-since-unsupported, finding new and removed versions', async () => {
    const host = await startStatic(3);
    const first = await sync();
    expect(first.report.ok).toBe(true);
    expect(codes(first)).not.toContain('sync/updated-since-unsupported');
    expect(first.watermark).toBe('2025-06-01T00:00:00Z');

    host.entries.splice(1, 1);
    host.entries.push(makeEntry(0, { version: '1.1.0', updatedAt: '2025-07-01T00:00:00Z' }));
    host.requests.length = 0;
    const second = await sync();

    expect(second.report.ok).toBe(true);
    expect(second.report.files.flatMap((f) => f.diagnostics)).toEqual([
      expect.objectContaining({ code: 'sync/updated-since-unsupported', severity: 'warning', message: expect.stringContaining('walked the upstream in full') }),
    ]);
    // One refused request with the filter, then the whole list without it, page by page.
    const lists = listRequests(host);
    expect(lists[0]).toMatch(/^\/v0\.1\/servers\?.*updated_since=2025-06-01T00%3A00%3A00Z/);
    expect(lists.slice(1).every((r) => r.startsWith('/v0.1/servers?') && !r.includes('updated_since'))).toBe(true);
    expect(lists).toHaveLength(3);
    expect(second.stats).toMatchObject({ incremental: false, fetched: 3, added: 1, removed: 1 });
    expect(existsSync(entryFile(0, '1.1.0'))).toBe(true);
    // A full walk tells removals, which an incremental one cannot.
    expect(readFileSync(statusFile(1), 'utf8')).toContain('status: deleted');
    expect(second.watermark).toBe('2025-07-01T00:00:00Z');
  });

  it('is not retried without the filter when a full walk itself gets 400: that is sync/http-status', async () => {
    upstream = await startUpstream({ entries: [makeEntry(0)], intercept: () => STATIC_400 });
    const outcome = await sync();
    expect(codes(outcome)).toEqual(['sync/http-status']);
    expect(listRequests(upstream)).toHaveLength(1);
    expect(existsSync(join(root, 'servers'))).toBe(false);
  });

  it('a 400 to a later page of an incremental walk is a failure, not a fallback', async () => {
    const entries = [makeEntry(0), makeEntry(5, { updatedAt: '2025-07-01T00:00:00Z' }), makeEntry(6, { updatedAt: '2025-07-01T00:00:00Z' })];
    // The host filters the first page by time, then refuses the cursor of the second.
    upstream = await startUpstream({ entries, intercept: (_n, url) => (url.searchParams.has('cursor') ? STATIC_400 : undefined) });
    const outcome = await sync({ since: '2025-06-01T00:00:00Z' });
    expect(codes(outcome)).toEqual(['sync/http-status']);
    expect(listRequests(upstream)).toHaveLength(2);
    expect(listRequests(upstream).every((r) => r.includes('updated_since='))).toBe(true);
    expect(existsSync(join(root, 'servers'))).toBe(false);
  });
});

describe('an upstream that ignores updated_since', () => {
  it('answers its whole list to an incremental walk: nothing is rewritten and no warning is given', async () => {
    const entries = Array.from({ length: 3 }, (_, i) => makeEntry(i));
    upstream = await startUpstream({
      entries,
      // Answer as if the filter were not there.
      intercept: (_n, url) => {
        if (!url.searchParams.has('updated_since')) return undefined;
        const all = [...entries].sort((a, b) => (a.server.name < b.server.name ? -1 : 1));
        return { body: JSON.stringify({ servers: all, metadata: { count: all.length } }) };
      },
    });
    expect((await sync()).report.ok).toBe(true);
    upstream.requests.length = 0;

    const second = await sync();

    expect(listRequests(upstream)).toEqual([expect.stringContaining('updated_since=')]);
    expect(second.report.ok).toBe(true);
    expect(codes(second)).toEqual([]);
    expect(second.stats).toMatchObject({ incremental: true, fetched: 3, added: 0, unchanged: 3, removed: 0 });
    expect(second.written).toEqual([]);
  });
});
