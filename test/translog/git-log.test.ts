/**
 * The log across builds of a real git repository: a version that reaches the registry later is
 * appended, whatever publishedAt it carries (an older author date, a pull request whose branch
 * commit is older), so `audit --since` proves the new tree extends the old one; the cached
 * first-parent order gives the same bytes as a full walk; a rewritten history is caught.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import audit from '../../scripts/cli/commands/audit.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { apiEmitter } from '../../scripts/emit/api-emitter.ts';
import { LOG_ORDER_CACHE } from '../../scripts/emit/build-cache.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { logEmitter } from '../../scripts/emit/log-emitter.ts';
import { serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function git(cwd: string, args: string[], date = '2026-05-01T00:00:00Z'): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

function publish(root: string, name: string, version: string, date: string, description = 'A test server'): void {
  const dir = join(root, 'servers', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${version}.json`), `${JSON.stringify(serverDoc(name, version, description), null, 2)}\n`);
  git(root, ['add', 'servers'], date);
  git(root, ['commit', '-q', '-m', `publish ${name} ${version}`], date);
}

async function build(root: string, out: string, cacheDir?: string): Promise<string> {
  const result = await buildRegistry({
    root,
    config: structuredClone(DEFAULT_CONFIG),
    host: 'node',
    out,
    emitters: [apiEmitter, logEmitter],
    logKey: pem,
    ...(cacheDir === undefined ? {} : { cacheDir }),
  });
  if (!result.written) throw new Error(`build failed: ${JSON.stringify(result.report)}`);
  return out;
}

function entriesOf(dist: string): { name: string; version: string; publishedAt: string; sha256: string }[] {
  const dir = join(dist, 'log/tile/entries');
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.p')) as string);
  const bundle = readFileSync(join(file, readdirSync(file)[0] as string));
  const out = [];
  for (let at = 0; at < bundle.length; ) {
    const n = (bundle[at]! << 8) | bundle[at + 1]!;
    out.push(JSON.parse(bundle.subarray(at + 2, at + 2 + n).toString('utf8')));
    at += 2 + n;
  }
  return out;
}

function logFilesOf(dist: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dist, p), readFileSync(p).toString('base64'));
    }
  };
  walk(join(dist, 'log'));
  return out;
}

let served = '';
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    try {
      res.writeHead(200).end(readFileSync(join(served, path)));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

async function runAudit(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await audit.run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

describe('the transparency log over git history', () => {
  it('appends a later version with an older publishedAt, and audit --since proves the extension', async () => {
    const root = tempDir('git-log');
    git(root, ['init', '-q', '-b', 'main']);
    publish(root, 'com.example/weather', '1.0.0', '2026-03-01T00:00:00Z');
    publish(root, 'com.example/weather', '1.1.0', '2026-04-01T00:00:00Z');
    const first = await build(root, join(root, 'dist1'), '.cache');
    expect(entriesOf(first).map((e) => `${e.name}@${e.version}`)).toEqual(['com.example/weather@1.0.0', 'com.example/weather@1.1.0']);
    const cache = JSON.parse(readFileSync(join(root, '.cache', LOG_ORDER_CACHE), 'utf8'));
    expect(cache).toMatchObject({ format: 'log-order/2', head: git(root, ['rev-parse', 'HEAD']).trim(), commits: 2 });
    const cwd = tempDir('git-log-audit');
    writeFileSync(join(cwd, 'seen.checkpoint'), readFileSync(join(first, 'log/checkpoint')));
    const vkey = readFileSync(join(first, 'log/key'), 'utf8').trim();

    // Later: a mirrored version dated 2024 (sorts first by date and by name), and a pull request
    // whose branch commit is older than main's newest commit, merged last.
    publish(root, 'com.example/aaa-mirrored', '0.5.0', '2024-01-01T00:00:00Z');
    git(root, ['checkout', '-q', '-b', 'pr', 'HEAD~1']);
    publish(root, 'com.example/abc', '1.0.0', '2025-06-01T00:00:00Z');
    git(root, ['checkout', '-q', 'main']);
    git(root, ['merge', '-q', '--no-ff', '-m', 'merge pr', 'pr'], '2026-06-01T00:00:00Z');
    const second = await build(root, join(root, 'dist2'), '.cache');
    const entries = entriesOf(second);
    expect(entries.map((e) => `${e.name}@${e.version} ${e.publishedAt}`)).toEqual([
      'com.example/weather@1.0.0 2026-03-01T00:00:00.000Z',
      'com.example/weather@1.1.0 2026-04-01T00:00:00.000Z',
      'com.example/aaa-mirrored@0.5.0 2024-01-01T00:00:00.000Z',
      'com.example/abc@1.0.0 2025-06-01T00:00:00.000Z',
    ]);
    expect(JSON.parse(readFileSync(join(root, '.cache', LOG_ORDER_CACHE), 'utf8')).commits).toBe(4);

    // Each version's _meta names its leaf, and the leaf hashes the file.
    const answer = JSON.parse(readFileSync(join(second, 'v0.1/entries/com.example@aaa-mirrored@0.5.0.json'), 'utf8'));
    expect(answer._meta[DEFAULT_CONFIG.metaNamespace].log).toEqual({ leafIndex: 2, sha256: entries[2]!.sha256 });

    served = second;
    const extended = await runAudit(['--from', url, '--key', vkey, '--since', 'seen.checkpoint', '--save', 'now.checkpoint'], cwd);
    expect(extended.stderr).toBe('');
    expect(extended.code).toBe(0);
    expect(extended.stdout).toContain(': 4 entries, root');
    expect(extended.stdout).toContain('4 served server.json files hash to their entries');
    expect(extended.stdout).toContain('extends the previous checkpoint of 2 entries');

    // Status changes are leaves too, appended where their commit lands: deprecate, then restore.
    const statusFile = join(root, 'registry/status/com.example/weather.yaml');
    mkdirSync(join(statusFile, '..'), { recursive: true });
    writeFileSync(statusFile, 'versions:\n  "1.0.0":\n    status: deprecated\n    statusMessage: Use 1.1.0\n    statusChangedAt: 2026-07-01T00:00:00Z\n');
    git(root, ['add', 'registry'], '2026-07-01T00:00:00Z');
    git(root, ['commit', '-q', '-m', 'deprecate'], '2026-07-01T00:00:00Z');
    const third = await build(root, join(root, 'dist2b'), '.cache');
    rmSync(statusFile);
    git(root, ['add', '-A', 'registry'], '2026-07-02T00:00:00Z');
    git(root, ['commit', '-q', '-m', 'restore'], '2026-07-02T00:00:00Z');
    const fourth = await build(root, join(root, 'dist2c'), '.cache');
    const withStatus = entriesOf(fourth) as { name: string; version: string; publishedAt: string; sha256: string; status?: string }[];
    expect(withStatus.slice(4).map((e) => `${e.name}@${e.version} ${e.status} ${e.publishedAt}`)).toEqual([
      'com.example/weather@1.0.0 deprecated 2026-07-01T00:00:00Z',
      'com.example/weather@1.0.0 active 2026-07-02T00:00:00.000Z',
    ]);
    expect(withStatus[4]!.sha256).toBe(entries[0]!.sha256);
    served = third;
    expect((await runAudit(['--from', url, '--key', vkey, '--since', 'now.checkpoint', '--save', 'third.checkpoint'], cwd)).code).toBe(0);
    served = fourth;
    const restored = await runAudit(['--from', url, '--key', vkey, '--since', 'third.checkpoint'], cwd);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toContain('extends the previous checkpoint of 5 entries');
    expect(restored.stdout).toContain('4 served server.json files hash to their entries');

    // The cached, incremental order is the order of a full walk: a clean build writes the same log.
    const fresh = await build(root, join(root, 'dist3'));
    expect(logFilesOf(fresh)).toEqual(logFilesOf(fourth));

    // Someone rewrites history: the first version's file changes in an otherwise equal history.
    git(root, ['checkout', '-q', '--orphan', 'rewritten']);
    git(root, ['rm', '-rq', '--cached', '.']);
    rmSync(join(root, 'servers'), { recursive: true, force: true });
    publish(root, 'com.example/weather', '1.0.0', '2026-03-01T00:00:00Z', 'A test server, quietly changed');
    publish(root, 'com.example/weather', '1.1.0', '2026-04-01T00:00:00Z');
    publish(root, 'com.example/aaa-mirrored', '0.5.0', '2024-01-01T00:00:00Z');
    publish(root, 'com.example/abc', '1.0.0', '2025-06-01T00:00:00Z');
    git(root, ['branch', '-q', '-f', 'main', 'rewritten']);
    git(root, ['checkout', '-q', 'main']);
    served = await build(root, join(root, 'dist4'), '.cache');
    expect(entriesOf(served).map((e) => `${e.name}@${e.version}`)).toEqual(entries.map((e) => `${e.name}@${e.version}`));
    for (const seen of ['seen.checkpoint', 'now.checkpoint']) {
      const caught = await runAudit(['--from', url, '--key', vkey, '--since', seen], cwd);
      expect(caught.code, seen).toBe(1);
      expect(caught.stderr, seen).toMatch(seen === 'seen.checkpoint' ? /history was rewritten/ : /the log forked/);
    }
  }, 120_000);
});
