import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRegistryConfig } from '../../scripts/config/registry-config.ts';
import { openRegistryPr } from '../../scripts/author/open-pr.ts';
import { branchName, planPublication, stampVersion, versionFromTag, type PublishPlan } from '../../scripts/author/publish-plan.ts';
import { createGitHubClient } from '../../scripts/net/github-client.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';

const config = parseRegistryConfig(undefined);

function plan(version = '1.0.0'): PublishPlan {
  const r = planPublication(serverJson('io.github.alice/weather', version), { config, label: 'server.json' });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

describe('publication plan', () => {
  it.each([
    ['v1.2.3', '1.2.3'],
    ['refs/tags/v1.2.3', '1.2.3'],
    ['release-2.0.0-rc.1', '2.0.0-rc.1'],
    ['weather/v0.3.0', '0.3.0'],
    ['2026.11.24', '2026.11.24'],
  ])('reads version %s from tag as %s', (tag, version) => {
    expect(versionFromTag(tag)).toBe(version);
  });

  it('stamps the server version and packages released with it, not packages pinned elsewhere', () => {
    const doc = {
      name: 'a/b',
      version: '1.0.0',
      packages: [
        { registryType: 'npm', version: '1.0.0' },
        { registryType: 'oci', version: '7.0.0' },
      ],
    };
    expect(stampVersion(doc, '1.1.0')).toMatchObject({ version: '1.1.0', packages: [{ version: '1.1.0' }, { version: '7.0.0' }] });
  });

  it('names the registry path after name and version', () => {
    expect(plan('2.1.0').path).toBe('servers/io.github.alice/weather/2.1.0.json');
  });

  it('makes a safe branch name out of any version', () => {
    const name = branchName('io.github.alice/weather', '1.0.0+build;$(id)`x`..lock');
    expect(name).toBe('mcp-registry/io.github.alice/weather/1.0.0-build---id--x--lock');
    expect(name).toMatch(/^[A-Za-z0-9._/-]+$/);
  });

  it('refuses an invalid document with validate’s diagnostics', () => {
    const r = planPublication(serverJson('io.github.alice/weather', 'latest'), { config, label: 'server.json' });
    expect(r.ok).toBe(false);
  });

  it('points at the broken spot of malformed JSON', () => {
    const r = planPublication('{"name": "a/b",\n  "version": }', { config, label: 'server.json' });
    expect(!r.ok && r.diagnostics[0]!.line).toBe(2);
  });

  it('escapes the description in the PR body', () => {
    const r = planPublication(serverJson('io.github.alice/weather', '1.0.0', { description: '<script>@everyone</script>' }), { config, label: 'server.json' });
    expect(r.ok && r.value.body).not.toMatch(/<script>|@everyone/);
  });
});

describe('opening the registry pull request', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.tokens.set('maint-pat', 'maint');
    gh.tokens.set('alice-pat', 'alice');
    gh.addRepo('reg/registry', { writers: ['maint'], files: { 'README.md': 'x\n' } });
  });
  afterEach(() => gh.close());
  const client = (token: string) => createGitHubClient({ baseUrl: gh.url, token, sleep: async () => {} });

  it('branches on the registry itself when the token may push', async () => {
    const outcome = await openRegistryPr(client('maint-pat'), plan(), { registry: 'reg/registry' });
    expect(outcome).toMatchObject({ status: 'created', headRepository: 'reg/registry', branch: 'mcp-registry/io.github.alice/weather/1.0.0' });
    expect(gh.calls.some((c) => c.path.endsWith('/forks'))).toBe(false);
  });

  it('goes through a fork when the token may not push', async () => {
    const outcome = await openRegistryPr(client('alice-pat'), plan(), { registry: 'reg/registry' });
    expect(outcome).toMatchObject({ status: 'created', headRepository: 'alice/registry' });
  });

  it('waits for a fresh fork to become usable', async () => {
    gh.failNext({ method: 'POST', path: /^\/repos\/alice\/registry\/git\/refs$/, status: 404, times: 2 });
    const outcome = await openRegistryPr(client('alice-pat'), plan(), { registry: 'reg/registry' });
    expect(outcome.status).toBe('created');
  });

  it('does nothing when the same bytes are already published', async () => {
    const p = plan();
    gh.repos.get('reg/registry')!.branches.get('main')!.set(p.path, p.content);
    expect(await openRegistryPr(client('alice-pat'), p, { registry: 'reg/registry' })).toEqual({ status: 'already-published', path: p.path });
  });

  it('refuses to change a published version', async () => {
    const p = plan();
    gh.repos.get('reg/registry')!.branches.get('main')!.set(p.path, '{}\n');
    expect(await openRegistryPr(client('alice-pat'), p, { registry: 'reg/registry' })).toMatchObject({ status: 'refused', code: 'publish/already-published' });
    expect(gh.calls.some((c) => c.method !== 'GET')).toBe(false);
  });

  it('targets another base branch of a subregistry', async () => {
    gh.repos.get('reg/registry')!.branches.set('staging', new Map());
    await openRegistryPr(client('alice-pat'), plan(), { registry: 'reg/registry', baseBranch: 'staging' });
    expect(gh.repos.get('reg/registry')!.issues[0]!.pull!.base).toBe('staging');
  });

  it('refuses a missing base branch by name', async () => {
    expect(await openRegistryPr(client('alice-pat'), plan(), { registry: 'reg/registry', baseBranch: 'nope' })).toMatchObject({
      status: 'refused',
      code: 'publish/no-base-branch',
    });
  });

  it('surfaces GitHub’s 422 with method and URL', async () => {
    gh.failNext({
      method: 'POST',
      path: /\/pulls$/,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and x' }] },
    });
    await expect(openRegistryPr(client('alice-pat'), plan(), { registry: 'reg/registry' })).rejects.toThrow(
      /POST http:\/\/127\.0\.0\.1:\d+\/repos\/reg\/registry\/pulls → 422/,
    );
  });
});

