/**
 * `npm run bench -- scale [--servers N[,N…]]`: the registry at real size (issue 13). For each size a
 * registry with the official registry's shape and one git commit per version (bench/lib/official-shape.ts)
 * is built with `mcp-registry build --timings` as a separate process: cold (no dist/, no .cache/), the
 * first build one merged version later, one more merged version with the spare tree warm (the deploy after
 * a merge: dist/ and .cache/ kept), nothing changed, then cold again to check that the incremental output
 * is byte-identical. Beside it, the raw-write limit: the same files written by a plain
 * loop in the same run. Also `mcp-registry validate` of the whole tree and of the one new file, the
 * one-file PR check as CI runs it (`pr-check run --verify yes`, npm on a real Verdaccio on 127.0.0.1),
 * a cold `build --host nginx` (files beside the node build's, and their raw write), a sync of the whole
 * registry from a local `mcp-registry serve` of its build into an empty one (and the raw write of what it
 * wrote), and the search index's size. Default 20,000 servers; `--servers 2000` is a quick run, `--print`
 * prints the section instead of writing docs/benchmarks.md.
 *
 * `--without-site` (for 100,000 servers, where the Astro site alone takes a long while): the same
 * sequence with the API and host emitters only, the search index built from the generated shown
 * versions in this process; `--versions-per-commit N` writes the history in commits of N versions.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serverViewsFromResponses } from '../scripts/catalog/server-view.ts';
import { summarizeServers } from '../scripts/catalog/server-summary.ts';
import { OFFICIAL_META_KEY } from '../scripts/core/api-types.ts';
import type { ServerJson, ServerResponse } from '../scripts/core/api-types.ts';
import { loadRegistryConfig } from '../scripts/config/registry-config.ts';
import { apiEmitter } from '../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../scripts/emit/build-registry.ts';
import { hostEmitters } from '../scripts/emit/host-emitters.ts';
import { buildSearchIndex, SEARCH_INDEX_PATH } from '../scripts/search/search-index.ts';
import { startVerdaccio, type StartedVerdaccio } from '../test/helpers/verdaccio.ts';
import { commitOne, officialShape, writeRegistryRepo } from './lib/official-shape.ts';
import type { VersionFile } from './lib/official-shape.ts';
import { preparePr } from './lib/pr-check-bench.ts';
import { describeMachine, writeBenchmarkSection as writeSection } from './lib/report.ts';
import { startServe } from './lib/serve-process.ts';

const SELF = fileURLToPath(import.meta.url);
/** `--keep`: leave the generated registry and its last build in place (bench/search.ts --dist measures its site). */
const KEEP = process.argv.includes('--keep');
/** `--skip-checks`: only the builds (no PR check, validate, sync or nginx build): a shorter run. */
const SKIP_CHECKS = process.argv.includes('--skip-checks');
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
  /** `build --timings`: wall seconds per phase, in the order they ended (phases that ran more than once summed). */
  phases?: [string, number][];
}

/** The phase lines `mcp-registry build --timings` prints to stderr. */
function parsePhases(stderr: string): [string, number][] | undefined {
  const at = stderr.indexOf('build timings');
  if (at === -1) return undefined;
  const sums = new Map<string, number>();
  for (const line of stderr.slice(at).split('\n').slice(1)) {
    const m = /^ {2}(.+?)\s+([0-9.]+) s$/.exec(line);
    if (m === null) break;
    sums.set(m[1] as string, (sums.get(m[1] as string) ?? 0) + Number(m[2]));
  }
  return [...sums];
}

/** One command as its own process under /usr/bin/time: wall, user + system CPU, peak RSS. */
function timed(cwd: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '\u0001%e %U %S %M', process.execPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('\u0001'));
  if (line === undefined) throw new Error(`no timing for ${args.join(' ')}: ${r.stderr.slice(-2000)}`);
  const [wall, user, system, rss] = line.slice(1).split(' ').map(Number) as [number, number, number, number];
  if (r.status !== 0 && !args.includes('validate'))
    throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stdout.slice(-3000)} ${r.stderr.slice(-3000)}`);
  const phases = parsePhases(r.stderr);
  return { wall, cpu: user + system, rssMiB: rss / 1024, stdout: r.stdout, ...(phases ? { phases } : {}) };
}

/** `timed` without blocking this process (a server it started must keep answering). */
function timedAsync(cwd: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '\u0001%e %U %S %M', process.execPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('\u0001'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${args.join(' ')} failed (${code}): ${stdout.slice(-2000)} ${stderr.slice(-3000)}`));
        return;
      }
      const [wall, user, system, rss] = line.slice(1).split(' ').map(Number) as [number, number, number, number];
      resolve({ wall, cpu: user + system, rssMiB: rss / 1024, stdout });
    });
  });
}

