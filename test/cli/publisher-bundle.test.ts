/**
 * `mcp-registry-publish`, the one-file publisher: bundled, copied alone into an empty folder (no
 * node_modules, no schemas/), run on the system Node against a fake GitHub API on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundlePublisher } from '../../scripts/cli/bundle-publisher.ts';
import { type FakeGitHub, startFakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';

const run = promisify(execFile);

/** The Node an author has: the first `node` on PATH outside node_modules (the repo's own Node 24 lives there). */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    try {
      accessSync(join(dir, 'node'), constants.X_OK);
      return join(dir, 'node');
    } catch {}
  }
  return process.execPath;
}

const node = systemNode();
let bundle: string;
let text: string;
let gh: FakeGitHub;

beforeAll(async () => {
  text = await bundlePublisher();
  const dir = mkdtempSync(join(tmpdir(), 'publisher-bin-'));
  bundle = join(dir, 'mcp-registry-publish.js');
  writeFileSync(bundle, text);
}, 60_000);

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('alice-pat', 'alice');
  gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
  return () => gh.close();
});

async function publish(args: string[], file: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const author = mkdtempSync(join(tmpdir(), 'publisher-author-'));
  writeFileSync(join(author, 'server.json'), file);
  const started = performance.now();
  try {
    const { stdout, stderr } = await run(node, [bundle, ...args], {
      cwd: author,
      env: { PATH: process.env.PATH ?? '', GH_TOKEN: 'alice-pat' },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ms: performance.now() - started };
  }
}

describe('mcp-registry-publish (one file)', () => {
  it('has no dependencies: no node_modules above the folder it runs from, and it is small', () => {
    for (let dir = dirname(bundle); ; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
      if (dirname(dir) === dir) break;
    }
    expect(Buffer.byteLength(text)).toBeLessThan(5 * 1024 * 1024);
  });

  it('validates, then opens the registry pull request through the fork, in seconds', async () => {
    const r = await publish(['--registry', 'reg/registry', '--api-url', gh.url], serverJson('io.github.alice/weather', '1.0.0'));
    expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^created \S+\/pull\/\d+\n$/);
    const fork = gh.repos.get('alice/registry');
    expect(fork?.branches.get('mcp-registry/io.github.alice/weather/1.0.0')?.has('servers/io.github.alice/weather/1.0.0.json')).toBe(true);
    expect(gh.repos.get('reg/registry')?.issues[0]?.pull?.base).toBe('main');
    expect(r.ms).toBeLessThan(5000);
  });

  it('refuses an invalid file before it calls GitHub at all', async () => {
    const r = await publish(['--registry', 'reg/registry', '--api-url', gh.url], serverJson('io.github.alice/weather', 'latest'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error/);
    expect(gh.calls).toEqual([]);
  });

  it('with packages on a Node older than 22, refuses to publish unverified unless told --no-verify', async () => {
    const file = serverJson('io.github.alice/weather', '1.0.0', {
      packages: [{ registryType: 'npm', identifier: '@alice/weather', version: '1.0.0', transport: { type: 'stdio' } }],
    });
    const offline = await publish(['--registry', 'reg/registry', '--api-url', gh.url, '--no-verify'], file);
    expect(offline, offline.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created /) });
    expect(offline.stderr).toMatch(/not verified \(--no-verify\)/);
    const { stdout: version } = await run(node, ['--version']);
    // On Node 22 or later the bundle verifies (test/author/publish-verify.test.ts covers that path).
    if (Number(version.slice(1).split('.')[0]) >= 22) return;
    gh.calls.length = 0;
    const r = await publish(['--registry', 'reg/registry', '--api-url', gh.url], file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs Node 22 or later.*--no-verify/);
    expect(gh.calls).toEqual([]);
  });

  it('a dry run needs no token and no network', async () => {
    const author = mkdtempSync(join(tmpdir(), 'publisher-dry-'));
    writeFileSync(join(author, 'server.json'), serverJson('io.github.alice/weather', '2.0.0'));
    const { stdout } = await run(node, [bundle, '--dry-run'], { cwd: author, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toBe('dry run: server.json is valid and would be published as servers/io.github.alice/weather/2.0.0.json\n');
    expect(readFileSync(join(author, 'server.json'), 'utf8')).toContain('"2.0.0"');
  });
});
