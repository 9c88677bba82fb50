import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRawDiff } from '../../scripts/github/changed-files.ts';
import { classifyChanges, type ChangeSet } from '../../scripts/github/classify-changes.ts';
import { diffRaw, listTree } from '../../scripts/github/git.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const W1 = 'servers/io.github.alice/weather/1.0.0.json';

let repo: TestRepo;
let base: string;

beforeEach(() => {
  repo = makeRepo();
  repo.write(W1, serverJson('io.github.alice/weather', '1.0.0'));
  repo.write('README.md', 'registry\n');
  base = repo.commit('base');
  repo.run('checkout', '-q', '-b', 'pr');
});
afterEach(() => repo.cleanup());

async function changesOnBranch(renames = true): Promise<ChangeSet> {
  const head = repo.commit('pr');
  const parsed = parseRawDiff(await diffRaw(repo.dir, base, head, renames));
  if (!parsed.ok) throw new Error(parsed.error);
  const published = new Set((await listTree(repo.dir, base, 'servers')).map((p) => p.split('/').slice(1, 3).join('/').toLowerCase()));
  return classifyChanges(parsed.value, { publishedServers: published, maxFiles: 100 });
}

function codes(set: ChangeSet): string[] {
  return set.files.flatMap((f) => f.diagnostics.map((d) => d.code)).concat(set.diagnostics.map((d) => d.code));
}