/** A build's wall, CPU and memory, and its files and their raw write, then the folder removed. */
interface HostBuild {
  build: Timed;
  files: number;
  raw: number;
}

function hostBuild(root: string, args: string[], out: string): HostBuild {
  const build = timed(root, args);
  const files = walk(join(root, out)).length;
  const raw = rawWrite(join(root, out));
  rmSync(join(root, out), { recursive: true, force: true });
  return { build, files, raw };
}

interface SyncRun {
  sync: Timed;
  /** Files the sync wrote (version files and state), and the raw write of the same files. */
  files: number;
  raw: number;
}

/** `mcp-registry sync --from` a local `mcp-registry serve` of `dist` into an empty registry (this run's config). */
async function syncWhole(dist: string): Promise<SyncRun> {
  const { baseUrl, child } = await startServe(dist);
  const target = mkdtempSync(join(tmpdir(), 'mcp-bench-sync-'));
  try {
    writeFileSync(join(target, 'registry.config.yaml'), readFileSync(CONFIG));
    const sync = await timedAsync(target, [CLI, 'sync', '--from', baseUrl]);
    rmSync(join(target, 'registry.config.yaml'));
    return { sync, files: walk(target).length, raw: rawWrite(target) };
  } finally {
    child.kill();
    rmSync(target, { recursive: true, force: true });
  }
}

/** The one-file PR check as CI runs it (verify against Verdaccio on 127.0.0.1); throws unless it passed. */
async function prCheckOne(root: string, files: readonly VersionFile[], npm: StartedVerdaccio): Promise<Timed> {
  const pr = await preparePr(root, files, npm, mkdtempSync(join(tmpdir(), 'mcp-bench-pr-')));
  let run: Timed | undefined;
  try {
    run = timed(root, [CLI, ...pr.args]);
  } finally {
    pr.finish();
  }
  return run;
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
  /** The first build after the cold one (one merged version; no spare tree yet). */
  firstMerge: Timed;
  /** One more merged version, the previous build's tree kept as the spare: every later deploy. */
  merge: Timed;
  mergeAgain: Timed;
  /** Undefined when the sources changed during the run (no fair comparison). */
  identical: boolean | undefined;
  /** The PR check, validate, the nginx build and the sync; absent with --skip-checks. */
  checks?: Checks;
  searchGzipKiB: number;
  load: number;
}

interface Checks {
  validateAll: Timed;
  validateOne: Timed;
  prCheck: Timed;
  nginx: HostBuild;
  sync: SyncRun;
}

