/**
 * `io.github.<org>` namespaces by account id: `pr-check run` as the workflow calls it, over a real git
 * repository, asks the (fake, real-HTTP) GitHub API what an organisation's login is now. An owner record for
 * an organisation is accepted when GitHub confirms its id; a recorded organisation keeps publishing from its
 * Owners' PRs, but not once its login changed hands; and an organisation's login rename moves its servers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { ownerPath, serializeOwnerFile } from '../../scripts/state/owner-file.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';
import { startFakeGitHub, type FakeGitHub } from '../fixtures/github/fake-github.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

// The fixture's PR comes from login `alice`, GitHub account id 1001.
const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const REPOSITORY = 'mcp-static-registry/registry';
const ACME = 5000;

let gh: FakeGitHub;
let repo: TestRepo;
let tools: string;
let base: string;

interface Result {
  ok: boolean;
  autoMerge: boolean;
  reviewReasons: string[];
  files: { path: string; diagnostics: { code: string; message: string }[] }[];
}

beforeEach(async () => {
  gh = await startFakeGitHub();
  gh.tokens.set('read-token', 'github-actions[bot]');
  gh.addRepo(REPOSITORY);
  repo = makeRepo();
  repo.write('servers/io.github.acme/tool/1.0.0.json', serverJson('io.github.acme/tool', '1.0.0'));
  tools = mkdtempSync(join(tmpdir(), 'mcp-registry-tools-'));
});
afterEach(async () => {
  await gh.close();
  repo.cleanup();
  rmSync(tools, { recursive: true, force: true });
});

function branch(message: string): void {
  base = repo.commit(message);
  repo.run('checkout', '-q', '-B', 'pr');
}

async function prCheckRun(head: string, env: Record<string, string> = { GITHUB_TOKEN: 'read-token' }): Promise<Result> {
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

const codesOf = (r: Result, path: string) => r.files.find((f) => f.path === path)?.diagnostics.map((d) => d.code);
const org = (login: string, id: number) => {
  gh.accountIds.set(login, id);
  gh.organizations.add(login);
};

describe('an organisation’s owner record', () => {
  const record = ownerPath('acme');

  it('is accepted from an Owner’s PR when GitHub answers that id for the organisation, refused otherwise', async () => {
    org('acme', ACME);
    branch('acme published before owner records existed');
    repo.write('servers/io.github.acme/tool/1.1.0.json', serverJson('io.github.acme/tool', '1.1.0'));
    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME }));
    const accepted = await prCheckRun(repo.commit('acme’s first PR records its id'));
    expect(codesOf(accepted, record)).toEqual([]);
    expect(accepted.ok).toBe(true);

    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME + 1 }));
    const wrong = await prCheckRun(repo.commit('a wrong id'));
    expect(codesOf(wrong, record)).toEqual(['lifecycle/owner-record-mismatch']);
    expect(wrong.files.find((f) => f.path === record)?.diagnostics[0]?.message).toContain(`GitHub answers account ${ACME} for that login`);
  });

  it('keeps the account’s type, and refuses a record whose type is not what GitHub calls the account', async () => {
    org('acme', ACME);
    branch('base');
    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME, accountType: 'Organization' }));
    expect(codesOf(await prCheckRun(repo.commit('acme recorded as an organisation')), record)).toEqual([]);
    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME, accountType: 'User' }));
    const wrong = await prCheckRun(repo.commit('acme recorded as a user'));
    expect(codesOf(wrong, record)).toEqual(['lifecycle/owner-record-mismatch']);
    expect(wrong.files.find((f) => f.path === record)?.diagnostics[0]?.message).toContain(
      'records accountType User for acme, but GitHub calls that account an Organization',
    );
    repo.write(ownerPath('alice'), serializeOwnerFile({ login: 'alice', accountId: 1001, accountType: 'Organization' }));
    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME, accountType: 'Organization' }));
    expect(codesOf(await prCheckRun(repo.commit('alice recorded as an organisation')), ownerPath('alice'))).toEqual(['lifecycle/owner-record-mismatch']);
  });

  it('is refused for a user’s login that is not the author’s, and when GitHub cannot be asked', async () => {
    gh.accountIds.set('bob', 7);
    branch('base');
    repo.write(ownerPath('bob'), serializeOwnerFile({ login: 'bob', accountId: 7 }));
    expect(codesOf(await prCheckRun(repo.commit('bob’s record from alice')), ownerPath('bob'))).toEqual(['lifecycle/owner-record-mismatch']);
    org('acme', ACME);
    repo.write(record, serializeOwnerFile({ login: 'acme', accountId: ACME }));
    const head = repo.commit('acme’s record without a token');
    const tokenless = await prCheckRun(head, {});
    expect(codesOf(tokenless, record)).toEqual(['lifecycle/owner-record-mismatch']);
    expect(tokenless.files.find((f) => f.path === record)?.diagnostics[0]?.message).toContain('which the check could not ask');
  });
});

describe('publishing under a recorded organisation', () => {
  const path = 'servers/io.github.acme/tool/1.1.0.json';
  beforeEach(() => {
    repo.write(ownerPath('acme'), serializeOwnerFile({ login: 'acme', accountId: ACME }));
    branch('acme recorded');
    repo.write(path, serverJson('io.github.acme/tool', '1.1.0'));
  });

  it('accepts an Owner’s version while the login is still the recorded organisation', async () => {
    org('acme', ACME);
    const result = await prCheckRun(repo.commit('1.1.0'));
    expect(codesOf(result, path)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('refuses it once the login belongs to another account', async () => {
    org('acme', 6000);
    const result = await prCheckRun(repo.commit('1.1.0 under a taken login'));
    expect(codesOf(result, path)).toEqual(['lifecycle/publisher-account-mismatch']);
    expect(result.files.find((f) => f.path === path)?.diagnostics[0]?.message).toContain('the login acme belongs to account 6000 now');
  });
});

describe('an organisation’s login rename', () => {
  const RECORD = 'registry/renames/io.github.acme/tool.yaml';
  beforeEach(() => {
    repo.write(ownerPath('acme'), serializeOwnerFile({ login: 'acme', accountId: ACME }));
    branch('acme recorded');
    repo.write(
      RECORD,
      serializeRenameFile({ from: 'io.github.acme/tool', to: 'io.github.acme-labs/tool', renamedAt: '2026-03-01T10:00:00Z', renamedBy: 'owner' }),
    );
  });

  it('moves its servers when the new login is the recorded organisation, for a maintainer to merge', async () => {
    org('acme-labs', ACME);
    const result = await prCheckRun(repo.commit('acme renamed its login to acme-labs'));
    expect(codesOf(result, RECORD)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.autoMerge).toBe(false);
    expect(
      result.reviewReasons.some((r) => r.includes(`after a GitHub login rename of the organisation acme-labs (account ${ACME} published io.github.acme`)),
    ).toBe(true);
  });

  it('refuses it when the new login is another organisation', async () => {
    org('acme-labs', 7000);
    const result = await prCheckRun(repo.commit('another organisation claims acme’s servers'));
    expect(result.ok).toBe(false);
    expect(codesOf(result, RECORD)).toContain('lifecycle/rename-account-mismatch');
  });
});
