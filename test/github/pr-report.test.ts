import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../scripts/net/github-client.ts';
import { COMMENT_MARKER } from '../../scripts/github/pr-comment.ts';
import type { PrCheckResult } from '../../scripts/github/pr-decision.ts';
import { reportCheckResult, type ReportTarget } from '../../scripts/github/pr-report.ts';
import { syncTrackingIssue } from '../../scripts/github/tracking-issue.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';

const SHA = 'b'.repeat(40);
const BOT = 'github-actions[bot]';
const P = 'servers/io.github.alice/weather/1.1.0.json';
let gh: FakeGitHub;

const target: ReportTarget = { owner: 'reg', repo: 'registry', runHeadSha: SHA, botLogin: BOT, docsBase: 'https://x', allowMerge: true };

function result(over: Partial<PrCheckResult> = {}): PrCheckResult {
  return {
    schemaVersion: 1,
    number: 1,
    headSha: SHA,
    ok: true,
    files: [
      {
        path: P,
        kind: 'new-version',
        serverName: 'io.github.alice/weather',
        checks: { immutability: 'passed', validate: 'passed', verify: 'passed', ownership: 'passed' },
        diagnostics: [],
      },
    ],
    diagnostics: [],
    labels: ['new-version', 'verified'],
    autoMerge: true,
    reviewReasons: [],
    ...over,
  };
}

function client(token = 'bot-token') {
  return createGitHubClient({ baseUrl: gh.url, token, sleep: async () => {}, maxRetries: 2 });
}

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('bot-token', BOT);
  gh.addRepo('reg/registry', { writers: [BOT, 'maint'] });
  gh.addPull('reg/registry', { number: 1, author: 'alice', headSha: SHA, files: [{ filename: P, status: 'added' }], labels: ['invalid', 'hacktoberfest'] });
});
afterEach(() => gh.close());

const pull = () => gh.repos.get('reg/registry')!.issues[0]!;

