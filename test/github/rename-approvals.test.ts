/**
 * A transfer's consent read from GitHub: `pr-check run` as the workflow calls it asks the (fake, real-HTTP)
 * GitHub API for the PR's reviews, over a real git repository, and counts only the old owner's approval of the
 * head commit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { approvers } from '../../scripts/github/rename-approvals.ts';
import { ownerPath, serializeOwnerFile } from '../../scripts/state/owner-file.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';
import { startFakeGitHub, type FakeGitHub, type FakeIssue } from '../fixtures/github/fake-github.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const REPOSITORY = 'mcp-static-registry/registry';
const RECORD = 'registry/renames/io.github.bob/tool.yaml';

let gh: FakeGitHub;
let repo: TestRepo;
let tools: string;
let base: string;
let head: string;
let pull: FakeIssue;

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('read-token', 'github-actions[bot]');
  gh.addRepo(REPOSITORY);
  repo = makeRepo();
  repo.write('servers/io.github.bob/tool/1.0.0.json', serverJson('io.github.bob/tool', '1.0.0'));
  repo.write('servers/io.github.alice/tool/1.0.0.json', serverJson('io.github.alice/tool', '1.0.0'));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
  repo.write(RECORD, serializeRenameFile({ from: 'io.github.bob/tool', to: 'io.github.alice/tool', renamedAt: '2026-03-01T10:00:00Z', renamedBy: 'owner' }));
  head = repo.commit('alice takes over bob’s tool');
  pull = gh.addPull(REPOSITORY, { number: 42, author: 'alice', headSha: head });
  tools = mkdtempSync(join(tmpdir(), 'mcp-registry-tools-'));
});
afterEach(async () => {
  await gh.close();
  repo.cleanup();
  rmSync(tools, { recursive: true, force: true });
});

interface Result {
  ok: boolean;
  autoMerge: boolean;
  reviewReasons: string[];
  files: { path: string; diagnostics: { code: string }[] }[];
}

async function prCheckRun(env: Record<string, string>): Promise<Result> {
  let stderr = '';
  const event = structuredClone(payload);
  event.pull_request.head.sha = head;
  event.pull_request.base.sha = base;
  writeFileSync(join(tools, 'event.json'), JSON.stringify(event));
  const code = await main(['pr-check', 'run', '--event', 'event.json', '--repo', repo.dir, '--verify', 'no', '--out', 'result.json'], {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    cwd: tools,
    env: { GITHUB_API_URL: gh.url, ...env },
  });
  const result = JSON.parse(readFileSync(join(tools, 'result.json'), 'utf8')) as Result;
  expect(code, stderr).toBe(result.ok ? 0 : 1);
  return result;
}

const codes = (r: Result) => r.files.find((f) => f.path === RECORD)?.diagnostics.map((d) => d.code);
const reviewCalls = () => gh.calls.filter((c) => c.method === 'GET' && c.path === `/repos/${REPOSITORY}/pulls/42/reviews`);

describe('a transfer’s consent from the PR’s reviews', () => {
  it('refuses the transfer while bob has not approved, and accepts it (for a maintainer to merge) once he approves the head', async () => {
    pull.pull!.reviews.push({ event: 'COMMENT', login: 'bob' }, { event: 'APPROVE', login: 'carol' });
    const refused = await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(reviewCalls().map((c) => c.login)).toEqual(['github-actions[bot]']);
    expect(refused.ok).toBe(false);
    expect(codes(refused)).toEqual(['lifecycle/transfer-without-consent']);
    expect(refused.reviewReasons.some((r) => r.includes('bob has not approved this pull request'))).toBe(true);

    pull.pull!.reviews.push({ event: 'APPROVE', login: 'bob' });
    const approved = await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(approved.ok).toBe(true);
    expect(codes(approved)).toEqual([]);
    expect(approved.autoMerge).toBe(false);
    expect(approved.reviewReasons.some((r) => r.includes('bob approved this pull request'))).toBe(true);
  });

  it('does not count bob’s approval of an earlier commit, nor one he withdrew by requesting changes', async () => {
    pull.pull!.reviews.push({ event: 'APPROVE', login: 'bob', commit_id: base });
    expect(codes(await prCheckRun({ GITHUB_TOKEN: 'read-token' }))).toEqual(['lifecycle/transfer-without-consent']);
    pull.pull!.reviews.push({ event: 'APPROVE', login: 'bob' }, { event: 'REQUEST_CHANGES', login: 'bob' });
    expect(codes(await prCheckRun({ GITHUB_TOKEN: 'read-token' }))).toEqual(['lifecycle/transfer-without-consent']);
  });

  it('leaves the consent to a maintainer, saying why, when GitHub does not answer or there is no token', async () => {
    gh.failNext({ method: 'GET', path: /\/pulls\/42\/reviews$/, status: 404 });
    const failed = await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(failed.ok).toBe(true);
    expect(failed.autoMerge).toBe(false);
    expect(failed.reviewReasons.some((r) => /the check could not read the approvals \(GET .*\/pulls\/42\/reviews\S* → 404/.test(r))).toBe(true);

    const calls = reviewCalls().length;
    const tokenless = await prCheckRun({});
    expect(reviewCalls().length).toBe(calls);
    expect(tokenless.reviewReasons.some((r) => r.includes('the check does not read approvals, so a maintainer confirms the consent'))).toBe(true);
  });

  it('never asks for the reviews of a PR without a rename record', async () => {
    repo.run('checkout', '-q', base);
    repo.run('checkout', '-q', '-b', 'publish');
    repo.write('servers/io.github.alice/tool/1.1.0.json', serverJson('io.github.alice/tool', '1.1.0'));
    head = repo.commit('alice publishes 1.1.0');
    await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(reviewCalls()).toEqual([]);
  });
});

describe('approvers', () => {
  const H = 'a'.repeat(40);
  it('takes each reviewer’s latest deciding review, on the head commit', () => {
    expect(
      approvers(
        [
          { user: { login: 'Bob' }, state: 'APPROVED', commit_id: H },
          { user: { login: 'bob' }, state: 'COMMENTED', commit_id: H },
          { user: { login: 'carol' }, state: 'APPROVED', commit_id: H },
          { user: { login: 'carol' }, state: 'DISMISSED', commit_id: H },
          { user: { login: 'dave' }, state: 'APPROVED', commit_id: 'b'.repeat(40) },
          { user: null, state: 'APPROVED', commit_id: H },
          { user: { login: 'erin' }, state: 'PENDING', commit_id: H },
        ],
        H,
      ),
    ).toEqual([{ login: 'bob' }]);
  });

  it('groups one account’s reviews across a login rename, and keeps the account id', () => {
    expect(
      approvers(
        [
          { user: { login: 'bob', id: 7 }, state: 'APPROVED', commit_id: H },
          { user: { login: 'bobby', id: 7 }, state: 'CHANGES_REQUESTED', commit_id: H },
          { user: { login: 'bob', id: 666 }, state: 'APPROVED', commit_id: H },
        ],
        H,
      ),
    ).toEqual([{ login: 'bob', accountId: 666 }]);
  });
});

describe('consent is matched on the account id recorded for the old login', () => {
  // bob (account 7) published io.github.bob/tool; the owner record says so.
  beforeEach(() => {
    repo.run('checkout', '-q', 'main');
    repo.write(ownerPath('bob'), serializeOwnerFile({ login: 'bob', accountId: 7 }));
    base = repo.commit('bob’s account id is recorded');
    repo.run('checkout', '-q', '-B', 'pr');
    repo.write(RECORD, serializeRenameFile({ from: 'io.github.bob/tool', to: 'io.github.alice/tool', renamedAt: '2026-03-01T10:00:00Z', renamedBy: 'owner' }));
    head = repo.commit('alice takes over bob’s tool');
    pull.pull!.head.sha = head;
  });

  it('does not count an approval from an impostor who took the freed login bob', async () => {
    gh.accountIds.set('bob', 666);
    pull.pull!.reviews.push({ event: 'APPROVE', login: 'bob' });
    const refused = await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(refused.ok).toBe(false);
    expect(codes(refused)).toEqual(['lifecycle/rename-account-mismatch']);
    const reason = refused.files.find((f) => f.path === RECORD)?.diagnostics[0] as { message?: string } | undefined;
    expect(reason?.message).toContain('needs the approval of account 7');
  });

  it('counts the approval of account 7 under its new login bobby', async () => {
    gh.accountIds.set('bobby', 7);
    pull.pull!.reviews.push({ event: 'APPROVE', login: 'bobby' });
    const approved = await prCheckRun({ GITHUB_TOKEN: 'read-token' });
    expect(codes(approved)).toEqual([]);
    expect(approved.ok).toBe(true);
    expect(approved.autoMerge).toBe(false);
    expect(approved.reviewReasons.some((r) => r.includes('GitHub account 7 (io.github.bob) approved this pull request as bobby'))).toBe(true);
  });
});