async function measure(servers: number, npm: StartedVerdaccio): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), 'mcp-bench-scale-'));
  try {
    let t = performance.now();
    const shape = officialShape(servers);
    const last = shape.files.pop();
    const before = shape.files.pop();
    if (last === undefined || before === undefined) throw new Error('empty registry');
    writeRegistryRepo(root, shape.files);
    writeFileSync(join(root, 'registry.config.yaml'), readFileSync(CONFIG));
    const generate = (performance.now() - t) / 1000;
    const load = loadavg()[0] ?? 0;
    const stampBefore = sourceStamp();
    const cold = timed(root, [CLI, 'build', '--timings']);
    const files = walk(join(root, 'dist')).length;
    const raw = rawWrite(join(root, 'dist'));
    const apiCold = timed(root, [SELF, '--api-build', root]);
    commitOne(root, before, shape.files.length);
    const apiMerge = timed(root, [SELF, '--api-build', root]);
    const firstMerge = timed(root, [CLI, 'build', '--timings']);
    commitOne(root, last, shape.files.length + 1);
    const merge = timed(root, [CLI, 'build', '--timings']);
    const mergeAgain = timed(root, [CLI, 'build', '--timings']);
    const incremental = treeDigest(join(root, 'dist'));
    for (const part of ['.cache', 'dist', '.dist.spare']) rmSync(join(root, part), { recursive: true, force: true });
    timed(root, [CLI, 'build']);
    const fresh = treeDigest(join(root, 'dist'));
    const sameSources = sourceStamp() === stampBefore;
    const search = walk(join(root, 'dist', 'search')).reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    let checks: Checks | undefined;
    if (!SKIP_CHECKS) {
      const validateAll = timed(root, [CLI, 'validate']);
      const validateOne = timed(root, [CLI, 'validate', last.path]);
      const prCheck = await prCheckOne(root, shape.files, npm);
      const sync = await syncWhole(join(root, 'dist'));
      rmSync(join(root, '.cache'), { recursive: true, force: true });
      const nginx = hostBuild(root, [CLI, 'build', '--host', 'nginx', '--out', 'dist-nginx'], 'dist-nginx');
      checks = { validateAll, validateOne, prCheck, sync, nginx };
    }
    t = performance.now();
    if (KEEP) process.stderr.write(`kept the ${servers}-server registry and its build at ${root} (--keep)\n`);
    return {
      servers,
      versions: shape.versions,
      generate,
      files,
      raw,
      cold,
      apiCold,
      apiMerge,
      firstMerge,
      merge,
      mergeAgain,
      identical: sameSources ? incremental.digest === fresh.digest && incremental.files === fresh.files : undefined,
      ...(checks ? { checks } : {}),
      searchGzipKiB: search / 1024,
      load,
    };
  } finally {
    if (!KEEP) rmSync(root, { recursive: true, force: true });
  }
}

interface ApiRow {
  servers: number;
  versions: number;
  commits: number;
  generate: number;
  files: number;
  raw: number;
  cold: Timed;
  merge: Timed;
  mergeAgain: Timed;
  identical: boolean | undefined;
  validateAll: Timed;
  validateOne: Timed;
  prCheck: Timed;
  nginx: HostBuild;
  sync: SyncRun;
  /** search/index.json of the shown versions (gzip -9), and the whole search/ folder's files. */
  indexGzipKiB: number;
  searchGzipKiB: number;
  load: number;
}

/** search/ of the generated registry's shown versions (the last file of each server), dates fixed. */
function searchSizes(files: readonly VersionFile[]): { index: number; all: number } {
  const latest = new Map<string, ServerJson>();
  for (const file of files) {
    const server = JSON.parse(file.text) as ServerJson;
    latest.set(server.name, server);
  }
  const at = '2025-06-01T00:00:00Z';
  const official = { status: 'active' as const, statusChangedAt: at, publishedAt: at, updatedAt: at, isLatest: true };
  const responses: ServerResponse[] = [...latest.values()].map((server) => ({ server, _meta: { [OFFICIAL_META_KEY]: official } }));
  const out = buildSearchIndex(summarizeServers(serverViewsFromResponses(responses)));
  let all = 0;
  for (const text of out.values()) all += gzipSync(text, { level: 9 }).length;
  return { index: gzipSync(out.get(SEARCH_INDEX_PATH) ?? '', { level: 9 }).length, all };
}

