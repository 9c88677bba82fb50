/**
 * The committed Action bundle, run as GitHub runs it (node, INPUT_* variables, an event file), against the
 * fake GitHub API and a real npm registry (Verdaccio), both on 127.0.0.1: the Action verifies packages before
 * it opens the pull request, as `mcp-registry publish` does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { serverJson } from '../fixtures/github/git-repo.ts';
import { startVerdaccio, type StartedVerdaccio } from '../helpers/verdaccio.ts';

const bundle = fileURLToPath(new URL('../../action/dist/index.js', import.meta.url));
const releaseEvent = fileURLToPath(new URL('../fixtures/github/release.published.json', import.meta.url));
let gh: FakeGitHub;
let npm: StartedVerdaccio;
let workspace: string;

beforeAll(async () => {
  npm = await startVerdaccio();
  // The release tag is v1.2.0: the stamped file names the package at 1.2.0.
  await npm.publish({ name: '@alice/weather', version: '1.2.0', mcpName: 'io.github.alice/weather' });
  await npm.publish({ name: '@alice/forecast', version: '1.2.0', mcpName: 'io.github.bob/forecast' });
}, 60_000);
afterAll(async () => {
  await npm?.close();
});

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('alice-pat', 'alice');
  gh.addRepo('reg/registry', { writers: ['maint'], files: { 'README.md': 'registry\n' } });
  workspace = mkdtempSync(join(tmpdir(), 'mcp-registry-action-'));
  writeFileSync(
    join(workspace, 'server.json'),
    serverJson('io.github.alice/weather', '1.0.0', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression written as data, on purpose
      title: 'Weather `${{ secrets.GITHUB_TOKEN }}` $(id)',
      packages: [{ registryType: 'npm', identifier: '@alice/weather', version: '1.0.0', transport: { type: 'stdio' } }],
    }),
  );
  writeFileSync(join(workspace, 'output.txt'), '');
});
afterEach(async () => {
  await gh.close();
  rmSync(workspace, { recursive: true, force: true });
});

function runAction(inputs: Record<string, string>): Promise<{ code: number; stdout: string; outputs: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_EVENT_NAME: 'release',
    GITHUB_EVENT_PATH: releaseEvent,
    GITHUB_REF: 'refs/tags/v1.2.0',
    GITHUB_REPOSITORY: 'alice/weather-mcp',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(workspace, 'output.txt'),
    GITHUB_API_URL: gh.url,
  };
  for (const [k, v] of Object.entries({ endpoints: `npm=${npm.origin}`, ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [bundle], { env, cwd: workspace, timeout: 60_000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, outputs: readFileSync(join(workspace, 'output.txt'), 'utf8') });
    });
  });
}

describe('the publish Action bundle', () => {
  it('opens a PR from a fork with the release version stamped in', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', 'server-json': 'server.json' });
    expect(r.code).toBe(0);
    const fork = gh.repos.get('alice/registry')!;
    const content = fork.branches.get('mcp-registry/io.github.alice/weather/1.2.0')!.get('servers/io.github.alice/weather/1.2.0.json')!;
    expect(JSON.parse(content)).toMatchObject({ version: '1.2.0', packages: [{ version: '1.2.0' }] });
    const pr = gh.repos.get('reg/registry')!.issues[0]!;
    expect(pr).toMatchObject({ title: 'Publish io.github.alice/weather 1.2.0', pull: { head: { owner: 'alice' } } });
    expect(r.outputs).toMatch(/pull-request-number<<.*\n1\n/);
    // Verified before the PR opened, against the npm registry named by the endpoints input.
    const proof = 'the npm package @alice/weather@1.2.0 exists and names io.github.alice/weather in its mcpName';
    expect(r.stdout).toContain(`✓ ${proof}`);
    expect(r.outputs).toMatch(new RegExp(`verified<<.*\\n${proof.replace(/[.@/]/g, '\\$&')}\\n`));
  });

  it('refuses a package that names another server: an annotation on its line, no pull request, no API call', async () => {
    writeFileSync(
      join(workspace, 'server.json'),
      serverJson('io.github.alice/weather', '1.0.0', {
        packages: [{ registryType: 'npm', identifier: '@alice/forecast', version: '1.0.0', transport: { type: 'stdio' } }],
      }),
    );
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error file=server\.json,line=\d+,col=\d+::verify\/npm-mcpname-mismatch: .*io\.github\.bob\/forecast/);
    expect(r.stdout).toContain('::error::no pull request was opened: server.json failed 1 check(s)');
    expect(gh.calls).toEqual([]);
    expect(r.outputs).not.toContain('pull-request-url');
  });

  it('opens nothing when the package registry cannot be reached, and names verify: false', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', endpoints: 'npm=http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('verify/service-unreachable');
    expect(r.stdout).toMatch(/::error::no pull request was opened: a package registry could not be reached.*verify: false/);
    expect(gh.calls).toEqual([]);
  });

  it('with verify: false publishes unverified and says what it skipped', async () => {
    writeFileSync(
      join(workspace, 'server.json'),
      serverJson('io.github.alice/weather', '1.0.0', {
        packages: [{ registryType: 'npm', identifier: '@alice/forecast', version: '1.0.0', transport: { type: 'stdio' } }],
      }),
    );
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', verify: 'false' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not verified (verify: false): packages were not checked to name the server');
    expect(gh.repos.get('reg/registry')!.issues).toHaveLength(1);
  });

  it('on a dry run validates and stamps only: the path, no verification, no API call', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', 'dry-run': 'true', endpoints: 'npm=http://127.0.0.1:9' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs).toMatch(/path<<.*\nservers\/io\.github\.alice\/weather\/1\.2\.0\.json\n/);
    expect(r.stdout).toContain('dry run: server.json is valid and would be published as servers/io.github.alice/weather/1.2.0.json');
    expect(gh.calls).toEqual([]);
  });

  it('refuses a verify input that is not true or false', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', verify: 'no' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::the input verify must be true or false, got "no"');
    expect(gh.calls).toEqual([]);
  });

  it('refuses a malformed endpoints line before reading anything', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', endpoints: `npm=${npm.origin}\nregistry.example.com` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::endpoints expects TYPE=URL .*got 'registry\.example\.com'/);
    expect(gh.calls).toEqual([]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression written as data, on purpose
  it('carries ${{ }} and backticks from server.json as bytes, never through a shell', async () => {
    await runAction({ token: 'alice-pat', registry: 'reg/registry' });
    const put = gh.calls.find((c) => c.method === 'PUT' && c.path.includes('/contents/'))!;
    const sent = Buffer.from((put.body as { content: string }).content, 'base64').toString('utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression written as data, on purpose
    expect(JSON.parse(sent).title).toBe('Weather `${{ secrets.GITHUB_TOKEN }}` $(id)');
  });

  it('updates the open PR instead of opening a second one when run again', async () => {
    await runAction({ token: 'alice-pat', registry: 'reg/registry' });
    const again = await runAction({ token: 'alice-pat', registry: 'reg/registry' });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/updated/);
    expect(gh.repos.get('reg/registry')!.issues).toHaveLength(1);
  });

  it('signs the stamped file for a domain namespace when given a key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { parseSignatureFile, sha256Hex } = await import('../../scripts/sign/signature-file.ts');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(
      join(workspace, 'server.json'),
      serverJson('com.example/weather', '1.0.0', { remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/weather' }] }),
    );
    // The remote's host is not resolvable offline: this test is about signing, so it skips verification.
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', 'signing-key': pem, verify: 'false' });
    expect(r.code).toBe(0);
    const keyBody = pem.split('\n')[1]!;
    expect(r.stdout).toContain(`::add-mask::${keyBody}`);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(keyBody);
    const branch = gh.repos.get('alice/registry')!.branches.get('mcp-registry/com.example/weather/1.2.0')!;
    const content = branch.get('servers/com.example/weather/1.2.0.json')!;
    const sig = parseSignatureFile(branch.get('servers/com.example/weather/1.2.0.json.sig')!);
    expect(sig.ok && sig.value).toMatchObject({ name: 'com.example/weather', version: '1.2.0', sha256: sha256Hex(Buffer.from(content)) });
  });

  it('refuses an unusable signing key before calling the API', async () => {
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry', 'signing-key': 'not a key' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/publish\/signing-key/);
    expect(gh.calls).toEqual([]);
  });

  it('fails with the input named when a required input is missing', async () => {
    const r = await runAction({ registry: 'reg/registry' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error::Input required and not supplied: token');
    expect(gh.calls).toEqual([]);
  });

  it('reports validation errors as annotations and calls no API', async () => {
    writeFileSync(join(workspace, 'server.json'), serverJson('not a name', '1.0.0'));
    const r = await runAction({ token: 'alice-pat', registry: 'reg/registry' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error file=server\.json.*::/);
    expect(gh.calls).toEqual([]);
  });

  it('fails clearly on a bad token', async () => {
    const r = await runAction({ token: 'wrong', registry: 'reg/registry' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::GET http:\/\/127\.0\.0\.1:\d+\/user → 401/);
  });
});
