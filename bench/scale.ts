/**
 * `npm run bench -- scale [--servers N[,N…]]`: the registry at real size (issue 13). For each size a
 * registry with the official registry's shape and one git commit per version (bench/lib/official-shape.ts)
 * is built with `mcp-registry build` as a separate process: cold (no dist/, no .cache/), then after one
 * merged version (the deploy after a merge: dist/ and .cache/ kept), then cold again to check that the
 * incremental output is byte-identical. Beside it, the raw-write limit: the same files written by a plain
 * loop in the same run. Also `mcp-registry validate` of the whole tree and of the one new file, and the
 * search index's size. Default 20,000 servers; `--servers 2000` is a quick run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadRegistryConfig } from '../scripts/config/registry-config.ts';
import { apiEmitter } from '../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../scripts/emit/build-registry.ts';
import { hostEmitters } from '../scripts/emit/host-emitters.ts';
import { commitOne, officialShape, writeRegistryRepo } from './lib/official-shape.ts';
import { describeMachine, writeBenchmarkSection } from './lib/report.ts';

const SELF = fileURLToPath(import.meta.url);
const CLI = fileURLToPath(new URL('../scripts/cli/main.ts', import.meta.url));
const CONFIG = fileURLToPath(new URL('../registry.config.yaml', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * Digest of the code the builds run (scripts/, the site's sources, schemas, the lock file). The
 * working tree may be shared: when it changes between the incremental and the cold build, their
 * outputs differ for that reason alone, so the comparison is reported as not made.
 */
function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const part of ['scripts', 'site/src', 'site/public', 'site/astro.config.mjs', 'schemas', 'package-lock.json']) {
    const path = join(REPO, part);
    let files: string[];
    try {
      files = walk(path).sort();
    } catch {
      files = [path];
    }
    for (const file of files) {
      hash.update(`${relative(REPO, file)}\0`);
      try {
        hash.update(readFileSync(file));
      } catch {
        hash.update('missing');
      }
    }
  }
  return hash.digest('hex');
}

interface Timed {
  wall: number;
  cpu: number;
  rssMiB: number;
  stdout: string;
}

/** One command as its own process under /usr/bin/time: wall, user + system CPU, peak RSS. */
function timed(cwd: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '\u0001%e %U %S %M', process.execPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('\u0001'));
  if (line === undefined) throw new Error(`no timing for ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  const [wall, user, system, rss] = line.slice(1).split(' ').map(Number) as [number, number, number, number];
  if (r.status !== 0 && !args.includes('validate')) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return { wall, cpu: user + system, rssMiB: rss / 1024, stdout: r.stdout };
}

function walk(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else if (entry.isFile()) into.push(path);
  }
  return into;
}

/** Digest of a tree: every relative path and its bytes, sorted; the build manifest included. */
function treeDigest(dir: string): { digest: string; files: number } {
  const files = walk(dir).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${relative(dir, file)}\0`).update(readFileSync(file));
  return { digest: hash.digest('hex'), files: files.length };
}

/** Writes every file of `dir` again into a fresh folder with mkdir + writeFileSync, timing only the writes. */
function rawWrite(dir: string): number {
  const target = mkdtempSync(join(tmpdir(), 'mcp-bench-raw-'));
  let spent = 0;
  try {
    for (const file of walk(dir)) {
      const bytes = readFileSync(file);
      const out = join(target, relative(dir, file));
      const t = performance.now();
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, bytes);
      spent += performance.now() - t;
    }
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
  return spent / 1000;
}

interface Row {
  servers: number;
  versions: number;
  generate: number;
  files: number;
  raw: number;
  cold: Timed;
  /** The same build without the Astro site (API, search-free host files), cold and after the merge. */
  apiCold: Timed;
  apiMerge: Timed;
  merge: Timed;
  mergeAgain: Timed;
  /** Undefined when the sources changed during the run (no fair comparison). */
  identical: boolean | undefined;
  validateAll: Timed;
  validateOne: Timed;
  searchGzipKiB: number;
  load: number;
}

