/**
 * `npm run bench -- translog`: the transparency log at 20,000, 66,000 and 300,000 versions.
 *   - log: ordering, hashing every server.json, the tiles and a signed checkpoint (logLeaves +
 *     logFiles; the server.json bytes are generated in memory, so no disk reads are in it);
 *   - git order: the first-parent first-added walk over a real repository with one commit per
 *     version (made with git fast-import), in full, then incrementally after one more commit
 *     through the cache (which includes the status history walk), and that walk alone;
 *   - audit: `mcp-registry audit` over HTTP against a static server in another process, every
 *     tile, entry bundle and served server.json fetched and checked.
 * Each size runs in its own process, so its max RSS is its own. `--sizes 20000,66000` picks sizes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import audit from '../scripts/cli/commands/audit.ts';
import { fileStore } from '../scripts/emit/build-cache.ts';
import { logFiles, logLeaves } from '../scripts/emit/log-emitter.ts';
import { cachedLogOrderSource, readStatusHistory } from '../scripts/git/log-order.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

/** Versions per commit: one, as in a registry where every publish is a merged pull request. */
const PER_COMMIT = 1;
const AUDIT_MAX = 66_000;

function doc(i: number, v: number): { path: string; name: string; version: string; bytes: Uint8Array } {
  const name = `io.github.bench${i % 97}/tool-${String(i).padStart(6, '0')}`;
  const version = `1.${v}.0`;
  const text = `${JSON.stringify(
    {
      $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
      name,
      description: `Benchmark tool ${i}: reads and writes things for tests`,
      version,
      repository: { url: `https://github.com/bench${i % 97}/tool-${i}`, source: 'github' },
      packages: [{ registryType: 'npm', identifier: `@bench/tool-${i}`, version, transport: { type: 'stdio' } }],
    },
    null,
    2,
  )}\n`;
  return { path: `servers/${name}/${version}.json`, name, version, bytes: new TextEncoder().encode(text) };
}

/** `versions` documents, 3 per server. */
function docs(versions: number) {
  return Array.from({ length: versions }, (_, k) => doc(Math.floor(k / 3), k % 3));
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** A git repository whose commits add PER_COMMIT files each, written with one git fast-import. */
function makeRepository(root: string, all: ReturnType<typeof docs>): void {
  spawnSync('git', ['init', '-q', '-b', 'main', root]);
  const parts: Buffer[] = [];
  for (let start = 0, n = 0; start < all.length; start += PER_COMMIT, n++) {
    const when = 1_700_000_000 + n * 60;
    const message = `publish ${start}`;
    parts.push(Buffer.from(`commit refs/heads/main\ncommitter b <b@b> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`));
    for (const d of all.slice(start, start + PER_COMMIT)) {
      parts.push(Buffer.from(`M 100644 inline ${d.path}\ndata ${d.bytes.length}\n`), Buffer.from(d.bytes), Buffer.from('\n'));
    }
    parts.push(Buffer.from('\n'));
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: root, input: Buffer.concat(parts), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git fast-import: ${r.stderr}`);
  spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: root });
}

function commitOne(root: string, d: ReturnType<typeof doc>): void {
  mkdirSync(join(root, dirname(d.path)), { recursive: true });
  writeFileSync(join(root, d.path), d.bytes);
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
  spawnSync('git', ['add', d.path], { cwd: root, env });
  spawnSync('git', ['commit', '-q', '-m', 'one more'], { cwd: root, env });
}

/** A static file server over `dir` in its own process; resolves its URL. */
function staticServer(dir: string): Promise<{ url: string; stop: () => void }> {
  const script = `
    const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
    const root = ${JSON.stringify(dir)};
    const server = http.createServer((req, res) => {
      const p = path.join(root, path.normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      fs.readFile(p, (e, b) => { if (e) { res.writeHead(404).end(); } else { res.writeHead(200).end(b); } });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
    const parent = process.ppid;
    setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 1000).unref();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => {
    child.stdout.once('data', (b: Buffer) => resolve({ url: `http://127.0.0.1:${b.toString().trim()}`, stop: () => child.kill() }));
  });
}

interface Measured {
  versions: number;
  logSeconds: number;
  logCpu: number;
  logFiles: number;
  gitFullSeconds?: number;
  gitIncrementalSeconds?: number;
  statusSeconds?: number;
  auditSeconds?: number;
  auditCpu?: number;
  maxRssMiB: number;
  load: number;
}

