import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverViewsFromResponses } from '../../scripts/catalog/server-view.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';
import { emitSite } from '../../scripts/site/emit-site.ts';
import { BATCH_PAGES_VARIABLE, renderBatches, writeSiteData } from '../../scripts/site/site-batches.ts';
import { assembleSiteData } from '../../scripts/site/site-data.ts';
import { listedServer, sitePages } from '../../scripts/site/site-pages.ts';

// A large site renders in batches, one Astro run per batch (scripts/site/site-batches.ts); its
// output must be, byte for byte, what one run over the whole site writes, cold and incremental.
const base = JSON.parse(readFileSync(new URL('../fixtures/site/responses.json', import.meta.url), 'utf8')) as ServerResponse[];
const config = { ...DEFAULT_CONFIG, name: 'Batch test', baseUrl: 'https://registry.example/sub' };
const OPENAPI = 'openapi: 3.1.0\npaths: {}\n';
let work = '';
let step = 0;

async function build(batchPages: number | undefined, responses: ServerResponse[], cacheDir?: string, outDir?: string) {
  if (batchPages === undefined) delete process.env[BATCH_PAGES_VARIABLE];
  else process.env[BATCH_PAGES_VARIABLE] = String(batchPages);
  step += 1;
  const target = outDir ?? join(work, `out-${step}`);
  const result = await emitSite({
    servers: serverViewsFromResponses(responses),
    config,
    outDir: target,
    openapiYaml: OPENAPI,
    host: 'node',
    ...(cacheDir ? { cacheDir } : {}),
  });
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(target.length + 1), readFileSync(join(entry.parentPath, entry.name)));
  }
  return { files, runs: result.astroRuns };
}

function expectSame(actual: Map<string, Buffer>, expected: Map<string, Buffer>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected) expect(actual.get(path)?.equals(bytes), path).toBe(true);
}

function official(response: ServerResponse): Record<string, unknown> {
  return response._meta?.[OFFICIAL_META_KEY] as unknown as Record<string, unknown>;
}

/** The fixture with one version's description changed: that server's pages and the listings showing it render. */
function changed(responses: ServerResponse[]): ServerResponse[] {
  const target = responses.find((r) => official(r).isLatest === true) as ServerResponse;
  return responses.map((r) => (r === target ? { ...structuredClone(r), server: { ...r.server, description: 'Changed in a batch' } } : r));
}

describe('batched site build', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'site-batches-'));
  });
  afterEach(() => {
    delete process.env[BATCH_PAGES_VARIABLE];
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('cuts the pages into batches that keep a server together and the fixed pages first', () => {
    const pages = sitePages(assembleSiteData(serverViewsFromResponses(base), config, OPENAPI, 'node'), 'stamp');
    const batches = renderBatches(pages, 3);
    expect(
      batches
        .flat()
        .map((p) => p.file)
        .sort(),
    ).toEqual(pages.map((p) => p.file).sort());
    expect(batches[0]?.some((p) => p.fixed)).toBe(true);
    expect(batches.slice(1).some((batch) => batch.some((p) => p.fixed))).toBe(false);
    const batchOf = new Map<string, number>();
    for (const [index, batch] of batches.entries()) {
      // Larger than the bound only when it is one server's pages (or the fixed pages) alone.
      if (batch.length > 3) expect(new Set(batch.map((p) => (p.fixed ? 'fixed' : p.server))).size).toBe(1);
      for (const page of batch) {
        if (page.server === undefined) continue;
        expect(batchOf.get(page.server) ?? index, page.server).toBe(index);
        batchOf.set(page.server, index);
      }
    }
    expect(renderBatches(pages, 100_000)).toHaveLength(1);
  });

  it('writes the data file a server at a time, as JSON.stringify would write it', async () => {
    const data = assembleSiteData(serverViewsFromResponses(base), config, OPENAPI, 'node');
    const file = join(work, 'site.json');
    await writeSiteData(file, data);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(data));
    const batch = renderBatches(sitePages(data, 'stamp'), 3)[1] ?? [];
    const full = new Set(batch.map((p) => p.server));
    await writeSiteData(file, data, batch);
    const partial = { ...data, model: { ...data.model, servers: data.model.servers.map((s) => (full.has(s.name) ? s : listedServer(s))) } };
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ ...partial, render: batch.map((p) => p.route) }));
  });

  it('writes what one run writes, cold and incremental, with and without the page cache', { timeout: 900_000 }, async () => {
    const whole = await build(undefined, base);
    expect(whole.runs).toBe(1);
    const cold = await build(8, base);
    expect(cold.runs).toBeGreaterThan(2);
    expectSame(cold.files, whole.files);

    const cache = join(work, '.cache', 'site');
    const dist = join(work, 'dist');
    const cached = await build(8, base, cache, dist);
    expect(cached.runs).toBeGreaterThan(2);
    expectSame(cached.files, whole.files);

    // A change: only its pages render, in batches of 3, and the result is what one cold run writes.
    const next = changed(base);
    const wholeNext = await build(undefined, next);
    const incremental = await build(3, next, cache, dist);
    expect(incremental.runs).toBeGreaterThan(1);
    expectSame(incremental.files, wholeNext.files);
  });
});
