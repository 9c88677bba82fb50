import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { mayVerify, readPullRequestEvent, type PullRequestEvent } from '../../scripts/github/pr-event.ts';
import { isPrCheckResult } from '../../scripts/github/report-guard.ts';
import { createCliRunner, type CliRunner } from '../../scripts/github/run-checks.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const NPM_PACKAGE = { packages: [{ registryType: 'npm', identifier: '@alice/weather', version: '1.1.0', transport: { type: 'stdio' } }] };

let repo: TestRepo;
let base: string;
let scratch: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson('io.github.alice/weather', '1.0.0', NPM_PACKAGE));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
  scratch = mkdtempSync(join(tmpdir(), 'mcp-registry-prcheck-'));
});
afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function event(over: Partial<PullRequestEvent> = {}): PullRequestEvent {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed.value, baseSha: base, ...over };
}

function check(head: string, runCli: CliRunner = createCliRunner(), over: Partial<PullRequestEvent> = {}) {
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: event({ headSha: head, ...over }),
    maintainer: async () => ({ maintainer: false }),
    verify: false,
    endpoints: [],
    maxFiles: 100,
    runCli,
  });
}

describe('pull_request event payload', () => {
  it('reads number, commits, author and association from a real-shaped payload', () => {
    expect(readPullRequestEvent(payload)).toMatchObject({
      ok: true,
      value: {
        number: 42,
        author: 'alice',
        authorAssociation: 'CONTRIBUTOR',
        isFork: false,
        repository: 'mcp-static-registry/registry',
        baseRef: 'main',
        defaultBranch: 'main',
      },
    });
  });

  it('reads the base branch and the default branch, so the bot can refuse any other base', () => {
    const other = structuredClone(payload);
    other.pull_request.base.ref = 'release';
    delete other.pull_request.base.repo.default_branch;
    expect(readPullRequestEvent(other)).toMatchObject({ ok: true, value: { baseRef: 'release', defaultBranch: 'main' } });
    delete other.repository.default_branch;
    const unknown = readPullRequestEvent(other);
    expect(unknown.ok && unknown.value.defaultBranch).toBeUndefined();
  });

  it('recognises a fork by the head repository', () => {
    const fork = structuredClone(payload);
    fork.pull_request.head.repo.full_name = 'alice/registry';
    expect(readPullRequestEvent(fork)).toMatchObject({ ok: true, value: { isFork: true } });
  });

  it('treats a deleted head repository as a fork', () => {
    const gone = structuredClone(payload);
    gone.pull_request.head.repo = null;
    expect(readPullRequestEvent(gone)).toMatchObject({ ok: true, value: { isFork: true } });
  });

  it('lets a fork PR reach the network only in the run started by the safe-to-verify label', () => {
    const fork = structuredClone(payload);
    fork.pull_request.head.repo.full_name = 'alice/registry';
    fork.pull_request.labels = [{ name: 'safe-to-verify' }];
    const pushed = readPullRequestEvent({ ...fork, action: 'synchronize' });
    const labelled = readPullRequestEvent({ ...fork, action: 'labeled', label: { name: 'safe-to-verify' } });
    expect(pushed.ok && mayVerify(pushed.value)).toBe(false);
    expect(labelled.ok && mayVerify(labelled.value)).toBe(true);
    const own = readPullRequestEvent(payload);
    expect(own.ok && mayVerify(own.value)).toBe(true);
  });

  it('refuses a payload that is not a pull_request event (a push)', () => {
    const push = JSON.parse(readFileSync(new URL('../fixtures/github/push.main.json', import.meta.url), 'utf8'));
    expect(readPullRequestEvent(push)).toMatchObject({ ok: false, error: expect.stringMatching(/pull_request events/) });
  });
});