async function child(versions: number): Promise<void> {
  const all = docs(versions);
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const positions = new Map(all.map((d, k) => [d.path, Math.floor(k / PER_COMMIT)]));
  const bytes = new Map(all.map((d) => [d.path, d.bytes]));
  let t = performance.now();
  let cpu = process.cpuUsage();
  const leaves = logLeaves({
    entries: all.map((d) => ({ path: d.path, server: { name: d.name, version: d.version } as never })),
    dates: new Map(),
    positions,
    fallbackDate: '2026-01-01T00:00:00.000Z',
    read: (path) => bytes.get(path) as Uint8Array,
  });
  const { files } = logFiles(leaves, 'https://registry.example.org', pem);
  const m: Measured = { versions, logSeconds: seconds(t), logCpu: cpuSince(cpu), logFiles: files.size, maxRssMiB: 0, load: 0 };

  const work = mkdtempSync(join(tmpdir(), 'mcp-bench-translog-'));
  try {
    if (versions <= AUDIT_MAX) {
      const repo = join(work, 'repo');
      makeRepository(repo, all);
      const store = fileStore(join(work, 'log-order.json'));
      t = performance.now();
      const full = await cachedLogOrderSource(store)(repo);
      m.gitFullSeconds = seconds(t);
      if (full?.walk !== 'full' || full.positions.size !== versions) throw new Error(`git order: ${full?.walk} ${full?.positions.size}`);
      commitOne(repo, doc(versions, 0));
      t = performance.now();
      const incremental = await cachedLogOrderSource(store)(repo);
      m.gitIncrementalSeconds = seconds(t);
      if (incremental?.walk !== 'incremental') throw new Error(`git order after one commit: ${incremental?.walk}`);
      t = performance.now();
      await readStatusHistory(repo);
      m.statusSeconds = seconds(t);

      const dist = join(work, 'dist');
      for (const [path, content] of files) {
        mkdirSync(dirname(join(dist, 'log', path)), { recursive: true });
        writeFileSync(join(dist, 'log', path), content);
      }
      const server = await staticServer(dist);
      try {
        t = performance.now();
        cpu = process.cpuUsage();
        let out = '';
        const vkey = String(files.get('key')).trim();
        const code = await audit.run(['--from', server.url, '--key', vkey, '--format', 'json'], {
          stdout: (s) => (out += s),
          stderr: (s) => (out += s),
          cwd: work,
          env: {},
        });
        m.auditSeconds = seconds(t);
        m.auditCpu = cpuSince(cpu);
        if (code !== 0) throw new Error(`audit failed: ${out}`);
      } finally {
        server.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  m.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  m.load = loadavg()[0] ?? 0;
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function fmt(x: number | undefined): string {
  return x === undefined ? '—' : `${x.toFixed(2)} s`;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--sizes');
  const sizes = at === -1 ? [20_000, 66_000, 300_000] : (process.argv[at + 1] ?? '').split(',').map(Number);
  const rows: Measured[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  for (const versions of sizes) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(versions)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench child for ${versions} failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measured;
    rows.push(m);
    process.stdout.write(`${JSON.stringify(m)}\n`);
  }
  const table = rows
    .map(
      (m) =>
        `| ${m.versions.toLocaleString('en')} | ${fmt(m.logSeconds)} | ${fmt(m.logCpu)} | ${m.logFiles.toLocaleString('en')} | ${fmt(m.gitFullSeconds)} | ${fmt(m.gitIncrementalSeconds)} | ${fmt(m.statusSeconds)} | ${fmt(m.auditSeconds)} | ${fmt(m.auditCpu)} | ${m.maxRssMiB.toFixed(0)} MiB | ${m.load.toFixed(1)} |`,
    )
    .join('\n');
  writeBenchmarkSection(
    'Transparency log (bench/translog.ts)',
    `\`bench/translog.ts\`: the log for generated registries of 3 versions per server. "log" is ordering, hashing
every server.json, the tiles and the signed checkpoint (\`logLeaves\` + \`logFiles\`, bytes in memory, no disk
reads). "git order" reads the first-parent first-added order from a real repository with one commit per
version (as when every publish is a merged pull request; made with git fast-import): in full (no cache), then after one more commit through \`.cache/log-order.json\` (the added
files and the status history since the cached head);
"status walk" is the registry/status history walk (empty here: its fixed cost). "audit" is \`mcp-registry audit\`
over HTTP against a static Node server in another process: every tile and entry bundle and every served
server.json fetched and checked (audit CPU is the auditing process alone). Each size runs in its own process.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)} while other work shared the
machine (1-minute load average ${loadBefore.toFixed(1)} at the start, per row at its end below). Wall times on a
loaded machine are upper bounds; CPU times are the steadier measure.

| versions | log (wall) | log (CPU) | log files | git order, full | git order, +1 commit cached | status walk | audit (wall) | audit (CPU) | max RSS | load avg |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}
`,
  );
}

const childIndex = process.argv.indexOf('--child');
if (childIndex !== -1) await child(Number(process.argv[childIndex + 1]));
else await main();
