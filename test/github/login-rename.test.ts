import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { ownerPath, parseOwnerFile, serializeOwnerFile } from '../../scripts/state/owner-file.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

// The fixture's PR comes from login `alice`, GitHub account id 1001.
const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const AT = '2026-03-01T10:00:00Z';
let repo: TestRepo;
let base: string;

function setUp(owners: Record<string, number>): void {
  for (const name of ['io.github.oldalice/weather', 'io.github.alice/weather']) repo.write(`servers/${name}/1.0.0.json`, serverJson(name, '1.0.0'));
  for (const [login, accountId] of Object.entries(owners)) repo.write(ownerPath(login), serializeOwnerFile({ login, accountId }));
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
}

beforeEach(() => {
  repo = makeRepo();
});
afterEach(() => repo.cleanup());

function rename(from: string, to: string): string {
  const [ns, name] = from.split('/') as [string, string];
  repo.write(`registry/renames/${ns}/${name}.yaml`, serializeRenameFile({ from, to, renamedAt: AT, renamedBy: 'owner' }));
  return repo.commit('rename');
}

function check(head: string, approvals?: readonly (string | { login: string; accountId: number })[]) {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: { ...parsed.value, baseSha: base, headSha: head },
    maintainer: async () => ({ maintainer: false }),
    verify: false,
    endpoints: [],
    maxFiles: 100,
    runCli: createCliRunner(),
    ...(approvals !== undefined ? { approvals: async () => approvals.map((a) => (typeof a === 'string' ? { login: a } : a)) } : {}),
  });
}

function codesOf(result: Awaited<ReturnType<typeof check>>, path: string): string[] | undefined {
  return result.files.find((f) => f.path === path)?.diagnostics.map((d) => d.code);
}

