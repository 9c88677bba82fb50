/**
 * Validating 10,000 version files (target: under 3 s on the 2-core machine), and how fast
 * `mcp-registry --help` starts (target: under 150 ms). Results go to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../scripts/config/registry-config.ts';
import { CURRENT_SCHEMA_URL } from '../scripts/core/api-types.ts';
import { validateTree } from '../scripts/validate/validate-tree.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const FILES = 10_000;
const RUNS = 3;
const HELP_RUNS = 20;

function serverJson(i: number): object {
  const name = `io.github.bench-user-${i % 2000}/server-${i}`;
  return {
    $schema: CURRENT_SCHEMA_URL,
    name,
    title: `Bench server ${i}`,
    description: `A generated MCP server number ${i} for measuring validation`,
    version: `1.${i % 7}.${i % 13}`,
    repository: { url: `https://github.com/bench-user-${i % 2000}/server-${i}`, source: 'github' },
    packages: [
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: `@bench-user-${i % 2000}/server-${i}`,
        version: `1.${i % 7}.${i % 13}`,
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        environmentVariables: [{ name: 'API_KEY', description: 'Key for the service', isRequired: true, isSecret: true }],
        packageArguments: [{ type: 'named', name: '--region', choices: ['eu', 'us'], default: 'eu' }],
      },
    ],
    ...(i % 3 === 0 ? { remotes: [{ type: 'streamable-http', url: `https://mcp-${i}.example.com/mcp` }] } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const root = mkdtempSync(join(tmpdir(), 'bench-validate-'));
try {
  for (let i = 0; i < FILES; i++) {
    const doc = serverJson(i) as { name: string; version: string };
    const dir = join(root, 'servers', doc.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${doc.version}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  }
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const { report } = await validateTree(root, DEFAULT_CONFIG);
    times.push(performance.now() - start);
    if (!report.ok || report.files.length !== FILES) throw new Error(`benchmark data did not validate cleanly (${report.files.length} files)`);
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;

  const bin = fileURLToPath(new URL('../bin/mcp-registry.js', import.meta.url));
  const helpTimes: number[] = [];
  for (let i = 0; i < HELP_RUNS; i++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, '--help']);
    helpTimes.push(performance.now() - start);
    if (result.status !== 0) throw new Error('mcp-registry --help failed');
  }
  const helpSorted = [...helpTimes].sort((a, b) => a - b);

  const best = Math.min(...times);
  const body = `
Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.

| what | result | target |
| --- | --- | --- |
| validate ${FILES.toLocaleString('en')} files (\`validateTree\`, median of ${RUNS}) | ${(median(times) / 1000).toFixed(2)} s (best ${(best / 1000).toFixed(2)} s) | < 3 s |
| throughput | ${Math.round(FILES / (median(times) / 1000)).toLocaleString('en')} files/s | |
| peak memory (RSS of the benchmark process) | ${peakMiB.toFixed(0)} MiB | |
| \`mcp-registry --help\` start-up, median of ${HELP_RUNS} | ${median(helpTimes).toFixed(0)} ms (p95 ${helpSorted[Math.ceil(HELP_RUNS * 0.95) - 1]!.toFixed(0)} ms) | < 150 ms |

Each file is a realistic server.json (one npm package with arguments and a secret environment variable,
a remote on every third), read from disk, parsed, checked against the schema and every rule, plus the
registry-wide rules. Run it with \`npm run bench -- validate\`.
`;
  process.stdout.write(body);
  writeBenchmarkSection('Validation', body);
} finally {
  rmSync(root, { recursive: true, force: true });
}
