/**
 * `npm run bench -- serve`: throughput and p99 latency of `mcp-registry serve` against Debian's
 * nginx serving the same `build --host nginx` output (one nginx worker, one node process),
 * with autocannon. Target: serve ≥ 0.7 × nginx for cached files. nginx's answers computed by
 * the router in njs against its static-file rate are bench/edge.ts's.
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildFixture, tempDir, writeGeneratedServers } from '../test/fixtures/api/build-fixture.ts';
import { hasNginx, startNginxHost } from '../test/fixtures/api/nginx-process.ts';
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

const CASES: { label: string; paths: string[] }[] = [
  { label: 'list page (`/v0.1/servers?limit=30`; njs on nginx)', paths: ['/v0.1/servers?limit=30'] },
  {
    label: 'one version, versions list, latest',
    paths: [
      '/v0.1/servers/io.github.gen1%2Ftool-00001/versions/1.0.0',
      '/v0.1/servers/io.github.gen2%2Ftool-00002/versions',
      '/v0.1/servers/io.github.gen3%2Ftool-00003/versions/latest',
    ],
  },
];

interface Run {
  rps: number;
  p99: number;
}

async function load(baseUrl: string, paths: string[]): Promise<Run> {
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${baseUrl}${paths[0]}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  if (!hasNginx()) throw new Error('bench/serve.ts needs Debian nginx with njs (apt-get install nginx libnginx-mod-http-js)');
  const root = tempDir('bench-serve');
  writeGeneratedServers(root, SERVERS, 3);
  const { dist } = await buildFixture(root, 'nginx');
  const nginx = await startNginxHost(dist);
  const serve = await startServe(dist);
  const rows: string[] = [];
  try {
    for (const c of CASES) {
      await load(serve.baseUrl, c.paths); // warm the response cache
      const s = await load(serve.baseUrl, c.paths);
      const n = await load(nginx.baseUrl, c.paths);
      const ratio = s.rps / n.rps;
      process.stdout.write(
        `${c.label}: serve ${s.rps.toFixed(0)} req/s p99 ${s.p99} ms; nginx ${n.rps.toFixed(0)} req/s p99 ${n.p99} ms; ratio ${ratio.toFixed(2)}\n`,
      );
      rows.push(`| ${c.label} | ${s.rps.toFixed(0)} | ${s.p99} ms | ${n.rps.toFixed(0)} | ${n.p99} ms | ${ratio.toFixed(2)} |`);
    }
  } finally {
    serve.child.kill('SIGTERM');
    await nginx.stop();
    rmSync(root, { recursive: true, force: true });
  }
  writeBenchmarkSection(
    'serve',
    `\`bench/serve.ts\`: autocannon (${CONNECTIONS} connections, ${DURATION} s per run, no compression) against
\`mcp-registry serve\` (one node process, response cache warmed by a first run) and Debian nginx (one worker)
serving the same \`build --host nginx\` output of ${SERVERS.toLocaleString('en')} generated servers × 3 versions.
The load generator runs on the same machine. Target: serve ≥ 0.7 × nginx.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)} while other work shared the machine.

| requests | serve req/s | serve p99 | nginx req/s | nginx p99 | serve / nginx |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
  );
}

await main();