describe('mcp-registry publish', () => {
  let gh: FakeGitHub;
  let dir: string;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    gh.tokens.set('alice-pat', 'alice');
    gh.addRepo('reg/registry', { files: { 'README.md': 'x\n' } });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(`${tmpdir()}/mcp-registry-publish-`);
    writeFileSync(`${dir}/server.json`, serverJson('io.github.alice/weather', '1.0.0'));
  });
  afterEach(async () => {
    await gh.close();
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(argv: string[], env: Record<string, string> = {}) {
    const { main } = await import('../../scripts/cli/main.ts');
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['publish', ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env });
    return { code, out: out.join(''), err: err.join('') };
  }

  it('opens the PR with the version from a tag', async () => {
    const r = await cli(['--registry', 'reg/registry', '--version', 'v1.3.0', '--api-url', gh.url], { GH_TOKEN: 'alice-pat' });
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^created https:\/\/github\.example\/reg\/registry\/pull\/1/) });
  });

  it('validates without contacting anyone in a dry run', async () => {
    const r = await cli(['--dry-run']);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/servers\/io\.github\.alice\/weather\/1\.0\.0\.json/) });
    expect(gh.calls).toEqual([]);
  });

  it('checks the signing key even in a dry run', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/key.pem`, 'not a key\n');
    const r = await cli(['--dry-run', '--key-file', 'key.pem']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/publish\/signing-key/);
  });

  it('exits 2 without a token', async () => {
    expect((await cli(['--registry', 'reg/registry', '--api-url', gh.url])).code).toBe(2);
  });

  it('says the token was refused, with exit 2 and no stack trace, when GitHub answers 401', async () => {
    const r = await cli(['--registry', 'reg/registry', '--api-url', gh.url], { GH_TOKEN: 'not-a-token' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('GitHub refused the token');
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });

  it('says the registry was not found when --registry names no repository', async () => {
    const r = await cli(['--registry', 'reg/no-such-registry', '--api-url', gh.url], { GH_TOKEN: 'alice-pat' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('the registry reg/no-such-registry was not found');
    expect(r.err).toContain('check --registry OWNER/NAME');
  });

  it('exits 1 and prints the validate report as JSON for a bad file', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/server.json`, '{"name": 1}');
    const r = await cli(['--dry-run', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, files: [{ path: 'server.json', ok: false }] });
  });
});
