/**
 * Inspection of 50 remotes that each add 50 ms to every answer (target: under 10 s with the
 * per-host limit). Each remote is a real SDK server on its own loopback address (127.0.0.2 …
 * 127.0.0.51), so the per-host limit of one inspection at a time holds per server while eight
 * hosts are inspected at once. The same 50 endpoints on one host show the cost of politeness.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_INSPECT_CONFIG } from '../scripts/inspect/inspect-config.ts';
import { runInspect } from '../scripts/inspect/inspect-run.ts';
import { manyTools, startMcpServer } from '../test/inspect/mcp-servers.ts';
import type { McpTestServer } from '../test/inspect/mcp-servers.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const COUNT = 50;
const LATENCY_MS = 50;

async function registryOf(urls: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bench-inspect-'));
  for (const [i, url] of urls.entries()) {
    const dir = join(root, 'servers', 'io.github.bench', `server-${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, '1.0.0.json'),
      JSON.stringify({ name: `io.github.bench/server-${i}`, description: 'bench', version: '1.0.0', remotes: [{ type: 'streamable-http', url }] }),
    );
  }
  return root;
}

async function timeRun(urls: string[]): Promise<{ ms: number; answered: number; requests: number }> {
  const root = await registryOf(urls);
  try {
    const started = performance.now();
    const run = await runInspect({
      root,
      config: DEFAULT_INSPECT_CONFIG,
      userAgent: 'bench-inspect/0.1 (+https://registry.example.com)',
      clientName: 'bench',
      allowPrivateNetwork: true,
      scheduled: false,
      now: () => new Date(),
    });
    const ms = performance.now() - started;
    return { ms, answered: run.versions.filter((v) => v.endpoints[0]?.reachable).length, requests: run.requests };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const offer = () => ({ tools: manyTools(20) });
const servers: McpTestServer[] = [];
for (let i = 0; i < COUNT; i++) servers.push(await startMcpServer({ transport: 'streamable-http', offer, latencyMs: LATENCY_MS, host: `127.0.0.${i + 2}` }));
const oneHost = await startMcpServer({ transport: 'streamable-http', offer, latencyMs: LATENCY_MS });

const load = loadavg()[0]!.toFixed(2);
const spread = await timeRun(servers.map((s) => s.url));
const maxPerHost = Math.max(...servers.map((s) => s.maxConcurrent));
const serial = await timeRun(Array.from({ length: COUNT }, (_, i) => `${oneHost.url}?tenant=${i}`));
for (const s of [...servers, oneHost]) await s.close();

const lines = [
  `${COUNT} remotes, ${LATENCY_MS} ms added to every answer, 20 tools each, concurrency ${DEFAULT_INSPECT_CONFIG.concurrency} hosts at once, one inspection per host at a time.`,
  '',
  '| case | time | answered | HTTP requests | most requests in flight at one host |',
  '| --- | --- | --- | --- | --- |',
  `| 50 hosts, one remote each | ${(spread.ms / 1000).toFixed(2)} s | ${spread.answered}/${COUNT} | ${spread.requests} | ${maxPerHost} |`,
  `| 1 host, 50 remotes (serial by the per-host limit) | ${(serial.ms / 1000).toFixed(2)} s | ${serial.answered}/${COUNT} | ${serial.requests} | ${oneHost.maxConcurrent} |`,
  '',
  `Target: under 10 s for 50 remotes with the per-host limit. Machine: ${describeMachine()}; load average before the run ${load} (other work shares the machine).`,
];
process.stdout.write(`${lines.join('\n')}\n`);
writeBenchmarkSection('Inspection (bench/inspect.ts)', lines.join('\n'));
if (spread.ms >= 10_000) process.exitCode = 1;
