/**
 * Search in the browser for 10,000 servers: Debian's chromium (playwright-core) against `serve`
 * over the registry bench/site.ts built in bench/.out/site-10k (rebuilt when absent). Measures the
 * bytes the home page transfers before the index loads, the index download, and the time each
 * keystroke's search and render take in the page (p50/p95/max), plus the index size for the real
 * official-registry data when ../shared is present.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { ServerResponse } from '../scripts/core/api-types.ts';
import { loadSearchEngine } from '../scripts/search/search-engine.ts';
import type { SearchEngine } from '../scripts/search/search-engine.ts';
import { preparePostings } from '../scripts/search/search-executor.ts';
import { buildSearchIndex, SEARCH_DESCRIPTIONS_PATH, SEARCH_INDEX_PATH, SEARCH_ROWS_PATH } from '../scripts/search/search-index.ts';
import { SEARCH_FORMAT_VERSION } from '../scripts/search/search-options.ts';
import { prepareFacetCounts, searchWithTotal } from '../scripts/search/search-query.ts';
import { writeSyntheticRegistry } from '../test/fixtures/site/synthetic-registry.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';
import { summarizeServers } from '../scripts/catalog/server-summary.ts';

const CHROMIUM = '/usr/bin/chromium';
const repo = fileURLToPath(new URL('..', import.meta.url));
const registry = join(repo, 'bench/.out/site-10k');
// `--dist DIR --servers N`: a site another benchmark built (bench/scale.ts's 20,000 servers, say), measured as it is.
const distFlag = process.argv.indexOf('--dist');
const given = distFlag === -1 ? undefined : process.argv[distFlag + 1];
const dist = given ?? join(registry, 'dist');
const serverCount = Number(process.argv[process.argv.indexOf('--servers') + 1] ?? 10_000) || 10_000;
const cli = join(repo, 'scripts/cli/main.ts');
// `--no-doc`: print the results only (repeated runs), docs/benchmarks.md is left as it is.
const writeDoc = !process.argv.includes('--no-doc');
// The first twelve are the queries of the earlier runs; the rest add short prefixes of common
// words (many expansions, thousands of matches), a namespace, and two-word queries.
const QUERIES = [
  'weather',
  'postgres database',
  'github issues',
  'kubernets',
  'slack',
  'io.github.user42',
  'pdf',
  'vector embedding',
  'docker',
  'translate speech',
  'github',
  'file system',
  'doc',
  'kube',
  'io.git',
  'mcp server',
  'api',
  'browser automation',
  'sql',
  'notion',
  'memory',
  'google drive',
  'search',
  'email',
];

if (!existsSync(CHROMIUM)) {
  process.stderr.write(`${CHROMIUM} is absent: install Debian's chromium to run this benchmark\n`);
  process.exit(1);
}
// Built by an older search format (or not at all): build it again, so the page and its index match the code.
const builtFormat = (() => {
  try {
    return (JSON.parse(readFileSync(join(dist, 'search/manifest.json'), 'utf8')) as { formatVersion?: unknown }).formatVersion;
  } catch {
    return undefined;
  }
})();
if (given !== undefined && builtFormat !== SEARCH_FORMAT_VERSION)
  throw new Error(`${given} holds search format ${String(builtFormat)}, this code reads ${SEARCH_FORMAT_VERSION}: build it again`);
if (builtFormat !== SEARCH_FORMAT_VERSION) {
  writeSyntheticRegistry(registry, 10_000);
  const built = spawnSync(process.execPath, [cli, 'build'], { cwd: registry, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}

const serve = spawn(process.execPath, [cli, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const baseUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  serve.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    const match = /at (http:\/\/\S+)/.exec(out);
    if (match) resolve(match[1]!.replace(/\/$/, ''));
  });
  serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});

const profile = mkdtempSync(join(tmpdir(), 'bench-search-'));
async function measure() {
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    // The page then also times each keystroke from its input event to its results laid out.
    await page.addInitScript(() => Object.assign(window, { __searchMeasure: true }));
    const transfers: { url: string; bytes: number }[] = [];
    page.on('requestfinished', async (request) => {
      const sizes = await request.sizes();
      transfers.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
    });
    await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const beforeIndex = transfers.reduce((sum, t) => sum + t.bytes, 0);

    const indexStarted = Date.now();
    await page.locator('#q').focus();
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((e) => e.name.endsWith('/search/index.json') && (e as PerformanceResourceTiming).responseEnd > 0),
    );
    await page.locator('#q').pressSequentially('we');
    await page.waitForSelector('#results li', { timeout: 60_000 });
    const firstResultMs = Date.now() - indexStarted;
    const indexTransfer = transfers.filter((t) => t.url.includes('/search/')).reduce((sum, t) => sum + t.bytes, 0);

    // Warm-up apart: keystrokes are timed once the whole index (text.json too) is in and the
    // page's own warm-up searches are done, so none is timed against the names-only index.
    type State = { __searchState?: { index: string; warm: boolean } };
    const hasState = await page.evaluate(() => (window as unknown as State).__searchState !== undefined);
    if (hasState)
      await page.waitForFunction(
        () => {
          const state = (window as unknown as State).__searchState;
          return state?.index === 'full' && state.warm;
        },
        undefined,
        { timeout: 120_000 },
      );
    else {
      await page.waitForFunction(() =>
        performance.getEntriesByType('resource').some((e) => e.name.endsWith('/search/text.json') && (e as PerformanceResourceTiming).responseEnd > 0),
      );
      await page.waitForTimeout(2000);
    }
    const readyMs = Date.now() - indexStarted;
    await page.locator('#q').fill('');
    type Timed = { __searchTimings: number[]; __queryTimings: number[]; __laterTimings: number[]; __inputTimings?: number[] };
    await page.evaluate(() => {
      (window as unknown as Timed).__searchTimings.length = 0;
      (window as unknown as Timed).__queryTimings.length = 0;
      (window as unknown as Timed).__laterTimings.length = 0;
      const input = (window as unknown as Timed).__inputTimings;
      if (input) input.length = 0;
    });
    for (const query of QUERIES) {
      await page.locator('#q').fill('');
      await page.locator('#q').pressSequentially(query, { delay: 30 });
    }
    const timings = (await page.evaluate(() => (window as unknown as Timed).__searchTimings)).sort((a, b) => a - b);
    const queryLog = await page.evaluate(() => (window as unknown as Timed).__queryTimings);
    const typed = QUERIES.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));
    if (typed.length === queryLog.length) {
      const slowest = queryLog
        .map((t, i) => [t, typed[i]] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 8);
      process.stdout.write(`slowest queries: ${slowest.map(([t, q]) => `${JSON.stringify(q)} ${t.toFixed(1)} ms`).join(', ')}\n`);
    }
    const queryOnly = [...queryLog].sort((a, b) => a - b);
    const inputLog = (await page.evaluate(() => (window as unknown as Timed).__inputTimings)) ?? [];
    const inputToLayout = [...inputLog].sort((a, b) => a - b);
    await page.waitForTimeout(100);
    const later = (await page.evaluate(() => (window as unknown as Timed).__laterTimings)).sort((a, b) => a - b);
    await context.close();
    return { beforeIndex, indexTransfer, firstResultMs, readyMs, timings, queryOnly, inputToLayout, later, load: loadavg()[0] ?? NaN };
  } finally {
    serve.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
}
const { beforeIndex, indexTransfer, firstResultMs, readyMs, timings, queryOnly, inputToLayout, later, load } = await measure();
const at = (list: number[], q: number) => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? NaN;
const quantile = (q: number) => at(timings, q);

// The same keystrokes in Node, timed by this process's CPU time as well as the wall clock: the CPU
// time is what a keystroke costs on an idle core, whatever else the machine is doing.
const cpuPerKeystroke = (() => {
  const textPath = join(dist, 'search/text.json');
  const rowsPath = join(dist, SEARCH_ROWS_PATH);
  const load = () => {
    const engine = loadSearchEngine(
      readFileSync(join(dist, SEARCH_INDEX_PATH), 'utf8'),
      existsSync(textPath) ? readFileSync(textPath, 'utf8') : undefined,
      existsSync(rowsPath) ? readFileSync(rowsPath, 'utf8') : undefined,
    );
    prepareFacetCounts(engine);
    return engine;
  };
  const typed = QUERIES.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));
  // The code is warmed by the same searches on an engine of its own; the keystrokes are timed on
  // engines that have answered none of them (so nothing a keystroke reads was computed by an
  // earlier run of the same keystroke): one prepared as the page prepares it once the index is
  // in, one not (a keystroke right after the index arrives).
  const warm = load();
  preparePostings(warm);
  for (let round = 0; round < 3; round += 1) for (const q of typed) searchWithTotal(warm, q, {}, 30, [], true);
  const time = (engine: SearchEngine) => {
    const cpu: number[] = [];
    const wall: number[] = [];
    for (const q of typed) {
      const before = process.cpuUsage();
      const started = performance.now();
      searchWithTotal(engine, q, {}, 30, [], true);
      wall.push(performance.now() - started);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    return { cpu: cpu.sort((a, b) => a - b), wall: wall.sort((a, b) => a - b) };
  };
  const prepared = load();
  preparePostings(prepared);
  const result = time(prepared);
  return { ...result, unprepared: time(load()).cpu };
})();

let real = '';
const live = join(repo, '../shared/data/official-live-2025-10-10.json');
if (existsSync(live)) {
  let text = readFileSync(live, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const files = buildSearchIndex(summarizeServers(serverViewsFromResponses(JSON.parse(text) as ServerResponse[])));
  const idx = gzipSync(files.get(SEARCH_INDEX_PATH) ?? '').length;
  const desc = gzipSync(files.get(SEARCH_DESCRIPTIONS_PATH) ?? '').length;
  real = `\nFor comparison, the real official registry of 2025-10-10 (608 servers, ../shared/data) gives an index of ${(idx / 1024).toFixed(1)} kB gzip and descriptions of ${(desc / 1024).toFixed(1)} kB gzip.\n`;
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} kB`;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const indexGz = gzipSync(readFileSync(join(dist, SEARCH_INDEX_PATH))).length;
const descGz = gzipSync(readFileSync(join(dist, SEARCH_DESCRIPTIONS_PATH))).length;
const measured = `each of ${timings.length} keystrokes (${QUERIES.length} queries typed a character at a time, 30 ms apart, into the search box of the home page in headless Chromium at 390×844) timed in the page after the whole index and the page's warm-up searches are in; "input → laid out" runs from the input event's timestamp to the results in the page and laid out (the first 10 rows; rows 11–30 follow in the next frame), "search + render" from the handler's start to the rows in the page, "query alone" is searchWithTotal`;
const keystroke = inputToLayout.length > 0 ? inputToLayout : timings;
const keystrokeName = inputToLayout.length > 0 ? 'input → results laid out' : 'search + render (this page has no input timing)';
process.stdout.write(
  `measures: ${measured}\nbefore index ${kb(beforeIndex)}, index transfer ${kb(indexTransfer)}, first result ${firstResultMs} ms, whole index + warm-up ${readyMs} ms, keystrokes ${timings.length}; ${keystrokeName}: p50 ${ms(at(keystroke, 0.5))}, p95 ${ms(at(keystroke, 0.95))}, max ${ms(keystroke.at(-1) ?? NaN)}; search + render p50 ${ms(quantile(0.5))}, p95 ${ms(quantile(0.95))}; query alone p95 ${ms(at(queryOnly, 0.95))}; Node query CPU p95 ${ms(at(cpuPerKeystroke.cpu, 0.95))} (unprepared ${ms(at(cpuPerKeystroke.unprepared, 0.95))}); load ${load.toFixed(1)}\n`,
);

if (writeDoc)
  writeBenchmarkSection(
    `Search in the browser (${serverCount.toLocaleString('en')} servers)`,
    `Machine: ${describeMachine()}; Chromium (Debian) headless, phone-sized viewport (390×844), \`serve\` on 127.0.0.1.
Input: ${given === undefined ? 'bench/.out/site-10k built by `npm run bench -- site`. Run: `npm run bench -- search`' : `a build of ${serverCount.toLocaleString('en')} servers with the official registry's shape (bench/lib/official-shape.ts, \`mcp-registry build\`). Run: \`npm run bench -- search --dist <its dist/> --servers ${serverCount}\``}.

| measure | result | target | met |
| --- | --- | --- | --- |
| home page transferred before the index loads (all requests, compressed by \`serve\`) | ${kb(beforeIndex)} | < 150 kB | ${beforeIndex < 150 * 1024 ? 'yes' : '**no**'} |
| search index \`search/index.json\` (gzip) / \`search/descriptions.json\` (gzip, loaded beside it, not waited for) | ${kb(indexGz)} / ${kb(descGz)} | index < 300 kB (issue 13, at 20,000 servers) | ${indexGz < 300 * 1024 ? 'yes' : '**no**'} |
| index + descriptions as transferred | ${kb(indexTransfer)} | — | |
| focus → index loaded → first results shown | ${firstResultMs} ms | — | |
| focus → whole index (text.json) loaded and warm-up searches done | ${readyMs} ms | — | |
| per keystroke, ${keystrokeName} (${timings.length} keystrokes over ${QUERIES.length} queries) | p50 ${ms(at(keystroke, 0.5))}, p95 ${ms(at(keystroke, 0.95))}, max ${ms(keystroke.at(-1) ?? NaN)} | p95 < 10 ms | ${at(keystroke, 0.95) < 10 ? 'yes' : '**no**'} |
| per keystroke, search + render | p50 ${ms(quantile(0.5))}, p95 ${ms(quantile(0.95))}, max ${ms(timings.at(-1) ?? NaN)} | — | |
| of which the query alone | p50 ${ms(at(queryOnly, 0.5))}, p95 ${ms(at(queryOnly, 0.95))} | — | |
| the query alone in Node (same keystrokes, code warmed on another engine, postings prepared as the page does): CPU time / wall clock | p50 ${ms(at(cpuPerKeystroke.cpu, 0.5))}, p95 ${ms(at(cpuPerKeystroke.cpu, 0.95))} / p50 ${ms(at(cpuPerKeystroke.wall, 0.5))}, p95 ${ms(at(cpuPerKeystroke.wall, 0.95))} | — | |
| the same in Node on an engine whose postings are not prepared yet (keystrokes right after the index arrives): CPU time | p50 ${ms(at(cpuPerKeystroke.unprepared, 0.5))}, p95 ${ms(at(cpuPerKeystroke.unprepared, 0.95))} | — | |
| rows 11–30, rendered in the frame after the keystroke (${later.length} frames) | p50 ${ms(at(later, 0.5))}, p95 ${ms(at(later, 0.95))} | — | |

What is measured: ${measured}.

The machine's 1-minute load average when the keystrokes ended was ${load.toFixed(1)} (2 cores, shared with other work); timings are wall-clock in the page, so a load above 2 stretches them by waiting for a core.
${real}`,
  );
