/**
 * Attack: a maintainer deletes a server with a moderation reason; its namespace owner opens a PR that restores it
 * (or empties, deletes or relabels the status file) and the bot used to merge it. Real git, real lifecycle
 * commands, the real PR check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import type { MaintainerCheck } from '../../scripts/github/maintainers.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const STATUS = 'registry/status/io.github.alice/weather.yaml';
const OWNER: MaintainerCheck = { maintainer: false };

let repo: TestRepo;
let base: string;

async function lifecycle(...args: string[]): Promise<void> {
  let stderr = '';
  const code = await main([...args, '--now', '2026-03-01T10:00:00Z'], {
    stdout: () => {},
    stderr: (t) => {
      stderr += t;
    },
    cwd: repo.dir,
    env: {},
  });
  expect(code, stderr).toBe(0);
}

beforeEach(async () => {
  repo = makeRepo();
  repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson('io.github.alice/weather', '1.0.0'));
  repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0'));
  repo.commit('published');
  await lifecycle('delete', 'io.github.alice/weather', '--version', '1.0.0', '--message', 'Removed after takedown request #12 (malware)', '--maintainer');
  base = repo.commit('takedown');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

function check(head: string, maintainer: MaintainerCheck = OWNER) {
  const parsed = readPullRequestEvent(payload);
  if (!parsed.ok) throw new Error(parsed.error);
  // The fixture's author is alice, the owner of io.github.alice.
  return runPrCheck({
    repo: repo.dir,
    base,
    head,
    event: { ...parsed.value, baseSha: base, headSha: head },
    maintainer: async () => maintainer,
    verify: false,
    endpoints: [],
    maxFiles: 100,
    runCli: createCliRunner(),
  });
}

describe('a maintainer’s takedown', () => {
  it('is recorded in the status file as the maintainer’s decision', () => {
    expect(readFileSync(join(repo.dir, STATUS), 'utf8')).toMatch(
      /status: deleted\n\s+statusMessage: "Removed after takedown request #12 \(malware\)"\n\s+statusChangedAt: "2026-03-01T10:00:00Z"\n\s+statusChangedBy: maintainer/,
    );
  });

  it('is not undone by the owner’s restore: a human decides', async () => {
    await lifecycle('restore', 'io.github.alice/weather', '--version', '1.0.0');
    const result = await check(repo.commit('restore my server'));
    expect(result).toMatchObject({ ok: true, autoMerge: false });
    expect(result.labels).toContain('needs-review');
    expect(result.reviewReasons).toContain(`it changes a maintainer's decision in ${STATUS} (version 1.0.0), which only a maintainer may change`);
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/maintainer-decision']);
  }, 30_000);

  it('is not undone by emptying the status file', async () => {
    repo.write(STATUS, '');
    const result = await check(repo.commit('empty it'));
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.join('\n')).toMatch(/changes a maintainer's decision/);
  }, 30_000);

  it('is not undone by deleting the status file', async () => {
    repo.remove(STATUS);
    const result = await check(repo.commit('delete it'));
    expect(result).toMatchObject({ ok: false, autoMerge: false });
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/state-removed', 'lifecycle/maintainer-decision']);
  }, 30_000);

  it('is not undone by an owner who labels the restore a maintainer’s decision', async () => {
    await lifecycle('restore', 'io.github.alice/weather', '--version', '1.0.0', '--maintainer');
    const result = await check(repo.commit('restore, claiming to be a maintainer'));
    expect(result.autoMerge).toBe(false);
    expect(result.files[0]!.diagnostics.map((d) => d.code)).toEqual(['lifecycle/maintainer-decision', 'lifecycle/maintainer-claim']);
  }, 30_000);

  it('leaves the owner free to change the versions the maintainer did not decide', async () => {
    await lifecycle('deprecate', 'io.github.alice/weather', '--version', '1.1.0', '--message', 'Use 2.0.0 soon');
    const result = await check(repo.commit('deprecate 1.1.0'));
    expect(result).toMatchObject({ ok: true, autoMerge: true, reviewReasons: [] });
  }, 30_000);

  it('is changed by a maintainer’s PR, which the bot merges', async () => {
    await lifecycle('restore', 'io.github.alice/weather', '--version', '1.0.0', '--maintainer');
    const result = await check(repo.commit('appeal upheld (#13)'), { maintainer: true, via: 'maintainers: alice' });
    expect(result).toMatchObject({ ok: true, autoMerge: true, reviewReasons: [] });
  }, 30_000);
});

describe('an owner’s change that claims to be a maintainer’s', () => {
  it('goes to a human even where no maintainer decided before', async () => {
    await lifecycle('deprecate', 'io.github.alice/weather', '--version', '1.1.0', '--message', 'Policy', '--maintainer');
    const result = await check(repo.commit('deprecate, as if a maintainer'));
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons).toContain(`${STATUS} records version 1.1.0 as a maintainer's decision, but alice is not a maintainer`);
  }, 30_000);
});
