/**
 * `npm run bench -- edge`: the load of bench/serve.ts (autocannon, 32 connections, 10 s a run)
 * against the edge runtimes that run the router: the Cloudflare worker of `build --host
 * cloudflare` in workerd and the Netlify edge function of `build --host netlify` in Deno (both
 * exact-pinned npm devDependencies), with `mcp-registry serve` over the same data as the
 * reference; then nginx (one worker) of `build --host nginx`: its static-file rate against the
 * queries the router answers in njs (issue 14's goal: at least half), with the CPU time the
 * worker spent per request, which other load on the machine disturbs far less than req/s.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildFixture, tempDir, writeGeneratedServers } from '../test/fixtures/api/build-fixture.ts';
import { startNetlifyDeno } from '../test/fixtures/api/deno-process.ts';
import { nginxCachePaths } from '../scripts/hosts/nginx.ts';
import { hasNginx, startNginxHost } from '../test/fixtures/api/nginx-process.ts';
import { startWorkerd } from '../test/fixtures/api/workerd-process.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';
import { startServe } from './lib/serve-process.ts';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  setupRequest?: (request: { path: string }) => { path: string };
}
type Autocannon = (options: {
  url: string;
  socketPath?: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
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

/** nginx alone: a static file, then what only njs answers (the VS Code probe among them). */
const STATIC_PATH = '/v0.1/servers';
const NJS_CASES: { label: string; path: string }[] = [
  { label: "`limit=1` (VS Code's probe)", path: '/v0.1/servers?limit=1' },
  { label: '`search=tool-0001`', path: '/v0.1/servers?search=tool-0001' },
  { label: '`updated_since=2030-06-01T00:00:00Z`', path: '/v0.1/servers?updated_since=2030-06-01T00:00:00Z' },
  { label: '`limit=7` with a cursor', path: '/v0.1/servers?limit=7&cursor=aW8uZ2l0aHViLmdlbjAvdG9vbC0wMTAwMDoxLjAuMA' },
];
/** How a query reaches nginx: straight to the njs server behind the cache, repeated through the cache, or a new URL each time. */
type Mode = 'njs' | 'cached' | 'unique';

interface Run {
  rps: number;
  p99: number;
  requests: number;
}

