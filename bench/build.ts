/**
 * `npm run bench -- build`: `mcp-registry build` (API emitters, host node) over generated
 * registries of 1k, 10k and 50k servers × 3 versions. Each size is built in its own process,
 * so peak memory (max RSS) is that build's own. Also a rebuild after one file changed.
 * Targets: 10k × 3 under 10 s and under 1 GB; time growing linearly with size.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import { apiEmitter } from '../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../scripts/emit/build-registry.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const VERSIONS = 3;
const SIZES = [1_000, 10_000, 50_000];

function generate(root: string, servers: number): void {
  for (let i = 0; i < servers; i += 1) {
    const name = `io.github.bench${i % 97}/tool-${String(i).padStart(6, '0')}`;
    const dir = join(root, 'servers', name);
    mkdirSync(dir, { recursive: true });
    for (let v = 0; v < VERSIONS; v += 1) {
      const version = `1.${v}.0`;
      const doc = {
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name,
        description: `Benchmark tool ${i}: reads and writes things for tests`,
        version,
        repository: { url: `https://github.com/bench${i % 97}/tool-${i}`, source: 'github' },
        packages: [
          {
            registryType: 'npm',
            registryBaseUrl: 'https://registry.npmjs.org',
            identifier: `@bench/tool-${i}`,
            version,
            transport: { type: 'stdio' },
            environmentVariables: [{ name: 'API_KEY', description: 'Key for the service', isRequired: true, isSecret: true }],
          },
        ],
      };
      writeFileSync(join(dir, `${version}.json`), `${JSON.stringify(doc, null, 2)}\n`);
    }
  }
}

interface Measured {
  servers: number;
  seconds: number;
  /** user + system CPU of the build: less sensitive than wall time to other load on the machine. */
  cpuSeconds: number;
  rebuildSeconds: number;
  maxRssMiB: number;
  files: number;
  /** 1-minute load average after the build. */
  load: number;
}

/** Child mode: build one generated registry twice (full, then after one change) and print JSON. */
async function child(servers: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mcp-bench-build-'));
  try {
    generate(root, servers);
    const config = structuredClone(DEFAULT_CONFIG);
    let t = performance.now();
    const cpu = process.cpuUsage();
    const first = await buildRegistry({ root, config, emitters: [apiEmitter] });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (!first.written) throw new Error(`build failed: ${JSON.stringify(first.report.files.find((f) => !f.ok))}`);
    const changed = join(root, 'servers/io.github.bench0/tool-000000/1.0.0.json');
    writeFileSync(
      changed,
      `${JSON.stringify({ $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json', name: 'io.github.bench0/tool-000000', description: 'changed', version: '1.0.0' })}\n`,
    );
    t = performance.now();
    await buildRegistry({ root, config, emitters: [apiEmitter] });
    const rebuildSeconds = (performance.now() - t) / 1000;
    const files = first.written.stats.written + first.written.stats.linked + first.written.stats.kept;
    const load = loadavg()[0] ?? 0;
    const result: Measured = { servers, seconds, cpuSeconds, rebuildSeconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, files, load };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Measured[] = [];
  for (const servers of SIZES) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(servers)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench child for ${servers} failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measured;
    rows.push(m);
    process.stdout.write(
      `${servers} servers × ${VERSIONS}: ${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds.toFixed(2)} s), rebuild ${m.rebuildSeconds.toFixed(2)} s, max RSS ${m.maxRssMiB.toFixed(0)} MiB\n`,
    );
  }
  const base = rows[0] as Measured;
  const table = rows
    .map((m) => {
      const perK = (m.cpuSeconds / (m.servers / 1000)).toFixed(3);
      return `| ${m.servers.toLocaleString('en')} × ${VERSIONS} | ${m.files.toLocaleString('en')} | ${m.seconds.toFixed(2)} s | ${m.cpuSeconds.toFixed(2)} s | ${perK} s | ${(m.cpuSeconds / base.cpuSeconds).toFixed(1)}× for ${(m.servers / base.servers).toFixed(0)}× | ${m.rebuildSeconds.toFixed(2)} s | ${m.maxRssMiB.toFixed(0)} MiB | ${m.load.toFixed(1)} |`;
    })
    .join('\n');
  writeBenchmarkSection(
    'build',
    `\`bench/build.ts\`: \`buildRegistry\` with the API emitter (host node: validation, git/file dates, catalog, every
API file, gzip snapshot, atomic swap) over generated registries, each size in its own process. "Rebuild" is the
same build after one file changed (unchanged outputs are hard-linked). Targets: 10,000 × 3 under 10 s and 1 GB.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)} while other work shared the machine.

Wall time depends on what else runs; CPU time (user + system of the build) is the steadier measure of
scaling. Load average is noted per run.

| servers × versions | files | build (wall) | build (CPU) | CPU per 1k servers | CPU scaling | rebuild (wall) | max RSS | load avg |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}
`,
  );
}

const childIndex = process.argv.indexOf('--child');
if (childIndex !== -1) await child(Number(process.argv[childIndex + 1]));
else await main();