describe('reporting a PR check result', () => {
  it('creates one sticky comment, then edits it on the next push', async () => {
    expect((await reportCheckResult(client(), target, result({ autoMerge: false, labels: ['new-version', 'needs-review'] }))).comment).toBe('created');
    const second = await reportCheckResult(client(), target, result({ ok: false, autoMerge: false, labels: ['new-version', 'invalid'] }));
    expect(second.comment).toBe('updated');
    expect(pull().comments).toHaveLength(1);
    expect(pull().comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(pull().comments[0]!.body).toMatch(/problem/);
  });

  it('does not take over a comment that someone else wrote with the marker', async () => {
    pull().comments.push({ id: 1, body: `${COMMENT_MARKER}\nfake all green`, user: { login: 'alice', type: 'User' } });
    await reportCheckResult(client(), target, result({ autoMerge: false }));
    expect(pull().comments.map((c) => c.user.login)).toEqual(['alice', BOT]);
  });

  it('adds missing managed labels and removes stale ones, leaving others alone', async () => {
    const outcome = await reportCheckResult(client(), target, result({ autoMerge: false, labels: ['new-version', 'needs-review'] }));
    expect(outcome).toMatchObject({ labelsAdded: ['new-version', 'needs-review'], labelsRemoved: ['invalid'] });
    expect(pull().labels.sort()).toEqual(['hacktoberfest', 'needs-review', 'new-version']);
  });

  it('approves and merges exactly the checked commit when the result allows it', async () => {
    const outcome = await reportCheckResult(client(), target, result());
    expect(outcome.merged).toBe(true);
    const merge = gh.calls.find((c) => c.method === 'PUT' && c.path.endsWith('/merge'));
    expect(merge?.body).toMatchObject({ sha: SHA, merge_method: 'squash' });
    expect(pull().pull!.reviews).toEqual([{ event: 'APPROVE', login: BOT, commit_id: SHA }]);
  });

  it('starts the deploy after a bot merge, which would start no push workflow by itself', async () => {
    const outcome = await reportCheckResult(client(), { ...target, deployWorkflow: 'deploy.yml' }, result());
    expect(outcome.deployDispatched).toBe(true);
    expect(gh.calls.find((c) => c.path.endsWith('/dispatches'))).toMatchObject({
      path: '/repos/reg/registry/actions/workflows/deploy.yml/dispatches',
      body: { ref: 'main' },
    });
  });

  it('starts no deploy when nothing was merged', async () => {
    await reportCheckResult(client(), { ...target, deployWorkflow: 'deploy.yml' }, result({ autoMerge: false }));
    expect(gh.calls.some((c) => c.path.endsWith('/dispatches'))).toBe(false);
  });

  it('never merges, approves or deploys a PR into a branch other than the default, whatever the result says', async () => {
    gh.addPull('reg/registry', { number: 2, author: 'alice', headSha: SHA, base: 'release', files: [{ filename: P, status: 'added' }] });
    const outcome = await reportCheckResult(client(), { ...target, deployWorkflow: 'deploy.yml' }, result({ number: 2 }));
    expect(outcome).toMatchObject({ merged: false, deployDispatched: false });
    expect(outcome.notes).toEqual(['not merging: the pull request goes into release, not the default branch main']);
    expect(gh.calls.filter((c) => c.method !== 'GET').map((c) => c.path)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/\/(merge|reviews|dispatches)$/)]),
    );
    const second = gh.repos.get('reg/registry')!.issues[1]!;
    expect(second.labels).toContain('needs-review');
    expect(second.comments[0]!.body).toMatch(/goes into release, not the default branch main; the bot merges only into the default branch/);
  });

  it('refuses to merge when the PR changes files outside registry data, whatever the result says', async () => {
    pull().pull!.files.push({ filename: '.github/workflows/pr-check.yml', status: 'modified' });
    const outcome = await reportCheckResult(client(), target, result());
    expect(outcome.merged).toBe(false);
    expect(gh.calls.some((c) => c.path.endsWith('/merge'))).toBe(false);
    expect(pull().labels).toContain('needs-review');
  });

  it('gives no verified label to a PR that changes its own check, whatever the result says', async () => {
    pull().pull!.files.push({ filename: '.github/workflows/pr-check.yml', status: 'modified' });
    const outcome = await reportCheckResult(client(), target, result({ autoMerge: false }));
    expect(pull().labels).not.toContain('verified');
    expect(pull().labels).toContain('needs-review');
    expect(outcome.notes.join()).toMatch(/not trusting the verdict.*pr-check\.yml/);
    expect(pull().comments[0]!.body).toMatch(/not trusted/);
  });

  it('trusts no verdict for a PR with more files than GitHub lists (3,000)', async () => {
    const files = Array.from({ length: 3001 }, (_, i) => ({ filename: `servers/io.github.alice/s${i}/1.0.0.json`, status: 'added' }));
    pull().pull!.files.splice(0, 1, ...files);
    const outcome = await reportCheckResult(client(), target, result());
    expect(outcome.merged).toBe(false);
    expect(pull().labels).not.toContain('verified');
    expect(outcome.notes.join()).toMatch(/1 file\(s\) GitHub does not list/);
  });

  it('counts version files, their signatures and status files as registry data, nothing else', async () => {
    const { isRegistryDataPath } = await import('../../scripts/github/pr-report.ts');
    expect(['servers/com.example/x/1.0.0.json', 'servers/com.example/x/1.0.0.json.sig', 'registry/status/com.example/x.yaml'].every(isRegistryDataPath)).toBe(
      true,
    );
    expect(
      ['registry/overlays/com.example/x.yaml', 'servers/com.example/x/1.0.0.json.sh', 'registry.config.yaml', 'servers/a/b/c/1.json'].some(isRegistryDataPath),
    ).toBe(false);
  });

  it('counts a status file’s signature as registry data', async () => {
    const { isRegistryDataPath } = await import('../../scripts/github/pr-report.ts');
    expect(isRegistryDataPath('registry/status/com.example/x.yaml.sig')).toBe(true);
    expect(
      ['registry/status/com.example/x.yaml.sig.sh', 'registry/status/com.example/x.sig', 'registry/overlays/com.example/x.yaml.sig'].some(isRegistryDataPath),
    ).toBe(false);
  });

  it('merges a signed domain lifecycle PR (status file and its .yaml.sig)', async () => {
    const S = 'registry/status/com.example/weather.yaml';
    gh.addPull('reg/registry', {
      number: 2,
      author: 'alice',
      headSha: SHA,
      files: [
        { filename: S, status: 'modified' },
        { filename: `${S}.sig`, status: 'modified' },
      ],
      labels: [],
    });
    const files = [S, `${S}.sig`].map((path) => ({
      path,
      kind: 'lifecycle' as const,
      serverName: 'com.example/weather',
      checks: { immutability: 'passed' as const, validate: 'passed' as const, verify: 'passed' as const, ownership: 'passed' as const },
      diagnostics: [],
    }));
    const outcome = await reportCheckResult(client(), target, result({ number: 2, files, labels: [] }));
    expect(outcome.merged).toBe(true);
    expect(gh.calls.some((c) => c.method === 'PUT' && c.path.endsWith('/pulls/2/merge'))).toBe(true);
  });

  it('ignores a result for an older commit', async () => {
    const outcome = await reportCheckResult(client(), { ...target, runHeadSha: 'c'.repeat(40) }, result({ headSha: 'c'.repeat(40) }));
    expect(outcome.status).toBe('stale');
    expect(pull().comments).toHaveLength(0);
  });

  it('reports a merge GitHub refuses (head moved: 409) as a note, not a crash', async () => {
    gh.failNext({ method: 'PUT', path: /\/merge$/, status: 409, body: { message: 'Head branch was modified. Review and try the merge again.' } });
    const outcome = await reportCheckResult(client(), target, result());
    expect(outcome.merged).toBe(false);
    expect(outcome.notes.join()).toMatch(/409.*Head branch was modified/);
  });

  it('reports a 422 on approval as a note', async () => {
    gh.failNext({
      method: 'POST',
      path: /\/reviews$/,
      status: 422,
      body: { message: 'Validation Failed', errors: [{ message: 'GitHub Actions is not permitted to approve pull requests.' }] },
    });
    const outcome = await reportCheckResult(client(), target, result());
    expect(outcome).toMatchObject({ merged: false, notes: [expect.stringMatching(/422/)] });
  });

  it('waits out a rate limit and then succeeds', async () => {
    const waits: number[] = [];
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'bot-token', sleep: async (ms) => void waits.push(ms), now: () => 1_000_000 });
    gh.failNext({
      method: 'GET',
      path: /\/pulls\/1$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1005' },
      body: { message: 'API rate limit exceeded' },
    });
    const outcome = await reportCheckResult(octokit, target, result({ autoMerge: false }));
    expect(outcome.status).toBe('reported');
    expect(waits).toEqual([5000]);
  });

  it('honours Retry-After on a secondary rate limit (403)', async () => {
    const waits: number[] = [];
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'bot-token', sleep: async (ms) => void waits.push(ms) });
    gh.failNext({
      method: 'POST',
      path: /\/comments$/,
      status: 403,
      headers: { 'retry-after': '3' },
      body: { message: 'You have exceeded a secondary rate limit' },
    });
    await reportCheckResult(octokit, target, result({ autoMerge: false }));
    expect(waits).toEqual([3000]);
    expect(pull().comments).toHaveLength(1);
  });

  it('does not wait longer than allowed for a rate limit reset', async () => {
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'bot-token', sleep: async () => {}, now: () => 0, maxWaitMs: 60_000 });
    gh.failNext({
      method: 'GET',
      path: /\/pulls\/1$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3600' },
      body: { message: 'API rate limit exceeded' },
    });
    await expect(reportCheckResult(octokit, target, result())).rejects.toThrow(/→ 403: API rate limit exceeded/);
  });

  it('gives up after bounded retries and names the URL and status', async () => {
    gh.failNext({ method: 'GET', path: /\/pulls\/1$/, status: 429, headers: { 'retry-after': '1' }, times: 10 });
    await expect(reportCheckResult(client(), target, result())).rejects.toThrow(
      /GET http:\/\/127\.0\.0\.1:\d+\/repos\/reg\/registry\/pulls\/1 → 429 after 3 attempts/,
    );
  });

  it('fails clearly when the token may not write (403)', async () => {
    gh.tokens.set('read-only', 'nobody');
    await expect(reportCheckResult(client('read-only'), target, result({ autoMerge: false }))).rejects.toThrow(
      /POST .*\/issues\/1\/comments → 403: Resource not accessible by integration/,
    );
  });
});

