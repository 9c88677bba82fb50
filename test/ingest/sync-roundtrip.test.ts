import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import type { SyncOutcome } from '../../scripts/ingest/run-sync.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { sortedPathDates } from '../fixtures/api/build-fixture.ts';

const repoServers = fileURLToPath(new URL('../../servers', import.meta.url));
let source: string;
let mirror: string;
let server: Server;
let url: string;
let outcome: SyncOutcome;

beforeAll(async () => {
  source = mkdtempSync(join(tmpdir(), 'roundtrip-src-'));
  mirror = mkdtempSync(join(tmpdir(), 'roundtrip-dst-'));
  cpSync(repoServers, join(source, 'servers'), { recursive: true });
  mkdirSync(join(source, 'registry/status/io.github.modelcontextprotocol'), { recursive: true });
  writeFileSync(
    join(source, 'registry/status/io.github.modelcontextprotocol/server-filesystem.yaml'),
    'versions:\n  2026.7.10:\n    status: deprecated\n    statusMessage: Use 2026.8.31.\n    statusChangedAt: 2026-09-01T00:00:00Z\n',
  );
  const built = await buildRegistry({ root: source, config: DEFAULT_CONFIG, out: join(source, 'dist'), dates: sortedPathDates });
  expect(built.report.ok).toBe(true);
  const dist = join(source, 'dist');
  server = createRegistryServer({ dist, data: await loadApiData(dist), port: 0, host: '127.0.0.1' });
  url = (await listen(server, 0, '127.0.0.1')).url;
  const fetcher = createPageFetcher({ from: url });
  // A small page size makes the walk follow several cursors of our own serve.
  outcome = await runSync({ root: mirror, from: url, config: DEFAULT_CONFIG, validate: validateDocument, fetchPage: fetcher.fetchPage, limit: 3 });
  await fetcher.close();
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(source, { recursive: true, force: true });
  rmSync(mirror, { recursive: true, force: true });
});

describe('sync from our own serve of a built registry', () => {
  it('walks every page and accepts every entry', () => {
    expect(outcome.report.ok).toBe(true);
    expect(outcome.stats.pages).toBeGreaterThan(2);
    expect(outcome.stats.quarantined).toBe(0);
  });

  it('reproduces servers/ byte for byte', async () => {
    const files = (await fg('servers/**/*.json', { cwd: source })).sort();
    expect((await fg('servers/**/*.json', { cwd: mirror })).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(mirror, file), 'utf8')).toBe(readFileSync(join(source, file), 'utf8'));
  });

  it('carries the deprecation over as registry-owned status', () => {
    const status = readFileSync(join(mirror, 'registry/status/io.github.modelcontextprotocol/server-filesystem.yaml'), 'utf8');
    expect(status).toContain('status: deprecated');
    expect(status).toContain('statusMessage: Use 2026.8.31.');
  });

  it('asks our serve only for changes on the next run, and gets none', async () => {
    const fetcher = createPageFetcher({ from: url });
    const again = await runSync({ root: mirror, from: url, config: DEFAULT_CONFIG, validate: validateDocument, fetchPage: fetcher.fetchPage, limit: 3 });
    await fetcher.close();
    expect(again.stats).toMatchObject({ incremental: true, requests: 1, fetched: 0 });
    expect(again.written).toEqual([]);
  });

  it('keeps the source registry publishedAt in provenance', async () => {
    const data = await loadApiData(join(source, 'dist'));
    const entry = data.all.find((e) => e.name === 'io.github.modelcontextprotocol/server-memory' && e.version === '2026.8.31');
    const provenance = readFileSync(join(mirror, 'registry/upstream/io.github.modelcontextprotocol/server-memory.yaml'), 'utf8');
    expect(entry).toBeDefined();
    expect(provenance).toContain(`publishedAt: ${entry!.publishedAt}`);
  });

  it("shows the upstream and the fetch time under the mirror's own _meta key once the mirror is built", async () => {
    const built = await buildRegistry({ root: mirror, config: DEFAULT_CONFIG, out: join(mirror, 'dist'), dates: sortedPathDates });
    expect(built.report.ok).toBe(true);
    const data = await loadApiData(join(mirror, 'dist'));
    const entry = data.all.find((e) => e.name === 'io.github.modelcontextprotocol/server-memory' && e.version === '2026.8.31')!;
    const response = JSON.parse(entry.json) as { _meta: Record<string, { upstream?: { url: string; fetchedAt: string } }> };
    const ours = response._meta[DEFAULT_CONFIG.metaNamespace]!;
    expect(ours.upstream?.url).toBe(`${url}/v0.1`);
    expect(ours.upstream?.fetchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