async function load(baseUrl: string, path: string, options: { socketPath?: string; unique?: boolean } = {}): Promise<Run> {
  let n = 0;
  // The router ignores a parameter it does not know, so `&n=…` changes the URL (the cache key), not the answer.
  const request: AutocannonRequest = options.unique
    ? {
        method: 'GET',
        path,
        setupRequest: (r) => {
          n += 1;
          return { ...r, path: `${path}&n=${n}` };
        },
      }
    : { method: 'GET', path };
  const result = await autocannon({
    url: baseUrl,
    ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [request],
  });
  // A request that times out on a loaded machine, or is cut off in flight when the run ends (one per connection at
  // most), is an error, not a wrong answer; a few are reported, more fail the run.
  if (result.non2xx > 0 || result.errors > Math.max(CONNECTIONS, result.requests.total / 1000)) {
    throw new Error(`${baseUrl}${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  if (result.errors > 0) process.stdout.write(`${baseUrl}${path}: ${result.errors} requests timed out or failed\n`);
  return { rps: result.requests.average, p99: result.latency.p99, requests: result.requests.total };
}

/** User + system CPU time of a process, in microseconds (Linux /proc; clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** The worker of an nginx master started with worker_processes 1 (its other children are the cache manager and loader). */
function nginxWorker(master: number): number {
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/);
  const workers = children.filter((pid) => pid !== '' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('nginx: worker process'));
  if (workers.length !== 1) throw new Error(`nginx ${master} has ${workers.length} workers, not 1`);
  return Number(workers[0]);
}

const cell = (r: Run) => `${r.rps.toFixed(0)} (p99 ${r.p99} ms)`;

interface Measured {
  run: Run;
  /** The nginx worker's CPU time per request, µs. */
  cpu: number;
}

interface NjsRow {
  label: string;
  /** The static file, measured just before this row's queries. */
  file: Measured;
  modes: Record<Mode, Measured>;
}

async function benchNginx(root: string): Promise<NjsRow[]> {
  if (!hasNginx()) throw new Error('bench/edge.ts needs Debian nginx with njs (apt-get install nginx libnginx-mod-http-js)');
  const dist = (await buildFixture(root, 'nginx', join(root, 'dist-nginx'))).dist;
  const nginx = await startNginxHost(dist);
  // The front server and the njs server behind the cache are the same worker.
  const worker = nginxWorker(nginx.pid);
  const socketPath = nginxCachePaths(dist).socket;
  const measure = async (path: string, options: { socketPath?: string; unique?: boolean } = {}): Promise<Measured> => {
    const before = cpuMicros(worker);
    const run = await load(nginx.baseUrl, path, options);
    return { run, cpu: (cpuMicros(worker) - before) / run.requests };
  };
  const rows: NjsRow[] = [];
  try {
    for (const c of NJS_CASES) {
      // Alternating: the file, then the query three ways, so each ratio is of runs minutes apart at most.
      const file = await measure(STATIC_PATH);
      const modes: Record<Mode, Measured> = {
        njs: await measure(c.path, { socketPath }),
        cached: await measure(c.path),
        unique: await measure(c.path, { unique: true }),
      };
      process.stdout.write(
        `nginx ${c.label}: file ${cell(file.run)}; njs ${cell(modes.njs.run)}; cached ${cell(modes.cached.run)}; unique ${cell(modes.unique.run)}\n`,
      );
      rows.push({ label: c.label, file, modes });
    }
  } finally {
    await nginx.stop();
  }
  return rows;
}

const ratio = (m: Measured, file: Measured) => (m.run.rps / file.run.rps).toFixed(2);
const njsCell = (m: Measured, file: Measured) => `${m.run.rps.toFixed(0)} (${m.cpu.toFixed(0)} µs, ${ratio(m, file)})`;

async function main(): Promise<void> {
  const root = tempDir('bench-edge');
  writeGeneratedServers(root, SERVERS, 3);
  const load1 = loadavg()[0] ?? 0;
  const serveDist = (await buildFixture(root, 'node', join(root, 'dist-node'))).dist;
  const cloudflareDist = (await buildFixture(root, 'cloudflare', join(root, 'dist-cloudflare'))).dist;
  const netlifyDist = (await buildFixture(root, 'netlify', join(root, 'dist-netlify'))).dist;
  const njsRows = await benchNginx(root);
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
  const share = (mode: Mode) => njsRows.map((r) => r.modes[mode].run.rps / r.file.run.rps);
  const verdict = (mode: Mode, what: string) => {
    const s = share(mode);
    const met = s.filter((x) => x >= 0.5).length;
    return `${what}: ${(Math.min(...s) * 100).toFixed(0)}–${(Math.max(...s) * 100).toFixed(0)} % of the static-file rate, goal ${met === s.length ? 'met' : met === 0 ? 'not met' : `met for ${met} of ${s.length} kinds`}.`;
  };
  writeBenchmarkSection(
    'nginx with njs',
    `\`bench/edge.ts\`, \`build --host nginx\` of the same ${SERVERS.toLocaleString('en')} generated servers × 3 versions,
nginx 1.22 with njs 0.7.9 (Debian 12), one worker, as docs/hosting.md configures it (the router's answers cached by
nginx in front of njs): the static file \`${STATIC_PATH}\` against the queries the router answers, ${CONNECTIONS} connections,
${DURATION} s per run, no compression, the load generator on the same machine. Each query kind is measured three ways,
right after a run of the static file it is compared with:
**njs alone** (straight to the internal njs server on its unix socket: no cache, no front server),
**cached, repeated** (the same URL every request, answered from nginx's cache after the first) and
**unique URLs** (every request a new URL, \`&n=1\`, \`&n=2\`, … which the router ignores: every one a cache miss,
through the front server and the cache to njs). A cell is req/s (nginx worker CPU per request, req/s ÷ the static
file's). Goal (issue 14): at least half of nginx's static-file rate.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)} while other work shared the machine
(1-minute load average ${load1.toFixed(2)} before, ${load2.toFixed(2)} after).

| query | static file | njs alone | cached, repeated | unique URLs |
| --- | --- | --- | --- | --- |
${njsRows.map((r) => `| ${r.label} | ${r.file.run.rps.toFixed(0)} (${r.file.cpu.toFixed(0)} µs) | ${njsCell(r.modes.njs, r.file)} | ${njsCell(r.modes.cached, r.file)} | ${njsCell(r.modes.unique, r.file)} |`).join('\n')}

${verdict('cached', 'Repeated queries, through the cache')}
${verdict('njs', 'njs alone')}
${verdict('unique', 'Queries never asked before (unique URLs)')}

Where the time goes (valgrind's callgrind, instructions the nginx worker runs per request, which other load on
the machine does not change; nginx 1.22 with njs 0.7.9, 2026-12-03): the static file 26,000; a one-line njs
handler 38,000; njs 0.7 starts a fresh virtual machine and runs the bundle's top level for every request, which
cost 176,000 before the router compiled its internal-path pattern lazily (104,000 of it that one \`new RegExp\`)
and 71,000 after; \`limit=1\` in all 556,000 before and 452,000 after, \`search=tool-0001\` 1,259,000 after.
Of \`limit=1\`, the query's parsing is about 93,000 and the page (listPage, with its cursor) 142,000.
Before njs-window.ts (the router walked the whole preloaded listing), the same queries cost
730–943 µs (\`limit=1\`), 6,297–6,310 µs (\`search\`), 2,710–2,787 µs (\`updated_since\`) and 817–1,053 µs
(\`limit=7\` with a cursor) of worker CPU; after it 123–147, 300–340, 400–460 and 233–253 µs.
`,
  );
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