describe('a GitHub login rename is proven by the account id', () => {
  it('reads the author’s account id from the event', () => {
    const parsed = readPullRequestEvent(payload);
    expect(parsed.ok && parsed.value.authorId).toBe(1001);
  });

  it('recognises the same account under its new login and needs no one’s approval', async () => {
    setUp({ oldalice: 1001 });
    const result = await check(rename('io.github.oldalice/weather', 'io.github.alice/weather'), []);
    expect(codesOf(result, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons).toContain(
      'it moves io.github.oldalice/weather to io.github.alice/weather after a GitHub login rename (account 1001 published io.github.oldalice and opened this pull request as alice); a maintainer reviews every rename before it is merged',
    );
  });

  it('refuses another account claiming a login rename (an impostor)', async () => {
    setUp({ oldalice: 4242 });
    const head = rename('io.github.oldalice/weather', 'io.github.alice/weather');
    for (const approvals of [[], undefined]) {
      const result = await check(head, approvals);
      expect(result.ok).toBe(false);
      expect(codesOf(result, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual(['lifecycle/rename-account-mismatch']);
      const message = result.files.flatMap((f) => f.diagnostics).find((d) => d.code === 'lifecycle/rename-account-mismatch')?.message;
      expect(message).toContain('published by GitHub account 4242, the PR comes from account 1001');
    }
  });

  it('refuses an account that took a freed login renaming that login’s servers', async () => {
    setUp({ alice: 4242 });
    repo.write('servers/io.github.alice/forecast/1.0.0.json', serverJson('io.github.alice/forecast', '1.0.0'));
    base = repo.commit('another server');
    const result = await check(rename('io.github.alice/weather', 'io.github.alice/sky'));
    expect(result.ok).toBe(false);
    expect(codesOf(result, 'registry/renames/io.github.alice/weather.yaml')).toEqual(['lifecycle/rename-account-mismatch']);
    expect(result.reviewReasons.some((r) => r.includes('io.github.alice was published by GitHub account 4242, not by account 1001'))).toBe(true);
  });

  it('keeps a transfer with the old account’s approval a transfer when the ids differ', async () => {
    setUp({ oldalice: 4242 });
    const head = rename('io.github.oldalice/weather', 'io.github.alice/weather');
    const result = await check(head, [{ login: 'oldalice', accountId: 4242 }]);
    expect(result.ok).toBe(true);
    expect(result.reviewReasons.some((r) => r.includes('GitHub account 4242 (io.github.oldalice) approved this pull request'))).toBe(true);
    // The login alone is not the account: an approval from whoever holds it now does not count.
    const impostor = await check(head, [{ login: 'oldalice', accountId: 9999 }]);
    expect(impostor.ok).toBe(false);
    expect(codesOf(impostor, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual(['lifecycle/rename-account-mismatch']);
  });

  it('trusts only the base branch’s owner records, never one the PR adds', async () => {
    setUp({});
    repo.write(ownerPath('oldalice'), serializeOwnerFile({ login: 'oldalice', accountId: 1001 }));
    const result = await check(rename('io.github.oldalice/weather', 'io.github.alice/weather'), []);
    expect(result.ok).toBe(false);
    expect(codesOf(result, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual(['lifecycle/transfer-without-consent']);
    expect(codesOf(result, ownerPath('oldalice'))).toEqual(['lifecycle/owner-record-mismatch']);
  });
});

describe('owner records', () => {
  it('round-trip and refuse anything but a positive account id', () => {
    const text = serializeOwnerFile({ login: 'Alice', accountId: 1001 });
    expect(parseOwnerFile(text, 'Alice').value).toEqual({ login: 'alice', accountId: 1001 });
    expect(ownerPath('Alice')).toBe('registry/owners/io.github.alice.yaml');
    for (const bad of ['accountId: "1001"\n', 'accountId: -1\n', 'accountId: 1\nlogin: x\n', '[1]\n'])
      expect(parseOwnerFile(bad, 'alice').diagnostics.map((d) => d.code)).toEqual(['lifecycle/shape']);
  });
});

describe('an event without the author’s account id', () => {
  it('recognises no login rename: the move stays a transfer that needs consent', async () => {
    setUp({ oldalice: 1001 });
    const head = rename('io.github.oldalice/weather', 'io.github.alice/weather');
    const parsed = readPullRequestEvent({ ...payload, pull_request: { ...payload.pull_request, user: { login: 'alice' } } });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.authorId).toBeUndefined();
    const result = await runPrCheck({
      repo: repo.dir,
      base,
      head,
      event: { ...parsed.value, baseSha: base, headSha: head },
      maintainer: async () => ({ maintainer: false }),
      verify: false,
      endpoints: [],
      maxFiles: 100,
      runCli: createCliRunner(),
      approvals: async () => [],
    });
    expect(result.ok).toBe(false);
    expect(codesOf(result, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual(['lifecycle/rename-account-mismatch']);
    expect(result.files.flatMap((f) => f.diagnostics).find((d) => d.code === 'lifecycle/rename-account-mismatch')?.message).toContain(
      'the PR comes from account unknown',
    );
  });
});

describe('recording the account id with a PR', () => {
  beforeEach(() => setUp({}));
  const path = ownerPath('alice');

  it('accepts alice’s own id beside her first version, and the bot may still merge', async () => {
    repo.write('servers/io.github.alice/new/1.0.0.json', serverJson('io.github.alice/new', '1.0.0'));
    repo.write(path, serializeOwnerFile({ login: 'alice', accountId: 1001 }));
    const result = await check(repo.commit('publish with owner record'));
    const file = result.files.find((f) => f.path === path);
    expect(file?.kind).toBe('owner');
    expect(file?.diagnostics).toEqual([]);
    expect(file?.checks.validate).toBe('passed');
    expect(result.ok).toBe(true);
    expect(result.reviewReasons.some((r) => r.includes('outside servers/'))).toBe(false);
  });

  it('refuses an id that is not the author’s, and a record for another login', async () => {
    repo.write(path, serializeOwnerFile({ login: 'alice', accountId: 4242 }));
    repo.write(ownerPath('bob'), serializeOwnerFile({ login: 'bob', accountId: 1001 }));
    const result = await check(repo.commit('wrong records'));
    expect(result.ok).toBe(false);
    expect(codesOf(result, path)).toEqual(['lifecycle/owner-record-mismatch']);
    expect(codesOf(result, ownerPath('bob'))).toEqual(['lifecycle/owner-record-mismatch']);
  });

  it('refuses editing or removing a merged record', async () => {
    repo.write(path, serializeOwnerFile({ login: 'alice', accountId: 1001 }));
    base = repo.commit('merged record');
    repo.write(path, serializeOwnerFile({ login: 'alice', accountId: 1002 }));
    const edited = await check(repo.commit('edit'));
    expect(codesOf(edited, path)).toEqual(['lifecycle/owner-record-changed']);
    repo.run('rm', '-q', path);
    const removed = await check(repo.commit('remove'));
    expect(removed.ok).toBe(false);
    expect(codesOf(removed, path)).toEqual(['lifecycle/owner-record-changed']);
  });

  it('lets a login-rename PR record the new login beside its rename record', async () => {
    const withOld = { oldalice: 1001 };
    for (const [login, accountId] of Object.entries(withOld)) repo.write(ownerPath(login), serializeOwnerFile({ login, accountId }));
    base = repo.commit('old login recorded');
    repo.write(path, serializeOwnerFile({ login: 'alice', accountId: 1001 }));
    const result = await check(rename('io.github.oldalice/weather', 'io.github.alice/weather'), []);
    expect(codesOf(result, 'registry/renames/io.github.oldalice/weather.yaml')).toEqual([]);
    expect(codesOf(result, path)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('publishing under a login whose account id is recorded', () => {
  const path = 'servers/io.github.alice/weather/1.1.0.json';

  it('refuses a version from an account that took the freed login', async () => {
    setUp({ alice: 4242 });
    repo.write(path, serverJson('io.github.alice/weather', '1.1.0'));
    const result = await check(repo.commit('new version'));
    expect(result.ok).toBe(false);
    expect(codesOf(result, path)).toEqual(['lifecycle/publisher-account-mismatch']);
  });

  it('accepts a version from the recorded account', async () => {
    setUp({ alice: 1001 });
    repo.write(path, serverJson('io.github.alice/weather', '1.1.0'));
    const result = await check(repo.commit('new version'));
    expect(codesOf(result, path)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
