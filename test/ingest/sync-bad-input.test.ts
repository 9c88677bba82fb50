import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import type { SyncOptions } from '../../scripts/ingest/run-sync.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream, UpstreamOptions } from '../fixtures/sync/upstream-server.ts';

let root: string;
let upstream: Upstream;
let close: () => Promise<void>;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sync-bad-'));
});
afterEach(async () => {
  await close?.();
  await upstream?.close();
  rmSync(root, { recursive: true, force: true });
});

async function syncFrom(options: Partial<UpstreamOptions>, extra: Partial<SyncOptions> = {}, maxPageBytes?: number) {
  upstream = await startUpstream({ entries: [makeEntry(0)], ...options });
  const fetcher = createPageFetcher({ from: upstream.url, backoffMs: 5, retries: 0, ...(maxPageBytes ? { maxPageBytes } : {}) });
  close = fetcher.close;
  return runSync({
    root,
    from: upstream.url,
    config: DEFAULT_CONFIG,
    validate: validateDocument,
    fetchPage: fetcher.fetchPage,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...extra,
  });
}

const firstCode = (outcome: Awaited<ReturnType<typeof runSync>>) => outcome.report.files[0]?.diagnostics[0]?.code;
/** Everything the sync left in the registry root. */
const topLevel = () => readdirSync(root).sort();

function page(servers: unknown[], nextCursor?: string): string {
  return JSON.stringify({ servers, metadata: { count: servers.length, ...(nextCursor ? { nextCursor } : {}) } });
}

describe('sync refuses a bad upstream', () => {
  it('stops when the upstream hands back a cursor it already gave', async () => {
    const outcome = await syncFrom({ intercept: (n) => ({ body: page([makeEntry(n)], 'same-cursor') }) });
    expect(firstCode(outcome)).toBe('sync/cursor-loop');
    expect(topLevel()).toEqual([]);
  });

  it('stops after --max-pages when the cursor never ends', async () => {
    const outcome = await syncFrom({ intercept: (n) => ({ body: page([makeEntry(n)], `cursor-${n}`) }) }, { maxPages: 20 });
    expect(firstCode(outcome)).toBe('sync/too-many-pages');
    expect(upstream.requests).toHaveLength(20);
    expect(topLevel()).toEqual([]);
  });

  it('stops when a page only repeats entries already seen', async () => {
    const outcome = await syncFrom({ intercept: (n) => ({ body: page([makeEntry(0)], `cursor-${n}`) }) });
    expect(firstCode(outcome)).toBe('sync/no-progress');
    expect(outcome.report.files[0]!.diagnostics[0]!.message).toMatch(/only repeats entries/);
  });

  it('ignores an entry repeated on a later page, with a warning', async () => {
    const outcome = await syncFrom({ intercept: (n) => ({ body: n === 1 ? page([makeEntry(0)], 'c1') : page([makeEntry(0), makeEntry(1)]) }) });
    expect(outcome.stats.added).toBe(2);
    expect(outcome.report.files.flatMap((f) => f.diagnostics.map((d) => d.code))).toContain('sync/duplicate-entry');
  });

  it('refuses a 50 MB page without reading it all, and writes nothing', async () => {
    const outcome = await syncFrom({ intercept: () => ({ streamBytes: 50 * 1024 * 1024 }) });
    expect(firstCode(outcome)).toBe('sync/page-too-large');
    expect(outcome.stats.bytes).toBe(0);
    expect(topLevel()).toEqual([]);
  });

  it('refuses a page that is not JSON, naming the URL', async () => {
    const outcome = await syncFrom({ intercept: () => ({ body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } }) });
    expect(firstCode(outcome)).toBe('sync/page-not-json');
    expect(outcome.report.files[0]!.diagnostics[0]!.message).toContain(`${upstream.url}/v0.1/servers?limit=100`);
    expect(topLevel()).toEqual([]);
  });

  it('refuses JSON that is not an API page', async () => {
    const outcome = await syncFrom({ intercept: () => ({ body: '{"items": []}' }) });
    expect(firstCode(outcome)).toBe('sync/page-shape');
  });

  it('quarantines path-traversal names, encodes path-traversal versions, and writes nothing outside servers/ and registry/', async () => {
    const traversal = (name: string, version: string): ServerResponse => {
      const e = makeEntry(1);
      return { ...e, server: { ...e.server, name, version } };
    };
    const outcome = await syncFrom({
      entries: [
        traversal('io.github.upstream-org/ok', '../../../../escaped'),
        traversal('../../outside/x', '1.0.0'),
        traversal('io.github.upstream-org/dots', '..'),
        makeEntry(2),
      ],
    });
    expect(outcome.stats).toMatchObject({ added: 3, quarantined: 1 });
    expect(topLevel()).toEqual(['registry', 'servers']);
    expect(readdirSync(join(root, 'servers/io.github.upstream-org')).sort()).toEqual(['dots', 'ok', 'server-00002']);
    // The versions are mirrored under reversible encoded names, one file each, inside their folder.
    expect(readdirSync(join(root, 'servers/io.github.upstream-org/ok'))).toEqual(['_%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fescaped.json']);
    expect(readdirSync(join(root, 'servers/io.github.upstream-org/dots'))).toEqual(['_%2E%2E.json']);
    const report = JSON.parse(readFileSync(join(root, outcome.quarantinePath!), 'utf8'));
    expect(report.entries.map((e: { diagnostics: { code: string }[] }) => e.diagnostics[0]!.code)).toEqual(['entry/unsafe-name']);
  });

  it('quarantines an entry whose _meta tries to set the official registry metadata', async () => {
    const forged = makeEntry(3);
    forged.server._meta = { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } };
    const outcome = await syncFrom({ entries: [forged] });
    expect(outcome.stats.quarantined).toBe(1);
    expect(outcome.plan.quarantined[0]!.diagnostics[0]!.code).toBe('entry/reserved-meta');
    expect(existsSync(join(root, 'servers'))).toBe(false);
  });

  it('quarantines a name that differs only by case from an entry already in servers/, so the registry still builds', async () => {
    await syncFrom({ entries: [makeEntry(6)] });
    const shouted = makeEntry(6, { version: '2.0.0', updatedAt: '2025-09-01T00:00:00Z' });
    shouted.server.name = shouted.server.name.replace('upstream-org', 'Upstream-Org');
    upstream.entries.push(shouted);
    const fetcher = createPageFetcher({ from: upstream.url });
    const outcome = await runSync({ root, from: upstream.url, config: DEFAULT_CONFIG, validate: validateDocument, fetchPage: fetcher.fetchPage });
    await fetcher.close();
    expect(outcome.plan.quarantined.map((q) => q.diagnostics[0]!.code)).toEqual(['registry/name-case-conflict']);
    expect(readdirSync(join(root, 'servers'))).toEqual(['io.github.upstream-org']);
  });

  it('mirrors entries that fail validation, recording the findings in provenance as warnings', async () => {
    const bad = makeEntry(4);
    bad.server.description = '';
    const outcome = await syncFrom({ entries: [bad, makeEntry(5)] });
    expect(outcome.stats).toMatchObject({ added: 2, quarantined: 0 });
    expect(outcome.report.ok).toBe(true);
    const provenance = readdirSync(join(root, 'registry/upstream/io.github.upstream-org'));
    const text = provenance.map((f) => readFileSync(join(root, 'registry/upstream/io.github.upstream-org', f), 'utf8')).join('\n');
    expect(text).toMatch(/warnings:\n\s+- schema\/length at \/description/);
  });
});
