/**
 * Attack: a member of the registry's GitHub organisation (author_association MEMBER), not named a maintainer,
 * deletes another author's server by a lifecycle PR, and the bot used to merge it. Maintainers are who
 * registry.config.yaml names: logins, and teams asked of the (fake, real-HTTP) GitHub API.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { createGitHubClient } from '../../scripts/net/github-client.ts';
import { checkMaintainer, teamMembershipVia } from '../../scripts/github/maintainers.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const REPOSITORY = 'mcp-static-registry/registry';

let gh: FakeGitHub;
let repo: TestRepo;
let tools: string;
let base: string;

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('team-reader', 'registry-bot');
  gh.tokens.set('repo-token', 'github-actions[bot]');
  gh.addTeam('mcp-static-registry', 'maintainers', ['carol'], ['registry-bot']);
  repo = makeRepo();
  repo.write('servers/io.github.bob/tool/1.0.0.json', serverJson('io.github.bob/tool', '1.0.0'));
  base = repo.commit('bob publishes');
  repo.run('checkout', '-q', '-b', 'pr');
  tools = mkdtempSync(join(tmpdir(), 'mcp-registry-tools-'));
  writeFileSync(join(tools, 'registry.config.yaml'), 'maintainers: [dave, mcp-static-registry/maintainers]\n');
});
afterEach(async () => {
  await gh.close();
  repo.cleanup();
  rmSync(tools, { recursive: true, force: true });
});

async function lifecycle(...args: string[]): Promise<void> {
  let stderr = '';
  expect(
    await main([...args, '--now', '2026-03-01T10:00:00Z'], {
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
      cwd: repo.dir,
      env: {},
    }),
    stderr,
  ).toBe(0);
}

/** `pr-check run` as the workflow calls it, for a PR by `author` that deletes bob's server. */
async function deleteBobsServer(author: string, association: string, env: Record<string, string>) {
  await lifecycle('delete', 'io.github.bob/tool', '--message', 'gone');
  return prCheckRun(repo.commit(`${author} deletes bob's server`), author, association, env);
}

async function prCheckRun(head: string, author: string, association: string, env: Record<string, string>) {
  let stderr = '';
  const event = structuredClone(payload);
  event.pull_request.user.login = author;
  event.pull_request.author_association = association;
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
  expect(code, stderr).toBe(0);
  return JSON.parse(readFileSync(join(tools, 'result.json'), 'utf8'));
}

describe('who may change another author’s server', () => {
  it('not an organisation member who is not named a maintainer', async () => {
    const result = await deleteBobsServer('mallory', 'MEMBER', { MAINTAINERS_TOKEN: 'team-reader' });
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.labels).toContain('needs-review');
    expect(result.files[0].checks.ownership).toBe('pending');
    expect(result.reviewReasons.join('\n')).toMatch(/touches a namespace that mallory is not the verified owner of/);
  }, 30_000);

  it('nor an organisation OWNER association, which is not the repository owner', async () => {
    const result = await deleteBobsServer('mallory', 'OWNER', { MAINTAINERS_TOKEN: 'team-reader' });
    expect(result.autoMerge).toBe(false);
  }, 30_000);

  it('a maintainer named by login', async () => {
    const result = await deleteBobsServer('Dave', 'CONTRIBUTOR', {});
    expect(result).toMatchObject({ ok: true, autoMerge: true });
    expect(gh.calls).toEqual([]);
  }, 30_000);

  it('a member of the named maintainers team, asked of GitHub with MAINTAINERS_TOKEN', async () => {
    const result = await deleteBobsServer('carol', 'MEMBER', { MAINTAINERS_TOKEN: 'team-reader', GITHUB_TOKEN: 'repo-token' });
    expect(result).toMatchObject({ ok: true, autoMerge: true });
    expect(gh.calls.map((c) => [c.path, c.login])).toEqual([['/orgs/mcp-static-registry/teams/maintainers/memberships/carol', 'registry-bot']]);
  }, 30_000);

  it('not a team member whose membership the token cannot see', async () => {
    const result = await deleteBobsServer('carol', 'MEMBER', { GITHUB_TOKEN: 'repo-token' });
    expect(result.autoMerge).toBe(false);
  }, 30_000);

  it('not when the team lookup fails: a human decides, and the comment says why', async () => {
    gh.failNext({ method: 'GET', path: /\/memberships\//, status: 403, body: { message: 'Resource not accessible by integration' } });
    const result = await deleteBobsServer('carol', 'MEMBER', { MAINTAINERS_TOKEN: 'team-reader' });
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.join('\n')).toMatch(
      /could not ask GitHub whether carol is a maintainer \(team mcp-static-registry\/maintainers: GET .*memberships\/carol → 403/,
    );
  }, 30_000);
});

describe('a team lookup that cannot succeed', () => {
  it('does not block an owner’s PR in their own namespace, which needs no maintainer', async () => {
    gh.failNext({ method: 'GET', path: /\/memberships\//, status: 403, times: 5 });
    repo.write('servers/io.github.mallory/own/1.0.0.json', serverJson('io.github.mallory/own', '1.0.0'));
    base = repo.commit('mallory publishes her own server');
    await lifecycle('deprecate', 'io.github.mallory/own', '--message', 'Use 2.0');
    const result = await prCheckRun(repo.commit('and deprecates it'), 'mallory', 'MEMBER', { MAINTAINERS_TOKEN: 'team-reader' });
    expect(result).toMatchObject({ ok: true, autoMerge: true, reviewReasons: [] });
    expect(gh.calls).toEqual([]);
  }, 30_000);
});

describe('checkMaintainer', () => {
  const client = (token?: string) => teamMembershipVia(token ? createGitHubClient({ baseUrl: gh.url, token, maxRetries: 0 }) : undefined);

  it('counts the repository’s owner, a user, as a maintainer', async () => {
    expect(await checkMaintainer('Octo', 'octo/registry', [], client())).toEqual({ maintainer: true, via: 'the repository owner' });
  });

  it('asks no team once a login matches, and grants nothing without a token', async () => {
    expect(await checkMaintainer('dave', REPOSITORY, ['dave', 'mcp-static-registry/maintainers'], client())).toMatchObject({ maintainer: true });
    expect(await checkMaintainer('carol', REPOSITORY, ['mcp-static-registry/maintainers'], client())).toEqual({
      maintainer: false,
      unverified: expect.stringMatching(/no token/),
    });
  });

  it('grants nothing when GitHub fails, even if another team is named after it', async () => {
    gh.failNext({ method: 'GET', path: /\/memberships\//, status: 500 });
    const r = await checkMaintainer('carol', REPOSITORY, ['mcp-static-registry/maintainers', 'mcp-static-registry/nobody'], client('team-reader'));
    expect(r).toMatchObject({ maintainer: false, unverified: expect.stringMatching(/→ 500/) });
  });
});
