/**
 * The search index at real size (issue 13): `npm run bench -- search-scale [--servers 20000,100000]`.
 * Servers come from the text model of bench/lib/text-model.ts, learned from the official
 * registry of 2025-10-10 in ../shared/data (the benchmark says so and stops when it is absent).
 * First the model is checked against the data it learned from: the real 608 servers (and every
 * other one of them, 304) beside as many generated ones. Then, per size, buildSearchIndex's
 * files gzipped at level 9 and at gzip's default (6), the bytes per server, and the time Node
 * takes to load `index.json` alone and with `text.json` (what the page does when each arrives).
 * Rewrites its section of docs/benchmarks.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';
import { summarizeServers } from '../scripts/catalog/server-summary.ts';
import type { ServerResponse } from '../scripts/core/api-types.ts';
import { loadSearchEngine } from '../scripts/search/search-engine.ts';
import type { SearchEngine } from '../scripts/search/search-engine.ts';
import { buildSearchIndex, SEARCH_DEFERRED_PATH, SEARCH_DESCRIPTIONS_PATH, SEARCH_INDEX_PATH, SEARCH_ROWS_PATH } from '../scripts/search/search-index.ts';
import type { OutputFiles } from '../scripts/search/search-index.ts';
import { SEARCH_FORMAT_VERSION } from '../scripts/search/search-options.ts';
import { prepareFacetCounts, searchWithTotal } from '../scripts/search/search-query.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { generateServers, learnTextModel } from './lib/text-model.ts';

const LIVE = fileURLToPath(new URL('../../shared/data/official-live-2025-10-10.json', import.meta.url));
const BUDGET = 300 * 1024;
const FILES = [SEARCH_INDEX_PATH, SEARCH_DEFERRED_PATH, SEARCH_ROWS_PATH, SEARCH_DESCRIPTIONS_PATH] as const;
/** The size the 300 kB budget is set for (issue 13); beyond it the first file must grow linearly at most. */
const BUDGET_SERVERS = 20_000;

