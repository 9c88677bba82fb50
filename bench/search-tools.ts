/**
 * What indexing tool names costs the search index (issue 16): the 10,000-server shape of
 * bench/lib/official-shape.ts, a share of its shown versions (25 %: about the share with remotes,
 * the only ones inspected by default; or all) given 10 or MAX_SEARCH_TOOLS inspected tool names
 * under the registry's `_meta` key, built by buildSearchIndex and gzipped.
 * `npm run bench -- search-tools`; rewrites its section of docs/benchmarks.md.
 */
import { gzipSync } from 'node:zlib';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';
import { summarizeServers } from '../scripts/catalog/server-summary.ts';
import { OFFICIAL_META_KEY } from '../scripts/core/api-types.ts';
import type { ServerJson, ServerResponse } from '../scripts/core/api-types.ts';
import { buildSearchIndex, SEARCH_DEFERRED_PATH, SEARCH_INDEX_PATH } from '../scripts/search/search-index.ts';
import { MAX_SEARCH_TOOLS } from '../scripts/search/search-options.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { officialShape, prng } from './lib/official-shape.ts';

const SERVERS = 10_000;
const NS = 'io.github.bench/registry';
const VERBS = ['get', 'list', 'create', 'update', 'delete', 'search', 'run', 'send', 'read', 'write', 'query', 'sync'];
const NOUNS = ['issue', 'file', 'page', 'message', 'event', 'record', 'user', 'table', 'image', 'report', 'task', 'note', 'repo', 'branch', 'alert'];

const latest = new Map<string, ServerJson>();
for (const file of officialShape(SERVERS).files) {
  const server = JSON.parse(file.text) as ServerJson;
  latest.set(server.name, server);
}

function responses(toolsPerInspected: number, share: number): ServerResponse[] {
  const random = prng(16);
  return [...latest.values()].map((server, i) => {
    const toolsPerServer = i % 100 < share * 100 ? toolsPerInspected : 0;
    const tools = Array.from({ length: toolsPerServer }, (_, t) => ({
      name: `${VERBS[Math.floor(random() * VERBS.length)]}_${NOUNS[Math.floor(random() * NOUNS.length)]}${t % 3 === 0 ? `_${i % 97}` : ''}`,
    }));
    const official = {
      status: 'active' as const,
      statusChangedAt: '2025-06-01T00:00:00Z',
      publishedAt: '2025-06-01T00:00:00Z',
      updatedAt: '2025-06-01T00:00:00Z',
      isLatest: true,
    };
    return { server, _meta: { [OFFICIAL_META_KEY]: official, ...(toolsPerServer > 0 ? { [NS]: { inspection: { endpoints: [{ tools }] } } } : {}) } };
  });
}

const rows: string[] = [];
let base = 0;
let worst = 0;
const cases: [number, number][] = [
  [0, 0],
  [0.25, 10],
  [0.25, MAX_SEARCH_TOOLS],
  [1, 10],
  [1, MAX_SEARCH_TOOLS],
];
for (const [share, count] of cases) {
  const files = buildSearchIndex(summarizeServers(serverViewsFromResponses(responses(count, share))), { metaNamespace: NS });
  const index = files.get(SEARCH_INDEX_PATH) ?? '';
  // Tool names are indexed in text.json (fetched after index.json): what they cost is there.
  const text = files.get(SEARCH_DEFERRED_PATH) ?? '';
  const first = gzipSync(index).length;
  const gz = gzipSync(text).length;
  if (count === 0) base = gz;
  const delta = count === 0 ? '—' : `+${((gz - base) / 1024).toFixed(1)} kB (+${(((gz - base) / base) * 100).toFixed(0)} %)`;
  const who = count === 0 ? 'none' : `${share * 100} %`;
  rows.push(
    `| ${who} | ${count} | ${(first / 1024).toFixed(1)} kB | ${(Buffer.byteLength(text) / 1024).toFixed(1)} kB | ${(gz / 1024).toFixed(1)} kB | ${delta} | ${first + gz < 1024 * 1024 ? 'yes' : '**no**'} |`,
  );
  process.stdout.write(`${who} inspected, ${count} tools each: index.json ${first} gzip, text.json ${Buffer.byteLength(text)} bytes raw, ${gz} gzip\n`);
  worst = Math.max(worst, first + gz);
}

writeBenchmarkSection(
  'Tool names in the search index (10,000 servers)',
  `Machine: ${describeMachine()}. Input: the 10,000-server shape of bench/lib/official-shape.ts (shown versions only); a share of
them is given N inspected tool names (verb_noun from 12 × 15 words, a third with a per-server suffix) under the registry's
\`_meta\` key. 25 % is about the share of servers with remotes, the only ones inspected by default (stdio is opt-in). Run: \`npm run bench -- search-tools\`. Sizes only (no timing), as buildSearchIndex writes them: tool names are indexed in \`search/text.json\` (fetched after \`search/index.json\`, which they leave unchanged).

| servers with tools | tool names each | \`index.json\` gzip | \`text.json\` raw | \`text.json\` gzip | change (gzip) | both gzip < 1 MB |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

At most ${MAX_SEARCH_TOOLS} names per server are indexed (\`MAX_SEARCH_TOOLS\`); descriptions of tools are not, to stay
within the index budget. ${worst < 1024 * 1024 ? 'The 1 MB gzip target is met in every case above, also when every server has 32 tool names' : '**The 1 MB gzip target is not met when every server of a 10,000-server registry has inspected tools**'}
(the index is published in the compact form of scripts/search/search-codec.ts since format 5; MiniSearch's own JSON of
format 4 was 775.6 kB with no tools and 1,450.2 kB with 32 names on every server). Real servers' tool names repeat less
than these, so the real cost per name can be higher.`,
);
