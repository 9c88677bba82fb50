/**
 * `npm run bench -- edge`: the load of bench/serve.ts (autocannon, 32 connections, 10 s a run)
 * against the edge runtimes that run the router: the Cloudflare worker of `build --host
 * cloudflare` in workerd and the Netlify edge function of `build --host netlify` in Deno (both
 * exact-pinned npm devDependencies), with `mcp-registry serve` over the same data as the
 * reference. Static files and computed queries alike; nginx and njs are bench/serve.ts's.
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildFixture, tempDir, writeGeneratedServers } from '../test/fixtures/api/build-fixture.ts';
import { startNetlifyDeno } from '../test/fixtures/api/deno-process.ts';
import { startWorkerd } from '../test/fixtures/api/workerd-process.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { startServe } from './lib/serve-process.ts';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; requests: { method: string; path: string }[] }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SERVERS = 2_000;
const DURATION = 10;
const CONNECTIONS = 32;

const CASES: { label: string; path: string }[] = [
  { label: 'file: `/v0.1/servers` (no query)', path: '/v0.1/servers' },
  { label: 'file: one version', path: '/v0.1/servers/io.github.gen1%2Ftool-00001/versions/1.0.0' },
  { label: 'query: `search=tool-0001`', path: '/v0.1/servers?search=tool-0001' },
  { label: 'query: `updated_since=2030-06-01T00:00:00Z`', path: '/v0.1/servers?updated_since=2030-06-01T00:00:00Z' },
  { label: 'query: `limit=7` with a cursor', path: '/v0.1/servers?limit=7&cursor=aW8uZ2l0aHViLmdlbjAvdG9vbC0wMTAwMDoxLjAuMA' },
];

interface Run {
  rps: number;
  p99: number;
}

async function load(baseUrl: string, path: string): Promise<Run> {
  const result = await autocannon({ url: baseUrl, connections: CONNECTIONS, duration: DURATION, requests: [{ method: 'GET', path }] });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${baseUrl}${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const cell = (r: Run) => `${r.rps.toFixed(0)} (p99 ${r.p99} ms)`;

async function main(): Promise<void> {
  const root = tempDir('bench-edge');
  writeGeneratedServers(root, SERVERS, 3);
  const load1 = loadavg()[0] ?? 0;
  const serveDist = (await buildFixture(root, 'node', join(root, 'dist-node'))).dist;
  const cloudflareDist = (await buildFixture(root, 'cloudflare', join(root, 'dist-cloudflare'))).dist;
  const netlifyDist = (await buildFixture(root, 'netlify', join(root, 'dist-netlify'))).dist;
  const rows: string[] = [];
  const serve = await startServe(serveDist);
  const workerd = await startWorkerd(cloudflareDist);
  const deno = await startNetlifyDeno(netlifyDist);
  try {
    for (const c of CASES) {
      await load(serve.baseUrl, c.path); // warm serve's response cache, as bench/serve.ts does
      const s = await load(serve.baseUrl, c.path);
      const w = await load(workerd.baseUrl, c.path);
      const d = await load(deno.baseUrl, c.path);
      process.stdout.write(`${c.label}: serve ${cell(s)}; workerd ${cell(w)}; deno ${cell(d)}\n`);
      rows.push(`| ${c.label} | ${cell(s)} | ${cell(w)} | ${(w.rps / s.rps).toFixed(2)} | ${cell(d)} | ${(d.rps / s.rps).toFixed(2)} |`);
    }
  } finally {
    serve.child.kill('SIGTERM');
    await workerd.stop();
    await deno.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const load2 = loadavg()[0] ?? 0;
  writeBenchmarkSection(
    'edge runtimes',
    `\`bench/edge.ts\`: the load of \`bench/serve.ts\` (autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, one path
per run, no compression) against the Cloudflare worker of \`build --host cloudflare\` in workerd and the Netlify
edge function of \`build --host netlify\` in Deno, each one process on 127.0.0.1 with the build's files as its
assets, and \`mcp-registry serve\` (response cache warmed by a first run) over the same
${SERVERS.toLocaleString('en')} generated servers × 3 versions. The load generator runs on the same machine. Real
edges run many isolates near the client; these figures compare the runtimes, not the services. No target.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)} while other work shared the machine
(1-minute load average ${load1.toFixed(2)} before, ${load2.toFixed(2)} after).

| requests | serve req/s | workerd req/s | workerd / serve | Deno req/s | Deno / serve |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
  );
}

await main();
