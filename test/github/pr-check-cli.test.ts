/** `pr-check report` and `pr-check issue` as the workflows call them, against the fake GitHub API. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../scripts/cli/main.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';

const SHA = 'd'.repeat(40);
const BOT = 'github-actions[bot]';
let gh: FakeGitHub;
let dir: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('tok', BOT);
  gh.addRepo('reg/registry', { writers: [BOT] });
  gh.addPull('reg/registry', { number: 1, author: 'alice', headSha: SHA, files: [{ filename: 'servers/io.github.alice/w/1.0.0.json', status: 'added' }] });
  dir = mkdtempSync(join(tmpdir(), 'mcp-registry-prcli-'));
});
afterEach(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: dir,
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'reg/registry', GITHUB_TOKEN: 'tok', ...env },
  });
  return { code, out: out.join(''), err: err.join('') };
}

const result = {
  schemaVersion: 1,
  number: 1,
  headSha: SHA,
  ok: true,
  files: [
    {
      path: 'servers/io.github.alice/w/1.0.0.json',
      kind: 'new-server',
      serverName: 'io.github.alice/w',
      checks: { immutability: 'passed', validate: 'passed', verify: 'passed', ownership: 'passed' },
      diagnostics: [],
    },
  ],
  diagnostics: [],
  labels: ['new-server', 'verified'],
  autoMerge: true,
  reviewReasons: [],
};

describe('mcp-registry pr-check report', () => {
  it('comments, labels and merges from a result file', async () => {
    writeFileSync(join(dir, 'r.json'), JSON.stringify(result));
    const r = await cli(['pr-check', 'report', '--result', 'r.json', '--run-head-sha', SHA]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/comment created; labels \+\[new-server, verified\].*merged/);
  });

  it('comments without merging with --no-merge', async () => {
    writeFileSync(join(dir, 'r.json'), JSON.stringify(result));
    const r = await cli(['pr-check', 'report', '--result', 'r.json', '--run-head-sha', SHA, '--no-merge']);
    expect(r.out).toMatch(/not merged/);
    expect(gh.calls.some((c) => c.path.endsWith('/merge'))).toBe(false);
  });

  it('refuses a tampered artifact and calls no API', async () => {
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ ...result, labels: ['maintainer-approved'] }));
    const r = await cli(['pr-check', 'report', '--result', 'r.json', '--run-head-sha', SHA]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a PR check result/);
    expect(gh.calls).toEqual([]);
  });

  it('prints a PR’s file names in its notes as text the Actions runner does not execute', async () => {
    gh.addPull('reg/registry', {
      number: 2,
      author: 'alice',
      headSha: SHA,
      files: [{ filename: 'x\n::notice title=Approved::Approved by maintainers', status: 'added' }],
    });
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ ...result, number: 2 }));
    const r = await cli(['pr-check', 'report', '--result', 'r.json', '--run-head-sha', SHA]);
    expect(r.out).toContain('e.g. x\\n::notice title=Approved::Approved by maintainers');
    expect(r.out.split(/\r\n|\r|\n/).filter((line) => line.trim().startsWith('::'))).toEqual([]);
  });

  it('exits 2 without a token', async () => {
    writeFileSync(join(dir, 'r.json'), JSON.stringify(result));
    expect((await cli(['pr-check', 'report', '--result', 'r.json', '--run-head-sha', SHA], { GITHUB_TOKEN: '' })).code).toBe(2);
  });
});

describe('mcp-registry pr-check issue', () => {
  it('opens the stopped-verifying issue from a verify report and closes it when all verify again', async () => {
    const failing = {
      ok: false,
      files: [
        {
          path: 'servers/io.github.alice/w/1.0.0.json',
          ok: false,
          diagnostics: [{ code: 'npm/mcp-name-missing', severity: 'error', message: 'package.json lacks mcpName', pointer: '', line: 0, column: 0 }],
        },
      ],
    };
    writeFileSync(join(dir, 'v.json'), JSON.stringify(failing));
    const args = ['pr-check', 'issue', '--label', 'stopped-verifying', '--title', 'Stopped verifying', '--verify-report', 'v.json'];
    expect((await cli(args)).out).toBe('issue #2 opened\n');
    expect(gh.repos.get('reg/registry')!.issues[1]!.body).toMatch(/npm\/mcp-name-missing/);
    writeFileSync(join(dir, 'v.json'), JSON.stringify({ ok: true, files: [{ path: 'servers/io.github.alice/w/1.0.0.json', ok: true, diagnostics: [] }] }));
    expect((await cli(args)).out).toBe('issue #2 closed\n');
  });

  it('needs exactly one source of the problem', async () => {
    expect((await cli(['pr-check', 'issue', '--label', 'x', '--title', 't', '--resolved', '--problem-file', 'p.md'])).code).toBe(2);
  });
});

describe('the workflows call the CLI with flags it has', () => {
  const wfDir = new URL('../../.github/workflows/', import.meta.url);
  const calls: { file: string; words: string[] }[] = [];
  for (const file of readdirSync(wfDir).filter((f) => f.endsWith('.yml'))) {
    const doc = parse(readFileSync(new URL(file, wfDir), 'utf8'));
    for (const job of Object.values<{ steps?: { run?: string }[] }>(doc.jobs ?? {})) {
      for (const step of job.steps ?? []) {
        for (const line of (step.run ?? '').split('\n')) {
          const m = /bin\/mcp-registry\.js\s+(.*)$/.exec(line);
          if (m) calls.push({ file, words: m[1]!.split(/\s+/) });
        }
      }
    }
  }

  it('finds the calls', () => {
    expect(calls.length).toBeGreaterThanOrEqual(5);
  });

  it.each(calls.map((c) => [c.file, c.words.join(' '), c.words] as const))('%s: %s', async (_file, _line, words) => {
    const help: string[] = [];
    const code = await main([words[0]!, '--help'], { stdout: (t) => help.push(t), stderr: () => {}, cwd: dir, env: {} });
    expect(code).toBe(0);
    for (const flag of words.filter((w) => /^--[a-z-]+$/.test(w))) expect(help.join(''), flag).toContain(flag);
  });
});
