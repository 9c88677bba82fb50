import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { logEmitter } from '../../scripts/emit/log-emitter.ts';
import { createPageFetcher } from '../../scripts/ingest/http-page-fetcher.ts';
import { runSync } from '../../scripts/ingest/run-sync.ts';
import { loadApiData } from '../../scripts/serve/load-api-data.ts';
import type { RegistryServer } from '../../scripts/serve/node-server.ts';
import { createRegistryServer, listen } from '../../scripts/serve/node-server.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { fixtureRoot, serverDoc, sortedPathDates } from '../fixtures/api/build-fixture.ts';

// An upstream of ours: `build` with a signed log, served by `mcp-registry serve` on 127.0.0.1; the
// mirror is a git repository, so "nothing written" is `git status` saying so.

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

async function build(root: string, options: { log?: boolean; key?: string } = {}): Promise<string> {
  const out = join(root, 'dist');
  const result = await buildRegistry({
    root,
    config: structuredClone(DEFAULT_CONFIG),
    host: 'node',
    out,
    dates: sortedPathDates,
    emitters: options.log === false ? [apiEmitter] : [apiEmitter, logEmitter],
    ...(options.log === false ? {} : { logKey: options.key ?? pem }),
  });
  if (!result.written) throw new Error(`fixture build failed: ${JSON.stringify(result.report.files.filter((f) => !f.ok))}`);
  return out;
}

/** `mcp-registry serve` over one build at a time, always on the same port (so the mirror sees one upstream). */
const upstream = {
  port: 0,
  server: undefined as RegistryServer | undefined,
  async serve(dist: string): Promise<void> {
    await this.close();
    const server = createRegistryServer({ dist, data: await loadApiData(dist), port: this.port, host: '127.0.0.1' });
    this.port = (await listen(server, this.port, '127.0.0.1')).port;
    this.server = server;
  },
  async close(): Promise<void> {
    const s = this.server;
    if (s === undefined) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  },
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  },
};

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

function newMirror(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sync-log-mirror-'));
  git(dir, 'init', '-q');
  git(dir, 'config', 'user.email', 'mirror@example.com');
  git(dir, 'config', 'user.name', 'mirror');
  writeFileSync(join(dir, 'README.md'), 'mirror\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'start');
  return dir;
}

function commitAll(dir: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'sync');
}

/** Nothing changed since the last commit: no file written, none left behind (journal, staging). */
function untouched(dir: string): string {
  return git(dir, 'status', '--porcelain', '--untracked-files=all');
}

async function sync(mirror: string, ...flags: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['sync', '--from', upstream.url, '--out', mirror, ...flags], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: mirror,
    env: {},
  });
  return { code, stdout, stderr };
}

let honestRoot = '';
let honest = '';
let vkey = '';
const cleanup: string[] = [];

/** A copy of the honest build with one file of its log changed. */
async function tampered(file: string, change: (b: Buffer) => Buffer): Promise<string> {
  const root = fixtureRoot();
  cleanup.push(root);
  const dist = await build(root);
  const path = join(dist, 'log', file);
  writeFileSync(path, change(readFileSync(path)));
  return dist;
}