/** The `--without-site` sequence: API and host emitters only (bench/scale.ts --api-build). */
async function measureWithoutSite(servers: number, perCommit: number, npm: StartedVerdaccio): Promise<ApiRow> {
  const root = mkdtempSync(join(tmpdir(), 'mcp-bench-scale-'));
  try {
    const t = performance.now();
    const shape = officialShape(servers);
    const last = shape.files.pop();
    if (last === undefined) throw new Error('empty registry');
    writeRegistryRepo(root, shape.files, perCommit);
    writeFileSync(join(root, 'registry.config.yaml'), readFileSync(CONFIG));
    const generate = (performance.now() - t) / 1000;
    const load = loadavg()[0] ?? 0;
    const stampBefore = sourceStamp();
    const dist = join(root, 'dist-api');
    const cold = timed(root, [SELF, '--api-build', root]);
    const files = walk(dist).length;
    const raw = rawWrite(dist);
    commitOne(root, last, shape.files.length);
    const merge = timed(root, [SELF, '--api-build', root]);
    const mergeAgain = timed(root, [SELF, '--api-build', root]);
    const incremental = treeDigest(dist);
    rmSync(join(root, '.cache-api'), { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
    timed(root, [SELF, '--api-build', root]);
    const fresh = treeDigest(dist);
    const sameSources = sourceStamp() === stampBefore;
    const validateAll = timed(root, [CLI, 'validate']);
    const validateOne = timed(root, [CLI, 'validate', last.path]);
    const prCheck = await prCheckOne(root, shape.files, npm);
    const sync = await syncWhole(dist);
    const nginx = hostBuild(root, [SELF, '--api-build', root, '--host', 'nginx'], 'dist-api-nginx');
    const search = searchSizes([...shape.files, last]);
    return {
      servers,
      versions: shape.versions,
      commits: Math.ceil(shape.files.length / perCommit) + 1,
      generate,
      files,
      raw,
      cold,
      merge,
      mergeAgain,
      identical: sameSources ? incremental.digest === fresh.digest && incremental.files === fresh.files : undefined,
      validateAll,
      validateOne,
      prCheck,
      nginx,
      sync,
      indexGzipKiB: search.index / 1024,
      searchGzipKiB: search.all / 1024,
      load,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function sizesFromArgs(): number[] {
  const at = process.argv.indexOf('--servers');
  const value = at === -1 ? process.env.SCALE_SERVERS : process.argv[at + 1];
  return (value ?? '20000').split(',').map((s) => Number(s.replace(/_/g, '')));
}

/** Child mode: the build without the site emitter, into dist-api/ with its own cache (with `--host nginx`: dist-api-nginx/, cold). */
async function apiBuild(root: string, nginx: boolean): Promise<void> {
  const config = await loadRegistryConfig(root);
  const result = await buildRegistry({
    root,
    config,
    out: nginx ? 'dist-api-nginx' : 'dist-api',
    cacheDir: nginx ? '.cache-api-nginx' : '.cache-api',
    emitters: [apiEmitter, ...hostEmitters],
    ...(nginx ? { host: 'nginx' as const } : {}),
  });
  if (!result.written) throw new Error('api build failed');
}

const apiAt = process.argv.indexOf('--api-build');
if (apiAt !== -1) {
  await apiBuild(process.argv[apiAt + 1] ?? '.', process.argv.includes('nginx'));
  process.exit(0);
}

const s = (n: number) => `${n.toFixed(1)} s`;
/** `--print`: the section on stdout instead of docs/benchmarks.md (a trial run keeps the recorded rows). */
function writeBenchmarkSection(heading: string, body: string): void {
  if (process.argv.includes('--print')) process.stdout.write(`## ${heading}\n\n${body}`);
  else writeSection(heading, body);
}
const run = (t: Timed) => `${s(t.wall)} (CPU ${s(t.cpu)}, ${t.rssMiB.toFixed(0)} MiB)`;

/** The second table of both sections: the PR check, validate, the nginx build and a sync of the whole registry. */
function checksTable(sized: readonly (Checks & { servers: number; versions: number; files: number; load: number })[]): string {
  const lines = sized.map(
    (r) =>
      `| ${r.servers.toLocaleString('en')} / ${r.versions.toLocaleString('en')} | ${run(r.prCheck)} | ${run(r.validateOne)} | ${run(r.validateAll)} | ${run(r.nginx.build)} | ${r.nginx.files.toLocaleString('en')} / ${r.files.toLocaleString('en')} | ${s(r.nginx.raw)} | ${(r.nginx.build.wall / r.nginx.raw).toFixed(1)}× | ${run(r.sync.sync)} | ${r.sync.files.toLocaleString('en')} | ${s(r.sync.raw)} | ${(r.sync.sync.wall / r.sync.raw).toFixed(1)}× | ${r.load.toFixed(1)} |`,
  );
  return `| servers / versions | PR check, one file | validate one file | validate all | \`build --host nginx\` (cold) | files: nginx / node | nginx raw write | nginx / raw | sync of the whole registry | files synced | sync raw write | sync / raw | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${lines.join('\n')}`;
}

const CHECKS_TEXT = `"PR check, one file" is \`mcp-registry pr-check run --verify yes\` as the workflow runs it, on a branch that adds one
new version of an npm server: changed files, the check tree (registry/ and the touched server's folder only; the rest of
servers/ reaches the registry-wide rules as an index read from git, \`--registry-index\`), validate, verify (namespace,
and the npm package on a real Verdaccio on 127.0.0.1, where the benchmark published it with the server's mcpName), the
decision; target under 30 s at 20,000 servers. "Validate one file" is \`mcp-registry validate <that file>\` in the work
tree (the other files read from disk, only name, version and remote URLs kept). \`build --host nginx\` is cold (no
.cache/), with its own file count beside the node build's and the raw write of its files. "Sync" is \`mcp-registry sync
--from\` a local \`mcp-registry serve\` of the cold build into an empty registry: every version fetched, validated and
written with its provenance; its raw write writes the same files with a plain loop. CPU is user + system of the command
and its child processes; MiB is the peak RSS of the largest one.`;

// The package registry the PR check's verify asks (a real Verdaccio on 127.0.0.1), for every size.
const npm = await startVerdaccio();
process.on('exit', () => void npm.close());
if (process.argv.includes('--without-site')) {
  const perCommit = numberFlag('--versions-per-commit', 1);
  const apiRows: ApiRow[] = [];
  for (const servers of sizesFromArgs()) {
    const row = await measureWithoutSite(servers, perCommit, npm);
    apiRows.push(row);
    process.stdout.write(`${JSON.stringify(row, (k, v) => (k === 'stdout' ? undefined : v))}\n`);
  }
  const perVersion = (r: ApiRow) => `${((r.cold.cpu / r.versions) * 1000).toFixed(2)} ms`;
  const apiTable = apiRows
    .map(
      (r) =>
        `| ${r.servers.toLocaleString('en')} / ${r.versions.toLocaleString('en')} | ${r.commits.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${s(r.raw)} | ${s(r.cold.wall)} (CPU ${s(r.cold.cpu)}, ${r.cold.rssMiB.toFixed(0)} MiB) | ${perVersion(r)} | ${(r.cold.wall / r.raw).toFixed(1)}× | ${s(r.merge.wall)} (CPU ${s(r.merge.cpu)}, ${r.merge.rssMiB.toFixed(0)} MiB) | ${s(r.mergeAgain.wall)} | ${r.identical === undefined ? 'not compared (sources changed during the run)' : r.identical ? 'yes' : '**no**'} | ${r.indexGzipKiB.toFixed(1)} kB / ${r.searchGzipKiB.toFixed(1)} kB | ${r.load.toFixed(1)} |`,
    )
    .join('\n');
  writeBenchmarkSection(
    'Scale without the site (official registry shape)',
    `\`npm run bench -- scale --without-site --servers 100000 [--versions-per-commit N]\` (bench/scale.ts). The registry of the
section above, built with the API and host emitters only (\`buildRegistry\` in its own process, no Astro site, no search
emitter): cold (no dist/, no .cache/), after one merged version (one more commit; dist/ and .cache/ kept), then with
nothing changed; "identical" compares the tree after the merge with a cold build of the same commit, byte by byte.
"Raw write" writes the cold build's files again with a plain mkdir + writeFileSync loop in the same run. The history
has one commit per ${perCommit === 1 ? 'version' : `${perCommit} versions (fast-import rewrites the servers/ tree per commit, which at 300,000 commits takes too long for one run on this machine)`}. The search
index is \`buildSearchIndex\` of the shown versions in this process (gzip -9): \`search/index.json\`, and all of search/.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)}; load average when the run started is in the last column (the machine is shared).

| servers / versions | commits | files | raw write | cold build | cold CPU per version | cold / raw | after one merge | no change | identical | search index / all search/ (gzip) | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${apiTable}

${CHECKS_TEXT} Here the nginx build and the served build are those of the API and host emitters only (no site).

${checksTable(apiRows)}
`,
  );
  await npm.close();
  process.exit(0);
}
const rows: Row[] = [];
for (const servers of sizesFromArgs()) {
  const row = await measure(servers, npm);
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row, (k, v) => (k === 'stdout' ? undefined : v))}\n`);
}
const table = rows
  .map(
    (r) =>
      `| ${r.servers.toLocaleString('en')} / ${r.versions.toLocaleString('en')} | ${r.files.toLocaleString('en')} | ${s(r.raw)} | ${run(r.cold)} | ${(r.cold.wall / r.raw).toFixed(1)}× | ${run(r.firstMerge)} | ${run(r.merge)} | ${run(r.mergeAgain)} | ${s(r.apiCold.wall)} / ${s(r.apiMerge.wall)} | ${r.identical === undefined ? 'not compared (sources changed during the run)' : r.identical ? 'yes' : '**no**'} | ${r.searchGzipKiB.toFixed(0)} kB | ${r.load.toFixed(1)} |`,
  )
  .join('\n');

/** Per size: the phases `build --timings` reported for each build of the sequence (those of 0.1 s or more in one of them). */
function phaseTable(r: Row): string {
  const builds: [string, Timed][] = [
    ['cold', r.cold],
    ['first after cold', r.firstMerge],
    ['after one merge', r.merge],
    ['no change', r.mergeAgain],
  ];
  const names: string[] = [];
  for (const [, t] of builds) for (const [name] of t.phases ?? []) if (!names.includes(name)) names.push(name);
  const value = (t: Timed, name: string) => t.phases?.find(([n]) => n === name)?.[1];
  const shown = names.filter((name) => builds.some(([, t]) => (value(t, name) ?? 0) >= 0.1));
  const lines = shown.map((name) => `| ${name} | ${builds.map(([, t]) => (value(t, name) === undefined ? '–' : s(value(t, name) as number))).join(' | ')} |`);
  return `Phases at ${r.servers.toLocaleString('en')} servers (wall seconds inside the build process, \`build --timings\`; "site: astro" is the Astro child process, summed over its runs):

| phase | ${builds.map(([label]) => label).join(' | ')} |
| --- | ${builds.map(() => '---').join(' | ')} |
${lines.join('\n')}`;
}

writeBenchmarkSection(
  'Scale (official registry shape)',
  `\`npm run bench -- scale [--servers 20000,100000]\` (bench/scale.ts). A registry with the official registry's
shape (versions per server ~62% one, 15% two, 14% three to five, 5% six to ten, 3% more, up to 70; npm, PyPI,
OCI, MCPB, NuGet and remotes) and one git commit per version is built by \`mcp-registry build\` (host node,
API + search + Astro site), each run its own process: cold (no dist/, no .cache/); the first build after it, one
merged version later (dist/ and .cache/ kept, no spare tree yet); "after one merge", one more merged version with the
previous build's tree kept as the spare (what every later deploy on a runner that keeps dist/ and .cache/ does);
then a build with nothing changed. "Without site" is the same \`buildRegistry\` with the API and host emitters only
(no Astro), cold and after the first merge. "Identical" compares the tree after the merges with a cold build of the
same commit (no dist/, .cache/ or spare), path by path and byte by byte; when the code under scripts/, site/ or
schemas/ changed during the run (a shared working tree), it says so instead. "Raw write" writes the cold build's
files again with a plain mkdir + writeFileSync loop in the same run. CPU is user + system of the build and its child
processes; MiB is the peak RSS of the largest process.

Machine: ${describeMachine()}; measured ${new Date().toISOString().slice(0, 10)}; load average when the run started is in the last column (the machine is shared).

| servers / versions | files | raw write | cold build | cold / raw | first build after cold | after one merge | no change | without site: cold / after merge | identical | search gzip | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}

${rows.map(phaseTable).join('\n\n')}

${
  rows.some((r) => r.checks)
    ? `${CHECKS_TEXT}

${checksTable(rows.flatMap((r) => (r.checks ? [{ ...r.checks, servers: r.servers, versions: r.versions, files: r.files, load: r.load }] : [])))}`
    : 'The PR check, validate, the nginx build and the sync were not run (`--skip-checks`); "Scale without the site" below has them.'
}
`,
);
await npm.close();