describe('changed files from a real git repository', () => {
  it('classifies a new version of a published server as new-version with no diagnostics', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0'));
    const set = await changesOnBranch();
    expect(set.files).toMatchObject([{ path: 'servers/io.github.alice/weather/1.1.0.json', kind: 'new-version', version: '1.1.0', checkContent: true }]);
    expect(codes(set)).toEqual([]);
  });

  it('classifies the first version of a server as new-server', async () => {
    repo.write('servers/io.github.bob/maps/0.1.0.json', serverJson('io.github.bob/maps', '0.1.0'));
    const set = await changesOnBranch();
    expect(set.files[0]).toMatchObject({ kind: 'new-server', serverName: 'io.github.bob/maps', namespace: 'io.github.bob' });
  });

  it('refuses an edit of a published version file', async () => {
    repo.write(W1, serverJson('io.github.alice/weather', '1.0.0', { title: 'Changed' }));
    expect(codes(await changesOnBranch())).toEqual(['immutability/modified']);
  });

  it('refuses the deletion of a published version file', async () => {
    repo.remove(W1);
    const set = await changesOnBranch();
    expect(codes(set)).toEqual(['immutability/deleted']);
    expect(set.files[0]!.checkContent).toBe(false);
  });

  it('refuses a rename of a published version into another namespace and says so', async () => {
    repo.move(W1, 'servers/io.github.mallory/weather/1.0.0.json');
    const set = await changesOnBranch();
    expect(codes(set)).toEqual(['immutability/renamed']);
    expect(set.files[0]!.diagnostics[0]!.message).toMatch(/another namespace/);
  });

  it('sees a rename as a deletion when renames are not detected', async () => {
    repo.move(W1, 'servers/io.github.alice/weather/1.0.1.json');
    expect(codes(await changesOnBranch(false)).sort()).toEqual(['immutability/deleted']);
  });

  it('refuses a mode change of a published version file', async () => {
    repo.chmod(W1, 0o755);
    const set = await changesOnBranch();
    expect(codes(set)).toEqual(['immutability/mode-changed']);
  });

  it('refuses a symbolic link added under servers/', async () => {
    repo.symlink('/etc/passwd', 'servers/io.github.bob/evil/1.0.0.json');
    const set = await changesOnBranch();
    expect(codes(set)).toEqual(['pr/not-a-regular-file']);
    expect(set.files[0]!.checkContent).toBe(false);
  });

  it('refuses a published file replaced by a symbolic link', async () => {
    repo.remove(W1);
    repo.symlink('../../../README.md', W1);
    expect(codes(await changesOnBranch()).sort()).toEqual(['immutability/mode-changed', 'pr/not-a-regular-file']);
  });

  it('accepts a signature beside a new version and points its checks at the version file', async () => {
    repo.write('servers/io.github.alice/weather/1.1.0.json', serverJson('io.github.alice/weather', '1.1.0'));
    repo.write('servers/io.github.alice/weather/1.1.0.json.sig', 'sig\n');
    const set = await changesOnBranch();
    expect(codes(set)).toEqual([]);
    expect(set.files[1]).toMatchObject({
      path: 'servers/io.github.alice/weather/1.1.0.json.sig',
      checkContent: true,
      checkPath: 'servers/io.github.alice/weather/1.1.0.json',
    });
  });

  it('lets a published signature be replaced but not removed', async () => {
    repo.write('servers/io.github.alice/weather/1.0.0.json.sig', 'old\n');
    base = repo.commit('signed');
    repo.write('servers/io.github.alice/weather/1.0.0.json.sig', 'new\n');
    expect(codes(await changesOnBranch())).toEqual([]);
    repo.remove('servers/io.github.alice/weather/1.0.0.json.sig');
    expect(codes(await changesOnBranch())).toEqual(['immutability/deleted']);
  });

  it('flags files outside servers/ and registry/status/ for a human', async () => {
    repo.write('scripts/evil.ts', 'process.exit(0)\n');
    const set = await changesOnBranch();
    expect(set.files[0]).toMatchObject({ kind: 'other', diagnostics: [{ code: 'pr/outside-registry', severity: 'warning' }] });
  });

  it('refuses a file under servers/ that is not namespace/name/version.json', async () => {
    repo.write('servers/io.github.bob/notes.txt', 'hi\n');
    expect(codes(await changesOnBranch())).toEqual(['pr/unexpected-path']);
  });

  it('treats a status file as a lifecycle change', async () => {
    repo.write('registry/status/io.github.alice/weather.yaml', 'versions: {}\n');
    const set = await changesOnBranch();
    expect(set.files[0]).toMatchObject({ kind: 'lifecycle', serverName: 'io.github.alice/weather', checkContent: true });
  });

  it('treats a status file’s signature as a lifecycle change judged with its status file', async () => {
    repo.write('registry/status/com.example/weather.yaml.sig', '{}\n');
    const set = await changesOnBranch();
    expect(codes(set)).toEqual([]);
    expect(set.files[0]).toMatchObject({
      kind: 'lifecycle',
      serverName: 'com.example/weather',
      namespace: 'com.example',
      checkContent: true,
      checkPath: 'registry/status/com.example/weather.yaml',
    });
  });

  it('refuses moving a status signature to another server’s status file', async () => {
    repo.write('registry/status/com.example/a.yaml.sig', '{"a": 1}\n');
    base = repo.commit('signed');
    repo.move('registry/status/com.example/a.yaml.sig', 'registry/status/com.example/b.yaml.sig');
    const set = await changesOnBranch();
    expect(codes(set)).toEqual(['lifecycle/signature-moved']);
    expect(set.files[0]!.checkContent).toBe(false);
  });

  it('keeps paths with spaces, quotes and shell metacharacters intact', async () => {
    const odd = 'servers/io.github.bob/x/1.0.0 $(touch pwned) `id` "q".json';
    repo.write(odd, '{}\n');
    const set = await changesOnBranch();
    expect(set.files.map((f) => f.path)).toEqual([odd]);
  });

  it('refuses a pull request touching 2,000 files as a whole', async () => {
    for (let i = 0; i < 2000; i++) repo.write(`servers/io.github.bob/s${i}/1.0.0.json`, '{}\n');
    const set = await changesOnBranch();
    expect(set.files).toEqual([]);
    expect(codes(set)).toEqual(['pr/too-many-files']);
    expect(set.diagnostics[0]!.message).toMatch(/2000 files/);
  });

  it('diffs against the merge base, so later commits on main are not blamed on the PR', async () => {
    repo.write('servers/io.github.bob/maps/0.1.0.json', serverJson('io.github.bob/maps', '0.1.0'));
    const head = repo.commit('pr');
    repo.run('checkout', '-q', 'main');
    repo.write('servers/io.github.carol/x/1.0.0.json', serverJson('io.github.carol/x', '1.0.0'));
    const mainHead = repo.commit('main moves on');
    const parsed = parseRawDiff(await diffRaw(repo.dir, mainHead, head, true));
    expect(parsed.ok && parsed.value.map((f) => f.path)).toEqual(['servers/io.github.bob/maps/0.1.0.json']);
  });

  it('rejects a revision that git would read as an option', async () => {
    await expect(diffRaw(repo.dir, '--output=/tmp/x', 'HEAD', true)).rejects.toThrow(/not a git revision/);
  });
});

describe('parseRawDiff', () => {
  it('reports a truncated record instead of guessing', () => {
    const result = parseRawDiff(':100644 100644 aaaa bbbb R100\0old.json\0');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/middle of a record/) });
  });

  it('reports output that is not raw diff format', () => {
    expect(parseRawDiff('M\0file\0').ok).toBe(false);
  });
});