describe('tracking issues', () => {
  const t = { owner: 'reg', repo: 'registry', label: 'deploy-failure', title: 'Deploy failed', resolution: 'Fixed by run 2' };

  it('opens an issue on the first failure, comments on the next and closes on success', async () => {
    expect(await syncTrackingIssue(client(), { ...t, problem: 'run 1 failed' })).toEqual({ action: 'opened', number: 2 });
    expect(await syncTrackingIssue(client(), { ...t, problem: 'run 2 failed' })).toEqual({ action: 'commented', number: 2 });
    expect(await syncTrackingIssue(client(), t)).toEqual({ action: 'closed', number: 2 });
    const issue = gh.repos.get('reg/registry')!.issues[1]!;
    expect(issue).toMatchObject({ state: 'closed', labels: ['deploy-failure'] });
    expect(issue.comments.map((c) => c.body)).toEqual(['run 2 failed', 'Fixed by run 2']);
  });

  it('does nothing on success when no issue is open', async () => {
    expect(await syncTrackingIssue(client(), t)).toEqual({ action: 'none' });
    expect(gh.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('ignores pull requests that carry the label', async () => {
    pull().labels.push('deploy-failure');
    expect(await syncTrackingIssue(client(), t)).toEqual({ action: 'none' });
  });
});
