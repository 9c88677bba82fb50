/**
 * `npm run bench -- serve-cache`: `mcp-registry serve` under requests that each carry a URL never
 * seen before (an ignored query parameter, a `search` value, a missing path), as a browser asks
 * (brotli accepted), against the same URL repeated. Each unique URL used to cost a full brotli
 * compression and a cache entry the budget did not count; the serve process's RSS after the runs
 * shows what the response cache kept. `SERVE_BIN` runs another checkout's CLI (for "before" figures).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildFixture, tempDir, writeGeneratedServers } from '../test/fixtures/api/build-fixture.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

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

async function startServe(dist: string): Promise<{ baseUrl: string; child: ChildProcess }> {
  const bin = process.env.SERVE_BIN ?? fileURLToPath(new URL('../bin/mcp-registry.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', dist, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { baseUrl, child };
}

async function main(): Promise<void> {
  const root = tempDir('bench-serve-cache');
  writeGeneratedServers(root, SERVERS, 3);
  const { dist } = await buildFixture(root, 'node');
  const serve = await startServe(dist);
  const pid = serve.child.pid as number;
  const rows: string[] = [];
  const load = loadavg()[0]?.toFixed(1);
  try {
    const startRss = rssMiB(pid);
    for (const c of CASES) {
      const r = await autocannon({
        url: serve.baseUrl,
        connections: CONNECTIONS,
        duration: DURATION,
        idReplacement: true,
        headers: { 'accept-encoding': 'gzip, deflate, br' },
        requests: [{ method: 'GET', path: c.path }],
      });
      const rss = rssMiB(pid);
      process.stdout.write(`${c.label}: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, ${r.requests.total} requests, serve RSS ${rss.toFixed(0)} MiB\n`);
      rows.push(`| ${c.label} | ${r.requests.average.toFixed(0)} | ${r.latency.p99} ms | ${r.requests.total.toLocaleString('en')} | ${rss.toFixed(0)} MiB |`);
    }
    rows.push(`| (serve RSS before the runs) | | | | ${startRss.toFixed(0)} MiB |`);
  } finally {
    serve.child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
  writeBenchmarkSection(
    'serve under unique URLs',
    `\`bench/serve-cache.ts\`: autocannon (${CONNECTIONS} connections, ${DURATION} s per run, \`Accept-Encoding: gzip, deflate, br\`)
against \`mcp-registry serve\` (one node process, default 256 MiB response cache) over the \`build\` output of
${SERVERS.toLocaleString('en')} generated servers × 3 versions; every request but the first row's carries a URL no
earlier request had. The runs follow each other in one serve process; RSS is read after each run.

Machine: ${describeMachine()}; 1-minute load average ${load} at the start (the machine is shared);
measured ${new Date().toISOString().slice(0, 10)}.

| requests | req/s | p99 | requests in ${DURATION} s | serve RSS after |
| --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
  );
}

await main();
