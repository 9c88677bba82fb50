/**
 * `mcp-registry publish` verifies packages before it opens the pull request: a real npm registry (Verdaccio)
 * and the fake GitHub API, both on 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';
import { startVerdaccio, type StartedVerdaccio } from '../helpers/verdaccio.ts';

let npm: StartedVerdaccio;
let gh: FakeGitHub;
let dir: string;

beforeAll(async () => {
  npm = await startVerdaccio();
  await npm.publish({ name: '@alice/weather', version: '1.0.0', mcpName: 'io.github.alice/weather' });
  await npm.publish({ name: 'plain-weather', version: '1.0.0' });
}, 60_000);
afterAll(async () => {
  await npm?.close();
});

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('alice-pat', 'alice');
  gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
  dir = mkdtempSync(join(tmpdir(), 'mcp-registry-publish-verify-'));
});
afterEach(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeServer(identifier: string): void {
  writeFileSync(
    join(dir, 'server.json'),
    serverJson('io.github.alice/weather', '1.0.0', { packages: [{ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' } }] }),
  );
}

async function publish(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['publish', '--registry', 'reg/registry', '--api-url', gh.url, ...argv], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: dir,
    env: { GH_TOKEN: 'alice-pat' },
  });
  return { code, out: out.join(''), err: err.join('') };
}

const wrote = () => gh.calls.filter((c) => c.method !== 'GET');

describe('publish verifies before it opens the pull request', () => {
  it('opens the PR when the package names the server, and says what it proved', async () => {
    writeServer('@alice/weather');
    const r = await publish(['--endpoint', `npm=${npm.origin}`]);
    expect(r, r.err).toMatchObject({ code: 0, out: expect.stringMatching(/^created \S+\/pull\/1\n$/) });
    expect(r.err).toContain('the npm package @alice/weather@1.0.0 exists and names io.github.alice/weather in its mcpName');
    expect(r.err).toContain('namespace ownership is proven by the registry');
    expect(gh.repos.get('reg/registry')?.issues).toHaveLength(1);
  });

  it('opens nothing and exits 1 with file, line, pointer, code and the fix when the package does not name the server', async () => {
    writeServer('plain-weather');
    const r = await publish(['--endpoint', `npm=${npm.origin}`, '--format', 'json']);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.out).files[0].diagnostics;
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'verify/npm-mcpname-missing', pointer: '/packages/0/identifier', line: expect.any(Number), severity: 'error' }),
    ]);
    expect(diagnostics[0].line).toBeGreaterThan(1);
    expect(diagnostics[0].message).toMatch(/mcpName/);
    expect(r.err).toContain('no pull request was opened');
    expect(wrote()).toEqual([]);
    expect(gh.repos.get('reg/registry')?.issues ?? []).toHaveLength(0);
  });

  it('exits 2 and opens nothing when the package registry cannot be reached, and names --no-verify', async () => {
    writeServer('@alice/weather');
    const r = await publish(['--endpoint', 'npm=http://127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('verify/service-unreachable');
    expect(r.err).toContain('--no-verify');
    expect(wrote()).toEqual([]);
  });

  it('exits 2 on an --endpoint that is not TYPE=URL, before reading the file or calling anyone', async () => {
    const r = await publish(['--endpoint', 'npm.example.com']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--endpoint expects TYPE=URL .*got 'npm\.example\.com'/);
    expect(gh.calls).toEqual([]);
  });

  it('--no-verify publishes offline and says what it skipped', async () => {
    writeServer('plain-weather');
    const r = await publish(['--no-verify', '--endpoint', 'npm=http://127.0.0.1:9']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^created /);
    expect(r.err).toMatch(/not verified \(--no-verify\): packages were not checked to name the server/);
  });
});
