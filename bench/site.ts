/**
 * Site build for 10,000 servers: the full `mcp-registry build` (validation, catalog, API, site)
 * and the site emitter alone on the same catalog, the gzipped search index and the home page's
 * weight. Leaves the built registry in bench/.out/site-10k for bench/search.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import type { ServerListResponse } from '../scripts/core/api-types.ts';
import { emitSite } from '../scripts/site/emit-site.ts';
import { writeSyntheticRegistry } from '../test/fixtures/site/synthetic-registry.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';

export const SERVERS = 10_000;
const repo = fileURLToPath(new URL('..', import.meta.url));
export const REGISTRY = join(repo, 'bench/.out/site-10k');
const cli = join(repo, 'scripts/cli/main.ts');

function gz(path: string): number {
  return gzipSync(readFileSync(path), { level: 6 }).length;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) n += 1;
  return n;
}

/** Bytes (gzip) of the home page and the CSS and JS it references, before the index is fetched. */
export function homeWeight(dist: string): { html: number; assets: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:href|src)="\/(_astro\/[^"]+)"/g)].map((m) => m[1] as string);
  return { html: gz(join(dist, 'index.html')), assets: refs.reduce((sum, ref) => sum + gz(join(dist, ref)), 0) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

const versions = writeSyntheticRegistry(REGISTRY, SERVERS);
process.stdout.write(`wrote ${SERVERS} servers (${versions} versions) into ${REGISTRY}\n`);

const started = performance.now();
const timed = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'build'], { cwd: REGISTRY, encoding: 'utf8' });
const buildSeconds = (performance.now() - started) / 1000;
const buildLoad = loadavg()[0] ?? Number.NaN;
if (timed.status !== 0) {
  process.stderr.write(`build failed: ${timed.stdout}${timed.stderr}\n`);
  process.exit(1);
}
const buildPeakMiB = Number(/(\d+)\s*$/.exec(timed.stderr.trim())?.[1] ?? 0) / 1024;
const dist = join(REGISTRY, 'dist');
process.stdout.write(`${timed.stdout.trim()}\nfull build ${buildSeconds.toFixed(1)} s, peak RSS ${buildPeakMiB.toFixed(0)} MiB\n`);

const snapshot = JSON.parse(gunzipSync(readFileSync(join(dist, 'v0.1/snapshot.json.gz'))).toString('utf8')) as ServerListResponse;
const out = mkdtempSync(join(tmpdir(), 'bench-site-'));
const siteStarted = performance.now();
const result = await emitSite({ servers: serverViewsFromResponses(snapshot.servers), config: { ...DEFAULT_CONFIG, name: 'Benchmark registry' }, outDir: out });
const siteSeconds = (performance.now() - siteStarted) / 1000;
const siteLoad = loadavg()[0] ?? Number.NaN;
const siteFiles = countFiles(out);
rmSync(out, { recursive: true, force: true });
process.stdout.write(`site emitter alone ${siteSeconds.toFixed(1)} s, ${result.servers} server pages, ${siteFiles} files\n`);

const indexRaw = statSync(join(dist, 'search/index.json')).size;
const indexGz = gz(join(dist, 'search/index.json'));
// The postings of descriptions, packages and tool names, loaded right after the index (when the build splits them off).
const textPath = join(dist, 'search/text.json');
const textGz = existsSync(textPath) ? gz(textPath) : 0;
const home = homeWeight(dist);
const pages = existsSync(join(dist, 'servers'))
  ? readdirSync(join(dist, 'servers'), { recursive: true }).filter((p) => String(p).endsWith('index.html')).length
  : 0;

const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
writeBenchmarkSection(
  'Site and search index (10,000 servers)',
  `Machine: ${describeMachine()}. Input: ${SERVERS.toLocaleString('en')} synthetic servers, ${versions.toLocaleString('en')} versions
(test/fixtures/site/synthetic-registry.ts). Run: \`npm run bench -- site\`.

| measure | result | target | met |
| --- | --- | --- | --- |
| \`mcp-registry build\` (validate, catalog, API, site), wall time | ${buildSeconds.toFixed(1)} s (peak RSS ${buildPeakMiB.toFixed(0)} MiB) | < 180 s | ${verdict(buildSeconds < 180)} |
| site emitter alone (Astro build of ${pages.toLocaleString('en')} server pages + listings, ${siteFiles.toLocaleString('en')} files) | ${siteSeconds.toFixed(1)} s | — | |
| search index \`search/index.json\` | ${kb(indexRaw)} raw, ${kb(indexGz)} gzip | < 1 MB gzip | ${verdict(indexGz < 1024 * 1024)} |
| with \`search/text.json\` (the rest of the postings) | ${kb(indexGz + textGz)} gzip | < 1 MB gzip | ${verdict(indexGz + textGz < 1024 * 1024)} |
| home page before the index loads (HTML + CSS + JS, gzip) | ${kb(home.html + home.assets)} (HTML ${kb(home.html)}) | < 150 kB | ${verdict(home.html + home.assets < 150 * 1024)} |

The machine's 1-minute load average was ${buildLoad.toFixed(1)} when the build ended and ${siteLoad.toFixed(1)} when the emitter ended (2 cores, shared with other work: wall times above stretch with it).
`,
);
