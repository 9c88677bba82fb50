/**
 * A namespace transfer end to end over a real git repository: `mcp-registry rename --namespace io.github.bob
 * io.github.alice` writes one record per server of bob's, and the PR check reads the PR as one transfer per
 * server, each needing bob's approval; then the build answers bob's old names with alice's entries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestFile, versionFile } from '../../scripts/api/api-layout.ts';
import { main } from '../../scripts/cli/main.ts';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { parseRenameFile } from '../../scripts/state/rename-file.ts';
import { API_EMITTERS } from '../fixtures/api/build-fixture.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const SERVERS = ['forecast', 'weather'];
let repo: TestRepo;
let base: string;
const out: string[] = [];
const err: string[] = [];

function rename(...argv: string[]): Promise<number> {
  out.length = 0;
  err.length = 0;
  return main(['rename', ...argv, '--now', '2026-03-01T10:00:00Z'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: repo.dir, env: {} });
}

beforeEach(() => {
  repo = makeRepo();
  for (const s of SERVERS) {
    repo.write(`servers/io.github.bob/${s}/1.0.0.json`, serverJson(`io.github.bob/${s}`, '1.0.0'));
    repo.write(`servers/io.github.alice/${s}/2.0.0.json`, serverJson(`io.github.alice/${s}`, '2.0.0'));
  }
  base = repo.commit('bob and alice publish');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

function check(head: string, approvals: readonly string[]) {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: { ...parsed.value, author: 'alice', baseSha: base, headSha: head },
    maintainer: async () => ({ maintainer: false }),
    verify: false,
    endpoints: [],
    maxFiles: 100,
    runCli: createCliRunner(),
    approvals: async () => approvals.map((login) => ({ login })),
  });
}

describe('a namespace transfer by pull request', () => {
  it('writes a record per server, needs bob’s approval for each, and then answers bob’s names with alice’s', async () => {
    expect(await rename('--namespace', 'io.github.bob', 'io.github.alice'), err.join('')).toBe(0);
    expect(out.join('')).toContain('next: git add registry/renames,');
    const head = repo.commit('alice takes over io.github.bob');
    const paths = SERVERS.map((s) => `registry/renames/io.github.bob/${s}.yaml`);

    const refused = await check(head, []);
    expect(refused.ok).toBe(false);
    for (const p of paths) expect(refused.files.find((f) => f.path === p)?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/transfer-without-consent']);

    const approved = await check(head, ['bob']);
    expect(approved.ok).toBe(true);
    expect(approved.autoMerge).toBe(false);
    for (const s of SERVERS) {
      expect(
        approved.reviewReasons.some((r) => r.startsWith(`it transfers io.github.bob/${s} from bob to io.github.alice/${s}`) && r.includes('bob approved')),
      ).toBe(true);
    }

    const built = await buildRegistry({ root: repo.dir, config: structuredClone(DEFAULT_CONFIG), host: 'node', emitters: API_EMITTERS });
    expect(built.report.ok).toBe(true);
    for (const s of SERVERS) {
      const latest = JSON.parse(readFileSync(join(repo.dir, 'dist', latestFile(`io.github.bob/${s}`) as string), 'utf8'));
      expect(latest.server.name).toBe(`io.github.alice/${s}`);
      // bob's 1.0.0 is a version alice never published: it keeps answering under bob's name.
      const kept = JSON.parse(readFileSync(join(repo.dir, 'dist', versionFile(`io.github.bob/${s}`, '1.0.0') as string), 'utf8'));
      expect(kept.server.name).toBe(`io.github.bob/${s}`);
    }
  });

  it('writes nothing when one of the servers cannot be renamed, and refuses an empty namespace', async () => {
    repo.write('registry/renames/io.github.alice/weather.yaml', 'renamedTo: io.github.carol/weather\nrenamedAt: 2026-01-01T00:00:00Z\nrenamedBy: owner\n');
    expect(await rename('--namespace', 'io.github.bob', 'io.github.alice')).toBe(1);
    expect(err.join('')).toContain('registry/renames/io.github.bob/weather.yaml: error lifecycle/rename-chain');
    expect(repo.run('status', '--porcelain', 'registry/renames/io.github.bob')).toBe('');
    expect(await rename('--namespace', 'io.github.nobody', 'io.github.alice')).toBe(1);
    expect(err.join('')).toContain('no servers published under servers/io.github.nobody/');
  });
});

describe('a transfer by a maintainer’s decision, when the old owner is gone', () => {
  function checkBy(head: string, author: string, maintainer: boolean) {
    const parsed = readPullRequestEvent(payload);
    if (!parsed.ok) throw new Error(parsed.error);
    return runPrCheck({
      repo: repo.dir,
      base,
      head,
      event: { ...parsed.value, author, baseSha: base, headSha: head },
      maintainer: async () => (maintainer ? { maintainer: true, via: 'registry.config.yaml' } : { maintainer: false }),
      verify: false,
      endpoints: [],
      maxFiles: 100,
      runCli: createCliRunner(),
      approvals: async () => [],
    });
  }
  const PATH = 'registry/renames/io.github.bob/weather.yaml';

  it('accepts a maintainer’s record with a reason, for a maintainer to merge, and says why', async () => {
    const reason = 'bob deleted the account; alice maintains the fork (issue #807)';
    expect(await rename('io.github.bob/weather', 'io.github.alice/weather', '--maintainer', '--reason', reason), err.join('')).toBe(0);
    expect(parseRenameFile(readFileSync(join(repo.dir, PATH), 'utf8'), 'io.github.bob/weather').value?.reason).toBe(reason);
    const result = await checkBy(repo.commit('carol decides'), 'carol', true);
    expect(result.files.find((f) => f.path === PATH)?.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.some((r) => r.includes("by a maintainer's decision (carol is a maintainer; reason: bob deleted the account"))).toBe(true);
  });

  it('refuses it without a reason, and flags a non-maintainer who records one', async () => {
    expect(await rename('io.github.bob/weather', 'io.github.alice/weather', '--maintainer')).toBe(0);
    const head = repo.commit('no reason');
    const noReason = await checkBy(head, 'carol', true);
    expect(noReason.files.find((f) => f.path === PATH)?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/transfer-without-consent']);
    const claimed = await checkBy(head, 'alice', false);
    expect(claimed.files.find((f) => f.path === PATH)?.diagnostics.map((d) => d.code)).toEqual([
      'lifecycle/maintainer-claim',
      'lifecycle/transfer-without-consent',
    ]);
    expect(await rename('io.github.bob/forecast', 'io.github.alice/forecast', '--reason', 'x')).toBe(2);
  });
});