describe('running the PR check on a real repository with the real validate command', () => {
  it('passes a valid new version and waits for verification when verify did not run', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0', NPM_PACKAGE));
    const result = await check(repo.commit('add 1.1.0'));
    expect(result.files[0]).toMatchObject({
      kind: 'new-version',
      checks: { immutability: 'passed', validate: 'passed', verify: 'pending', ownership: 'passed' },
    });
    expect(result).toMatchObject({ ok: true, autoMerge: false, labels: ['new-version', 'needs-review'] });
  });

  it('reports validate diagnostics for a broken server.json', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', 'latest'));
    const result = await check(repo.commit('bad'));
    expect(result.ok).toBe(false);
    expect(result.files[0]!.checks.validate).toBe('failed');
    expect(result.files[0]!.diagnostics.length).toBeGreaterThan(0);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression written as data, on purpose
  it('treats ${{ }}, $( ) and backticks in server.json strings as data', async () => {
    const marker = join(scratch, 'pwned');
    const hostile = `\${{ github.token }} $(touch ${marker}) \`touch ${marker}\``;
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0', { ...NPM_PACKAGE, title: hostile.slice(0, 100) }));
    await check(repo.commit('hostile'));
    expect(existsSync(marker)).toBe(false);
  });

  it('checks a PR whose branch name holds shell metacharacters', async () => {
    const marker = join(scratch, 'pwned2');
    repo.run('checkout', '-q', '-b', `x;touch$IFS${marker.replace(/\//g, '-')}|$(id)&`);
    repo.write('servers/io.github.alice/weather/1.2.0.json', serverJson('io.github.alice/weather', '1.2.0', NPM_PACKAGE));
    repo.commit('add 1.2.0');
    const branch = repo.run('rev-parse', '--abbrev-ref', 'HEAD').trim();
    const result = await check(branch, createCliRunner(), { headRef: branch });
    expect(result.files.map((f) => f.path)).toEqual(['servers/io.github.alice/weather/1.2.0.json']);
    expect(existsSync(marker)).toBe(false);
  });

  it('checks lifecycle files against the published versions', async () => {
    repo.write(
      'registry/status/io.github.alice/weather.yaml',
      'versions:\n  "9.9.9":\n    status: deprecated\n    statusMessage: old\n    statusChangedAt: "2026-01-01T00:00:00Z"\n',
    );
    const result = await check(repo.commit('deprecate'));
    expect(result.files[0]).toMatchObject({ kind: 'lifecycle', checks: { validate: 'failed' } });
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/unknown-version']);
  });

  it('auto-merges a valid deprecation by the namespace owner', async () => {
    repo.write(
      'registry/status/io.github.alice/weather.yaml',
      'versions:\n  "1.0.0":\n    status: deprecated\n    statusMessage: Use 1.1.0\n    statusChangedAt: "2026-01-01T00:00:00Z"\n',
    );
    const result = await check(repo.commit('deprecate'));
    expect(result).toMatchObject({ ok: true, autoMerge: true });
  });

  it('checks against the base branch’s registry.config.yaml, not the one the PR brings', async () => {
    repo.write('registry.config.yaml', 'blockedNamespaces: [io.github.mallory]\n');
    base = repo.commit('block mallory');
    repo.write('registry.config.yaml', 'blockedNamespaces: []\n');
    repo.write('servers/io.github.mallory/x/1.0.0.json', serverJson('io.github.mallory/x', '1.0.0'));
    const result = await check(repo.commit('unblock myself'));
    const server = result.files.find((f) => f.path.startsWith('servers/'))!;
    expect(server.diagnostics.map((d) => d.code)).toContain('name/blocked-namespace');
    expect(result.files.find((f) => f.path === 'registry.config.yaml')!.kind).toBe('other');
  });

  it('reads only committed files: an untracked file in the PR checkout does not exist for the checks', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0', NPM_PACKAGE));
    const head = repo.commit('add');
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', 'latest'));
    const result = await check(head);
    expect(result.files[0]!.checks.validate).toBe('passed');
  });

  it('judges a re-signed signature by its version file', async () => {
    repo.write('servers/io.github.alice/weather/1.0.0.json.sig', 'old\n');
    base = repo.commit('signed');
    repo.write('servers/io.github.alice/weather/1.0.0.json.sig', 'new\n');
    const head = repo.commit('re-sign');
    const seen: string[][] = [];
    const runCli: CliRunner = async (args) => {
      seen.push([...args]);
      return {
        ok: true,
        value: {
          ok: false,
          files: [
            {
              path: 'servers/io.github.alice/weather/1.0.0.json',
              ok: false,
              diagnostics: [{ code: 'domain/signature-invalid', severity: 'error', message: 'bad signature', pointer: '', line: 0, column: 0 }],
            },
          ],
        },
      };
    };
    const result = await runPrCheck({
      repo: repo.dir,
      base,
      head,
      event: event({ headSha: head }),
      maintainer: async () => ({ maintainer: false }),
      verify: true,
      endpoints: [],
      maxFiles: 100,
      runCli,
    });
    expect(seen[0]!.at(-1)).toBe('servers/io.github.alice/weather/1.0.0.json');
    expect(result.files[0]).toMatchObject({ path: 'servers/io.github.alice/weather/1.0.0.json.sig', checks: { immutability: 'passed', verify: 'failed' } });
    expect(result.ok).toBe(false);
  });

  it('passes the PR author to verify and ends options before the paths', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0', NPM_PACKAGE));
    const head = repo.commit('add');
    const seen: string[][] = [];
    const runCli: CliRunner = async (args) => {
      seen.push([...args]);
      return { ok: true, value: { ok: true, files: [{ path: 'servers/io.github.alice/weather/1.1.0.json', ok: true, diagnostics: [] }] } };
    };
    const result = await runPrCheck({
      repo: repo.dir,
      base,
      head,
      event: event({ headSha: head }),
      maintainer: async () => ({ maintainer: false }),
      verify: true,
      endpoints: ['npm=http://127.0.0.1:1'],
      maxFiles: 100,
      runCli,
    });
    expect(seen[1]).toEqual([
      'verify',
      '--format',
      'json',
      '--author',
      'alice',
      '--endpoint',
      'npm=http://127.0.0.1:1',
      '--registry-index',
      expect.stringMatching(/\.index\.json$/),
      '--',
      'servers/io.github.alice/weather/1.1.0.json',
    ]);
    expect(result.autoMerge).toBe(true);
  });

  it('turns a check that cannot run into a PR-wide diagnostic instead of a crash', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0'));
    const result = await check(repo.commit('add'), async () => ({ ok: false, error: 'mcp-registry validate could not run (exit 2): boom' }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['pr/check-error']);
    expect(result.ok).toBe(false);
  });

  it('refuses to check a tree that is not at the PR head', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0'));
    repo.commit('add');
    await expect(check(base)).rejects.toThrow(/not the PR head/);
  });
});

describe('mcp-registry pr-check run', () => {
  it('writes a result artifact the reporting job accepts, with no token in the environment (fork PR)', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0', NPM_PACKAGE));
    const head = repo.commit('add');
    const fork = structuredClone(payload);
    fork.pull_request.head.repo.full_name = 'alice/registry';
    fork.pull_request.head.sha = head;
    fork.pull_request.base.sha = base;
    const eventFile = join(scratch, 'event.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(eventFile, JSON.stringify(fork));
    const out = join(scratch, 'result.json');
    const stdout: string[] = [];
    const code = await main(['pr-check', 'run', '--event', eventFile, '--repo', repo.dir, '--out', out], {
      stdout: (t) => stdout.push(t),
      stderr: () => {},
      cwd: scratch,
      env: {},
    });
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(isPrCheckResult(result)).toBe(true);
    expect(result.files[0].checks.verify).toBe('pending');
    expect(stdout.join('')).toMatch(/needs a human/);
  });

  it('exits 2 without an event', async () => {
    expect(await main(['pr-check', 'run'], { stdout: () => {}, stderr: () => {}, cwd: scratch, env: {} })).toBe(2);
  });
});
