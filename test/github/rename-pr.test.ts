import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner } from '../../scripts/github/run-checks.ts';
import { serializeRenameFile } from '../../scripts/state/rename-file.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
const AT = '2026-03-01T10:00:00Z';
let repo: TestRepo;
let base: string;
let scratch: string;

beforeEach(() => {
  repo = makeRepo();
  for (const name of ['io.github.alice/weather', 'io.github.alice/forecast', 'io.github.bob/tool', 'com.example/thing']) {
    repo.write(`servers/${name}/1.0.0.json`, serverJson(name, '1.0.0'));
  }
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
  scratch = mkdtempSync(join(tmpdir(), 'mcp-registry-renamepr-'));
});
afterEach(() => {
  repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

function record(from: string, to: string): [string, string] {
  const [ns, name] = from.split('/') as [string, string];
  return [`registry/renames/${ns}/${name}.yaml`, serializeRenameFile({ from, to, renamedAt: AT, renamedBy: 'owner' })];
}

function check(head: string, approvals?: readonly string[]) {
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
    ...(approvals !== undefined ? { approvals: async () => approvals.map((login) => ({ login })) } : {}),
  });
}

describe('the PR check explains a rename PR', () => {
  it('names both namespaces the author owns and leaves the merge to a maintainer', async () => {
    repo.write(...record('io.github.alice/weather', 'io.github.alice/forecast'));
    const result = await check(repo.commit('rename'));
    expect(result.ok).toBe(true);
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons).toContain(
      'it renames io.github.alice/weather to io.github.alice/forecast (alice owns io.github.alice); a maintainer reviews every rename before it is merged',
    );
  });

  it('refuses a rename to a name someone else owns', async () => {
    repo.write(...record('io.github.alice/weather', 'io.github.bob/tool'));
    const result = await check(repo.commit('rename'));
    expect(result.ok).toBe(false);
    const file = result.files.find((f) => f.path === 'registry/renames/io.github.alice/weather.yaml');
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/rename-not-owner']);
    expect(result.reviewReasons.some((r) => r.includes('io.github.bob belongs to bob, not alice'))).toBe(true);
  });

  it('leaves a domain namespace’s proof to the maintainer, saying so', async () => {
    repo.write(...record('com.example/thing', 'io.github.alice/forecast'));
    const result = await check(repo.commit('rename'));
    expect(result.reviewReasons.some((r) => r.includes('com.example is a domain namespace: a maintainer confirms that alice holds its key'))).toBe(true);
  });

  it('refuses a rename PR that also edits a published version, and a chain onto a merged rename', async () => {
    repo.write(...record('io.github.alice/weather', 'io.github.alice/forecast'));
    base = repo.commit('merged rename');
    repo.write(...record('io.github.alice/forecast', 'io.github.alice/new'));
    repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson('io.github.alice/weather', '1.0.0', { description: 'changed' }));
    const result = await check(repo.commit('chain and edit'));
    expect(result.ok).toBe(false);
    const codes = result.files.find((f) => f.path === 'registry/renames/io.github.alice/forecast.yaml')?.diagnostics.map((d) => d.code);
    expect(codes).toEqual(['lifecycle/rename-chain', 'lifecycle/rename-with-other-changes']);
  });

  it('refuses a cycle: renaming the new name back onto a merged rename’s old name', async () => {
    repo.write(...record('io.github.alice/weather', 'io.github.alice/forecast'));
    base = repo.commit('merged rename');
    repo.write(...record('io.github.alice/forecast', 'io.github.alice/weather'));
    const result = await check(repo.commit('cycle'));
    expect(result.ok).toBe(false);
    expect(result.files.find((f) => f.path === 'registry/renames/io.github.alice/forecast.yaml')?.diagnostics.map((d) => d.code)).toEqual([
      'lifecycle/rename-cycle',
    ]);
  });

  it('classifies a rename record as a rename, not as a file outside the registry', async () => {
    repo.write(...record('io.github.alice/weather', 'io.github.alice/forecast'));
    const result = await check(repo.commit('rename'));
    const file = result.files.find((f) => f.path === 'registry/renames/io.github.alice/weather.yaml');
    expect(file?.kind).toBe('rename');
    expect(file?.serverName).toBe('io.github.alice/weather');
    expect(file?.diagnostics).toEqual([]);
    expect(result.reviewReasons.some((r) => r.includes('outside servers/'))).toBe(false);
  });
});

describe('a merged rename record is immutable', () => {
  const path = 'registry/renames/io.github.alice/weather.yaml';
  beforeEach(() => {
    repo.write(...record('io.github.alice/weather', 'io.github.alice/forecast'));
    base = repo.commit('merged rename');
  });

  it('refuses removing it', async () => {
    repo.run('rm', '-q', path);
    const result = await check(repo.commit('remove rename'));
    expect(result.ok).toBe(false);
    const file = result.files.find((f) => f.path === path);
    expect(file?.kind).toBe('rename');
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/rename-record-changed']);
    expect(file?.diagnostics[0]?.message).toContain('cannot be deleted');
  });

  it('refuses editing it', async () => {
    repo.write(path, serializeRenameFile({ from: 'io.github.alice/weather', to: 'io.github.alice/other', renamedAt: AT, renamedBy: 'owner' }));
    const result = await check(repo.commit('edit rename'));
    expect(result.ok).toBe(false);
    const codes = result.files.find((f) => f.path === path)?.diagnostics.map((d) => d.code);
    expect(codes).toContain('lifecycle/rename-record-changed');
  });

  it('refuses moving it to another old name', async () => {
    repo.run('mv', path, 'registry/renames/io.github.alice/other.yaml');
    const result = await check(repo.commit('move rename'));
    expect(result.ok).toBe(false);
    const all = result.files.flatMap((f) => f.diagnostics.map((d) => d.code));
    expect(all).toContain('lifecycle/rename-record-changed');
  });

  it('still accepts a new record beside it', async () => {
    repo.write(...record('io.github.bob/tool', 'io.github.bob/tool2'));
    const result = await check(repo.commit('second rename'));
    const file = result.files.find((f) => f.path === 'registry/renames/io.github.bob/tool.yaml');
    expect(file?.diagnostics.map((d) => d.code)).not.toContain('lifecycle/rename-record-changed');
  });

  it('reads a rename out of another login into the author’s as a transfer, for a maintainer to confirm', async () => {
    repo.write(...record('io.github.bob/tool', 'io.github.alice/tool'));
    const result = await check(repo.commit('transfer'));
    expect(result.ok).toBe(true);
    expect(result.autoMerge).toBe(false);
    expect(result.reviewReasons.some((r) => r.startsWith('it transfers io.github.bob/tool from bob to io.github.alice/tool'))).toBe(true);
  });

  it('refuses a transfer without the old owner’s approval, and accepts it with', async () => {
    repo.write(...record('io.github.bob/tool', 'io.github.alice/tool'));
    const head = repo.commit('transfer');
    const refused = await check(head, ['carol']);
    expect(refused.ok).toBe(false);
    const file = refused.files.find((f) => f.path === 'registry/renames/io.github.bob/tool.yaml');
    expect(file?.diagnostics.map((d) => d.code)).toEqual(['lifecycle/transfer-without-consent']);
    const approved = await check(head, ['bob']);
    expect(approved.ok).toBe(true);
    expect(approved.autoMerge).toBe(false);
    expect(approved.reviewReasons.some((r) => r.includes('bob approved this pull request'))).toBe(true);
  });
});