function measure(servers: number): Row {
  const root = mkdtempSync(join(tmpdir(), 'mcp-bench-scale-'));
  try {
    let t = performance.now();
    const shape = officialShape(servers);
    const last = shape.files.pop();
    if (last === undefined) throw new Error('empty registry');
    writeRegistryRepo(root, shape.files);
    writeFileSync(join(root, 'registry.config.yaml'), readFileSync(CONFIG));
    const generate = (performance.now() - t) / 1000;
    const load = loadavg()[0] ?? 0;
    const stampBefore = sourceStamp();
    const cold = timed(root, [CLI, 'build']);
    const files = walk(join(root, 'dist')).length;
    const raw = rawWrite(join(root, 'dist'));
    const apiCold = timed(root, [SELF, '--api-build', root]);
    commitOne(root, last, shape.files.length);
    const apiMerge = timed(root, [SELF, '--api-build', root]);
    const merge = timed(root, [CLI, 'build']);
    const mergeAgain = timed(root, [CLI, 'build']);
    const incremental = treeDigest(join(root, 'dist'));
    rmSync(join(root, '.cache'), { recursive: true, force: true });
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    timed(root, [CLI, 'build']);
    const fresh = treeDigest(join(root, 'dist'));
    const sameSources = sourceStamp() === stampBefore;
    const validateAll = timed(root, [CLI, 'validate']);
    const validateOne = timed(root, [CLI, 'validate', last.path]);
    const search = walk(join(root, 'dist', 'search')).reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    t = performance.now();
    return {
      servers,
      versions: shape.versions,
      generate,
      files,
      raw,
      cold,
      apiCold,
      apiMerge,
      merge,
      mergeAgain,
      identical: sameSources ? incremental.digest === fresh.digest && incremental.files === fresh.files : undefined,
      validateAll,
      validateOne,
      searchGzipKiB: search / 1024,
      load,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function sizesFromArgs(): number[] {
  const at = process.argv.indexOf('--servers');
  const value = at === -1 ? process.env.SCALE_SERVERS : process.argv[at + 1];
  return (value ?? '20000').split(',').map((s) => Number(s.replace(/_/g, '')));
}

/** Child mode: the build without the site emitter, into dist-api/ with its own cache. */
async function apiBuild(root: string): Promise<void> {
  const config = await loadRegistryConfig(root);
  const result = await buildRegistry({ root, config, out: 'dist-api', cacheDir: '.cache-api', emitters: [apiEmitter, ...hostEmitters] });
  if (!result.written) throw new Error('api build failed');
}

const apiAt = process.argv.indexOf('--api-build');
if (apiAt !== -1) {
  await apiBuild(process.argv[apiAt + 1] ?? '.');
  process.exit(0);
}

const s = (n: number) => `${n.toFixed(1)} s`;
const rows: Row[] = [];
for (const servers of sizesFromArgs()) {
  const row = measure(servers);
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row, (k, v) => (k === 'stdout' ? undefined : v))}\n`);
}
const table = rows
  .map(
    (r) =>
      `| ${r.servers.toLocaleString('en')} / ${r.versions.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${s(r.raw)} | ${s(r.cold.wall)} (CPU ${s(r.cold.cpu)}, ${r.cold.rssMiB.toFixed(0)} MiB) | ${(r.cold.wall / r.raw).toFixed(1)}× | ${s(r.merge.wall)} (CPU ${s(r.merge.cpu)}) | ${s(r.apiCold.wall)} / ${s(r.apiMerge.wall)} | ${s(r.mergeAgain.wall)} | ${r.identical === undefined ? 'not compared (sources changed during the run)' : r.identical ? 'yes' : '**no**'} | ${s(r.validateAll.wall)} | ${s(r.validateOne.wall)} | ${r.searchGzipKiB.toFixed(0)} kB | ${r.load.toFixed(1)} |`,
  )
  .join('\n');
writeBenchmarkSection(
  'Scale (official registry shape)',
  `\`npm run bench -- scale [--servers 20000,100000]\` (bench/scale.ts). A registry with the official registry's
shape (versions per server ~62% one, 15% two, 14% three to five, 5% six to ten, 3% more, up to 70; npm, PyPI,
OCI, MCPB, NuGet and remotes) and one git commit per version is built by \`mcp-registry build\` (host node,
API + search + Astro site), each run its own process: cold (no dist/, no .cache/), then after one merged
version with dist/ and .cache/ kept (the deploy after a merge), then a no-change rebuild. "Without site" is
the same \`buildRegistry\` with the API and host emitters only (no Astro), cold and after the same merge. "Identical" compares
the incremental tree with a cold build of the same commit, path by path and byte by byte; when the code under
scripts/, site/ or schemas/ changed during the run (a shared working tree), it says so instead. "Raw write" writes
the cold build's files again with a plain mkdir + writeFileSync loop in the same run.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)}; load average when the run started is in the last column (the machine is shared).

| servers / versions | files | raw write | cold build | cold / raw | after one merge | without site: cold / after merge | no change | identical | validate all | validate one file | search gzip | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}
`,
);