beforeAll(async () => {
  honestRoot = fixtureRoot();
  cleanup.push(honestRoot);
  honest = await build(honestRoot);
  vkey = readFileSync(join(honest, 'log/key'), 'utf8').trim();
  await upstream.serve(honest);
});
afterEach(async () => upstream.serve(honest));
afterAll(async () => {
  await upstream.close();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe('sync from an upstream that serves a transparency log', () => {
  it('syncs an honest upstream, records its checkpoint, and checks only the new leaves next time', async () => {
    const mirror = newMirror();
    cleanup.push(mirror);
    const first = await sync(mirror, '--upstream-log-key', vkey);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/upstream log 127\.0\.0\.1:4321\/log: checkpoint of 10 entries, signature verified; 10 new versions proven included\n/);
    const state = JSON.parse(readFileSync(join(mirror, `registry/sync/127.0.0.1-${upstream.port}.json`), 'utf8'));
    expect(state.log).toEqual({
      origin: '127.0.0.1:4321/log',
      size: 10,
      root: readFileSync(join(honest, 'log/checkpoint'), 'utf8').split('\n')[2],
      keys: [vkey],
      checkpoint: readFileSync(join(honest, 'log/checkpoint'), 'utf8'),
    });
    // Each version's provenance names the leaf the upstream's _meta gave and the checkpoint it was proven under.
    const answer = JSON.parse(readFileSync(join(honest, 'v0.1/entries/com.example@weather@1.0.0.json'), 'utf8'));
    const provenance = parse(readFileSync(join(mirror, 'registry/upstream/com.example/weather.yaml'), 'utf8'));
    expect(provenance.versions['1.0.0'].log).toEqual({
      origin: '127.0.0.1:4321/log',
      ...answer._meta['io.github.mcp-static-registry/registry'].log,
      treeSize: 10,
      root: state.log.root,
    });
    commitAll(mirror);

    // The upstream publishes one more version: the next sync reads the leaf of that one alone, and the extension.
    const grownRoot = fixtureRoot();
    cleanup.push(grownRoot);
    mkdirSync(join(grownRoot, 'servers/zz.example/late'), { recursive: true });
    writeFileSync(join(grownRoot, 'servers/zz.example/late/1.0.0.json'), JSON.stringify(serverDoc('zz.example/late', '1.0.0', 'Published last')));
    await upstream.serve(await build(grownRoot));
    const fetched: string[] = [];
    const fetcher = createPageFetcher({ from: upstream.url });
    const second = await runSync({
      root: mirror,
      from: upstream.url,
      config: structuredClone(DEFAULT_CONFIG),
      validate: validateDocument,
      fetchPage: (url) => {
        fetched.push(new URL(url).pathname);
        return fetcher.fetchPage(url);
      },
      upstreamLogKeys: [vkey],
      // A full walk (the fixture's dates lie behind the watermark): still, only the version not mirrored yet is proven.
      full: true,
    });
    await fetcher.close();
    expect(second.report.ok, JSON.stringify(second.report)).toBe(true);
    expect(second.stats.added, JSON.stringify([second.stats, second.report])).toBe(1);
    expect(second.log).toEqual({ origin: '127.0.0.1:4321/log', size: 11, signed: true, included: 1, consistentWith: 10 });
    expect(fetched.filter((p) => p.startsWith('/log/')).sort()).toEqual([
      '/log/checkpoint',
      '/log/servers/zz.example@late@1.0.0.json',
      '/log/tile/0/000.p/11',
      '/log/tile/entries/000.p/11',
    ]);
    expect(JSON.parse(readFileSync(join(mirror, `registry/sync/127.0.0.1-${upstream.port}.json`), 'utf8')).log.size).toBe(11);
    // The versions mirrored before keep the leaf they were proven as.
    expect(parse(readFileSync(join(mirror, 'registry/upstream/com.example/weather.yaml'), 'utf8')).versions['1.0.0'].log.treeSize).toBe(10);
  });

  it.each([
    {
      what: 'one served server.json',
      file: 'servers/com.example@weather@1.0.0.json',
      change: (b: Buffer) => Buffer.from(b.toString('utf8').replace('"1.0.0"', '"1.0.1"')),
      code: 'sync/log-file',
      says: /com\.example\/weather 1\.0\.0 \(leaf \d+\): the served servers\/com\.example@weather@1\.0\.0\.json does not hash to the logged sha256/,
    },
    {
      what: 'one tile',
      file: 'tile/0/000.p/10',
      change: (b: Buffer) => {
        b[32 * 3] = b[32 * 3]! ^ 1;
        return b;
      },
      code: 'sync/log-tiles',
      says: /leaf 3 does not hash to the hash its tile stores/,
    },
    {
      what: 'the checkpoint signature',
      file: 'checkpoint',
      change: (b: Buffer) => Buffer.from(b.toString('utf8').replace(/(\u2014 \S+ )(.)/, (_, head: string, c: string) => `${head}${c === 'A' ? 'B' : 'A'}`)),
      code: 'sync/log-checkpoint',
      says: /the checkpoint is not signed by 127\.0\.0\.1:4321\+[0-9a-f]{8}/,
    },
  ])('refuses an upstream whose $what was changed, and writes nothing', async ({ file, change, code, says }) => {
    await upstream.serve(await tampered(file, change));
    const mirror = newMirror();
    cleanup.push(mirror);
    const r = await sync(mirror, '--upstream-log-key', vkey, '--format', 'json');
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout).files.flatMap((f: { diagnostics: { code: string; message: string }[] }) => f.diagnostics);
    const failure = diagnostics.find((d: { code: string }) => d.code === code);
    expect(failure?.message, JSON.stringify(diagnostics)).toMatch(says);
    expect(failure?.message).toMatch(/nothing was written$/);
    expect(untouched(mirror)).toBe('');
    expect(readdirSync(mirror).sort()).toEqual(['.git', 'README.md']);
  });

  it('refuses a checkpoint signed by another key than the pinned one', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const otherRoot = fixtureRoot();
    cleanup.push(otherRoot);
    await upstream.serve(await build(otherRoot, { key: other }));
    const mirror = newMirror();
    cleanup.push(mirror);
    const r = await sync(mirror, '--upstream-log-key', vkey);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sync\/log-checkpoint/);
    expect(untouched(mirror)).toBe('');
  });

  it('refuses a rewritten history, a fork of the same size, and a log that disappeared, after an honest sync', async () => {
    const mirror = newMirror();
    cleanup.push(mirror);
    expect((await sync(mirror, '--upstream-log-key', vkey)).code).toBe(0);
    commitAll(mirror);
    const head = git(mirror, 'rev-parse', 'HEAD');

    // The upstream rebuilt its log from a history in which one published version says something else.
    const rewrite = (extra: boolean) => {
      const root = fixtureRoot();
      cleanup.push(root);
      const file = join(root, 'servers/com.example/weather/1.0.0.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/"description": ?"/, '$&rewritten '));
      if (extra) {
        mkdirSync(join(root, 'servers/zz.example/late'), { recursive: true });
        writeFileSync(join(root, 'servers/zz.example/late/1.0.0.json'), JSON.stringify(serverDoc('zz.example/late', '1.0.0', 'Published last')));
      }
      return build(root);
    };
    await upstream.serve(await rewrite(true));
    const rewritten = await sync(mirror, '--upstream-log-key', vkey);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toMatch(/sync\/log-inconsistent.*not consistent with the checkpoint of the previous sync \(size 10\): .*history was rewritten/);
    expect(untouched(mirror)).toBe('');

    await upstream.serve(await rewrite(false));
    const forked = await sync(mirror, '--upstream-log-key', vkey, '--full');
    expect(forked.code).toBe(1);
    expect(forked.stdout).toMatch(/sync\/log-inconsistent.*the log forked/);
    expect(untouched(mirror)).toBe('');

    // Without a pin, the checkpoint recorded before still makes the log required.
    const noLogRoot = fixtureRoot();
    cleanup.push(noLogRoot);
    await upstream.serve(await build(noLogRoot, { log: false }));
    const gone = await sync(mirror);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/sync\/log-unavailable.*the previous sync recorded its checkpoint \(size 10\)/);
    expect(untouched(mirror)).toBe('');
    expect(git(mirror, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('without a pin, trusts the key the upstream serves on first use, warns, and holds it to that key', async () => {
    const mirror = newMirror();
    cleanup.push(mirror);
    const first = await sync(mirror);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/sync\/log-key-unpinned.*trusted on first use/);
    expect(JSON.parse(readFileSync(join(mirror, `registry/sync/127.0.0.1-${upstream.port}.json`), 'utf8')).log.keys).toEqual([vkey]);
    commitAll(mirror);
    // The upstream now signs with a key nobody vouched for: the recorded key refuses it.
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const otherRoot = fixtureRoot();
    cleanup.push(otherRoot);
    await upstream.serve(await build(otherRoot, { key: other }));
    const second = await sync(mirror);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/sync\/log-checkpoint/);
    expect(untouched(mirror)).toBe('');
  });

  it('refuses an upstream without a log when a key is pinned in registry.config.yaml', async () => {
    const noLogRoot = fixtureRoot();
    cleanup.push(noLogRoot);
    await upstream.serve(await build(noLogRoot, { log: false }));
    const mirror = newMirror();
    cleanup.push(mirror);
    writeFileSync(join(mirror, 'registry.config.yaml'), `upstreams:\n  - url: ${upstream.url}\n    logKeys: ['${vkey}']\n`);
    commitAll(mirror);
    const r = await sync(mirror);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sync\/log-unavailable.*a log key is pinned for this upstream/);
    expect(untouched(mirror)).toBe('');
    // The same upstream without a pin, and never seen with a log, syncs as before.
    rmSync(join(mirror, 'registry.config.yaml'));
    commitAll(mirror);
    const unpinned = await sync(mirror);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout).not.toMatch(/upstream log/);
  });
});