if (!existsSync(LIVE)) {
  process.stderr.write(`skipped: ${LIVE} is absent, and this benchmark learns real text statistics from it (../shared/data)\n`);
  process.exit(0);
}
const servers = (() => {
  const at = process.argv.indexOf('--servers');
  const value = at === -1 ? '20000,100000' : (process.argv[at + 1] ?? '');
  const sizes = value.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--servers: not a list of sizes: ${value}`);
  return sizes;
})();

let text = readFileSync(LIVE, 'utf8');
if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
const real = JSON.parse(text) as ServerResponse[];
const model = learnTextModel(real);
const load = [loadavg()[0] ?? Number.NaN];

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const gz = (s: string, level: number) => gzipSync(s, { level }).length;
const filesOf = (responses: readonly ServerResponse[]) => buildSearchIndex(summarizeServers(serverViewsFromResponses(responses)));
const sizes = (files: OutputFiles) => FILES.map((p) => gz(files.get(p) ?? '', 9));

// The model against the data it learned from.
const calibration: string[] = [];
for (const [label, sample] of [
  ['all 608', model.templates],
  ['every other one, 304', model.templates.filter((_, i) => i % 2 === 0)],
] as const) {
  const measured = sizes(filesOf(sample));
  const generated = sizes(filesOf(generateServers(model, sample.length, {})));
  const cells = FILES.map((_, i) => `${kb(measured[i] as number)} / ${kb(generated[i] as number)}`);
  calibration.push(`| ${label} | ${cells.join(' | ')} |`);
  process.stdout.write(`calibration ${label}: real ${measured.join(' ')} generated ${generated.join(' ')}\n`);
}

/** Every server given a title made of its name's own words (`brave-search-mcp` → Brave Search), as a bound on what titles cost. */
function withTitles(responses: ServerResponse[]): ServerResponse[] {
  return responses.map((r) => {
    const own = r.server.name.slice(r.server.name.indexOf('/') + 1);
    const words = own.split(/[-_.]+/).filter((w) => w !== '' && w !== 'mcp' && w !== 'server');
    return { ...r, server: { ...r.server, title: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || own } };
  });
}

/** Every prefix of these queries typed one character at a time, as bench/search.ts types them in the page. */
const QUERIES = [
  'weather',
  'postgres database',
  'github issues',
  'kubernets',
  'slack',
  'pdf',
  'vector embedding',
  'docker',
  'translate speech',
  'github',
  'file system',
];

/** CPU time of the query alone per keystroke (facet counts included, as the page asks), after the same searches warmed the code. */
function keystrokes(engine: SearchEngine): { p50: number; p95: number } {
  prepareFacetCounts(engine);
  const typed = QUERIES.flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));
  for (let round = 0; round < 3; round += 1) for (const q of typed) searchWithTotal(engine, q, {}, 30, [], true);
  const times = typed
    .map((q) => {
      const before = process.cpuUsage();
      searchWithTotal(engine, q, {}, 30, [], true);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    })
    .sort((a, b) => a - b);
  const at = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

const rows: string[] = [];
const perServer: number[] = [];
const cases: [number, boolean][] = [...servers.map((n): [number, boolean] => [n, false]), [servers[0] as number, true]];
for (const [n, titled] of cases) {
  const started = performance.now();
  const generated = generateServers(model, n, {});
  const files = filesOf(titled ? withTitles(generated) : generated);
  const buildMs = performance.now() - started;
  const cells = FILES.map((p) => {
    const content = files.get(p) ?? '';
    return `${kb(gz(content, 9))} (${kb(gz(content, 6))}; raw ${kb(Buffer.byteLength(content))})`;
  });
  const first = gz(files.get(SEARCH_INDEX_PATH) ?? '', 9);
  if (!titled) perServer.push(first / n);
  const cpu = (f: () => void) => {
    const before = process.cpuUsage();
    f();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const index = files.get(SEARCH_INDEX_PATH) ?? '';
  const deferred = files.get(SEARCH_DEFERRED_PATH);
  const firstLoad = cpu(() => loadSearchEngine(index));
  let engine: SearchEngine | undefined;
  const wholeLoad = cpu(() => {
    engine = loadSearchEngine(index, deferred, files.get(SEARCH_ROWS_PATH));
  });
  const keys = keystrokes(engine as SearchEngine);
  load.push(loadavg()[0] ?? Number.NaN);
  rows.push(
    `| ${n.toLocaleString('en')}${titled ? ', every one titled' : ''} | ${cells.join(' | ')} | ${(first / n).toFixed(2)} B | ${n > BUDGET_SERVERS ? '—' : first < BUDGET ? 'yes' : '**no**'} | ${(firstLoad / 1000).toFixed(2)} s / ${(wholeLoad / 1000).toFixed(2)} s | p50 ${keys.p50.toFixed(2)} ms, p95 ${keys.p95.toFixed(2)} ms | ${(buildMs / 1000).toFixed(1)} s |`,
  );
  process.stdout.write(
    `${n} servers: index ${first} B gzip -9 (${(first / n).toFixed(2)} B/server), load ${firstLoad.toFixed(0)} / ${wholeLoad.toFixed(0)} ms CPU\n`,
  );
}
const linear =
  perServer.length < 2
    ? ''
    : `From ${servers[0]?.toLocaleString('en')} to ${servers.at(-1)?.toLocaleString('en')} servers the first file costs ${(perServer[0] as number).toFixed(2)} → ${(perServer.at(-1) as number).toFixed(2)} bytes per server: ${(perServer.at(-1) as number) <= (perServer[0] as number) * 1.02 ? 'it grows linearly at most' : '**it grows faster than linearly**'}.`;

writeBenchmarkSection(
  'Search index at real size (text model)',
  `\`npm run bench -- search-scale [--servers 20000,100000]\` (bench/search-scale.ts). Servers from the text model of
bench/lib/text-model.ts, learned from the official registry of 2025-10-10 (../shared/data; the benchmark stops when it is
absent): each copies a real server's shape (text lengths, punctuation, packages, remotes, version, status, day) and
rewrites its words, keeping a word with a probability that grows with the number of real servers using it and drawing
the others from a Pitman-Yor process of pseudo-words (so frequent words stay frequent and the vocabulary grows as real
vocabularies do); one rewrite per server, so a word of its name is the same word in its description and packages.
Sizes of buildSearchIndex's files (format ${SEARCH_FORMAT_VERSION}), gzip -9 (gzip's default level and raw in brackets).

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')} (start, after each size; sizes do not depend on it, the times do).

The model against the data it learned from (real / generated, gzip -9):

| servers | \`index.json\` | \`text.json\` | \`rows.json\` | \`descriptions.json\` |
| --- | --- | --- | --- | --- |
${calibration.join('\n')}

At scale:

| servers | \`index.json\` (what the page waits for) | \`text.json\` (fetched after it) | \`rows.json\` (beside it, not waited for) | \`descriptions.json\` (beside it, not waited for) | \`index.json\` per server | < 300 kB (at ${BUDGET_SERVERS.toLocaleString('en')}) | load \`index.json\` / all, Node CPU | query per keystroke, Node CPU | generate + build |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${linear} The page adds its own HTML, CSS and JavaScript (about 18 kB, "Search in the browser"). Real data of 2025-10-10
has no titles; the "every one titled" row gives each server a title of its name's own words, a bound on what titles
cost: since format 7 their postings are in \`text.json\` and the titles themselves in \`rows.json\`, so \`index.json\` does
not grow with them. Load and query times are one process's CPU time in Node on this machine (a phone is slower; the
page's own per-keystroke time, render included, is measured in Chromium by "Search in the browser", at 10,000 servers);
the page loads \`index.json\` when it arrives and all of it again when \`text.json\` has. Keystrokes: every prefix of
${QUERIES.length} queries (${QUERIES.join(', ')}), typed into the whole index.`,
);
