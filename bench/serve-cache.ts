/**
 * `npm run bench -- serve-cache`: `mcp-registry serve` under requests that each carry a URL never
 * seen before (an ignored query parameter, a `search` value, a missing path), as a browser asks
 * (brotli accepted), against the same URL repeated. Each unique URL used to cost a full brotli
 * compression and a cache entry the budget did not count; the serve process's RSS after the runs
 * shows what the response cache kept. `BEFORE_BIN=<other checkout>/bin/mcp-registry.js` also
 * runs that checkout's serve through the same cases, for before/after figures.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { buildFixture, tempDir, writeGeneratedServers } from '../test/fixtures/api/build-fixture.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { CLI_BIN, startServe } from './lib/serve-process.ts';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  idReplacement: boolean;
  headers: Record<string, string>;
  requests: { method: string; path: string }[];
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

const SERVERS = 2_000;
const DURATION = 10;
const CONNECTIONS = 32;

/** `[<id>]` is replaced by a fresh id in every request. */
const CASES: { label: string; path: string }[] = [
  { label: 'one URL repeated (`/v0.1/servers?limit=30`)', path: '/v0.1/servers?limit=30' },
  { label: 'unknown parameter, unique per request (`?limit=30&x=<id>`)', path: '/v0.1/servers?limit=30&x=[<id>]' },
  { label: 'unique `search` value (`?limit=30&search=<id>`)', path: '/v0.1/servers?limit=30&search=[<id>]' },
  { label: 'unique missing site path (`/no-such-page/<id>`)', path: `/no-such-page/${'p'.repeat(2000)}[<id>]` },
];

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Row {
  rps: number;
  p99: number;
  total: number;
  rss: number;
}

/** Every case in order against one fresh serve process; RSS read after each. */
async function runCases(dist: string, bin: string): Promise<{ rows: Row[]; startRss: number }> {
  const serve = await startServe(dist, bin);
  const pid = serve.child.pid as number;
  try {
    const startRss = rssMiB(pid);
    const rows: Row[] = [];
    for (const c of CASES) {
      const r = await autocannon({
        url: serve.baseUrl,
        connections: CONNECTIONS,
        duration: DURATION,
        idReplacement: true,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
        requests: [{ method: 'GET', path: c.path }],
      });
      const row = { rps: r.requests.average, p99: r.latency.p99, total: r.requests.total, rss: rssMiB(pid) };
      process.stdout.write(`${bin}: ${c.label}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99} ms, ${row.total} requests, RSS ${row.rss.toFixed(0)} MiB\n`);
      rows.push(row);
    }
    return { rows, startRss };
  } finally {
    serve.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const root = tempDir('bench-serve-cache');
  writeGeneratedServers(root, SERVERS, 3);
  const { dist } = await buildFixture(root, 'node');
  const load = loadavg()[0]?.toFixed(1);
  const current = CLI_BIN;
  const before = process.env.BEFORE_BIN;
  let now: Awaited<ReturnType<typeof runCases>>;
  let then: Awaited<ReturnType<typeof runCases>> | undefined;
  try {
    then = before ? await runCases(dist, before) : undefined;
    now = await runCases(dist, current);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const cell = (r: Row | undefined) => (r ? `${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, RSS ${r.rss.toFixed(0)} MiB` : '—');
  const rows = CASES.map((c, i) => `| ${c.label} | ${cell(then?.rows[i])} | ${cell(now.rows[i])} | ${(now.rows[i] as Row).total.toLocaleString('en')} |`);
  writeBenchmarkSection(
    'serve under unique URLs',
    `\`bench/serve-cache.ts\`: autocannon (${CONNECTIONS} connections, ${DURATION} s per run, \`Accept-Encoding: gzip, deflate, br\`)
against \`mcp-registry serve\` (one node process, default 256 MiB response cache) over the \`build\` output of
${SERVERS.toLocaleString('en')} generated servers × 3 versions; every request but the first row's carries a URL no
earlier request had. The runs follow each other in one serve process; RSS is read after each run
(it started at ${then ? `${then.startRss.toFixed(0)} MiB before, ` : ''}${now.startRss.toFixed(0)} MiB now). "Before" is ${before ? 'the serve of the commit before the fix (`BEFORE_BIN`)' : 'not measured in this run'}.

Machine: ${describeMachine()}; 1-minute load average ${load} at the start (the machine is shared, with the load
generator on it); measured ${new Date().toISOString().slice(0, 10)}.

| requests | before | now | requests in ${DURATION} s (now) |
| --- | --- | --- | --- |
${rows.join('\n')}
`,
  );
}

await main();
