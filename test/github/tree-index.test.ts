/**
 * The registry-wide rules over a light read of the files not asked (validate/registry-index.ts): from disk
 * (validate-tree.ts) and from git (github/tree-index.ts, what the PR check passes as --registry-index), each must
 * give exactly the verdicts and diagnostics of the whole documents, for every registry-wide violation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { Report } from '../../scripts/core/diagnostics.ts';
import { pathsToExport } from '../../scripts/github/check-tree.ts';
import { runPrCheck } from '../../scripts/github/pr-check-run.ts';
import { readPullRequestEvent } from '../../scripts/github/pr-event.ts';
import { createCliRunner, type CliRunner } from '../../scripts/github/run-checks.ts';
import { serversIndex } from '../../scripts/github/tree-index.ts';
import { readServersTree } from '../../scripts/load/servers-tree.ts';
import { parseRegistryIndex, registryFacts, renderRegistryIndex } from '../../scripts/validate/registry-index.ts';
import { validateTree } from '../../scripts/validate/validate-tree.ts';
import { makeRepo, serverJson, type TestRepo } from '../fixtures/github/git-repo.ts';

const remote = (url: string) => ({ remotes: [{ type: 'streamable-http', url }] });

let repo: TestRepo;
beforeEach(() => {
  repo = makeRepo();
  // The tree the changed files meet: plain versions, and siblings the rules must read the same way however read.
  repo.write('servers/io.github.alice/weather/1.0.0.json', serverJson('io.github.alice/weather', '1.0.0', remote('https://weather.alice.dev/mcp')));
  repo.write('servers/io.github.bob/xray/1.0.0.json', serverJson('io.github.bob/xray', '1.0.0'));
  repo.write('servers/com.example/api/1.0.0.json', serverJson('com.example/api', '1.0.0', remote('https://api.example.com/mcp')));
  repo.write('servers/io.github.erin/bom/1.0.0.json', `\uFEFF${serverJson('io.github.erin/bom', '1.0.0', remote('https://bom.erin.dev/mcp'))}`);
  repo.write(
    'servers/io.github.erin/echo/1.0.0.json',
    `${serverJson('io.github.erin/echo', '1.0.0', { remotes: ['not an object', { type: 'sse' }, { type: 'sse', url: 'https://e.erin.dev/sse' }] })}`,
  );
  repo.write('servers/io.github.erin/broken/1.0.0.json', '{ "name": "io.github.erin/broken", ');
  repo.write('servers/io.github.erin/list/1.0.0.json', '[1, 2]');
  repo.write('servers/io.github.erin/odd/1.0.0.json', JSON.stringify({ name: 'io.github.erin/odd', version: 1, remotes: 'x' }));
  repo.symlink('../weather/1.0.0.json', 'servers/io.github.alice/linked/1.0.0.json');
  repo.symlink('nowhere', 'servers/io.github.alice/linked/README');
  repo.write('servers/io.github.alice/weather/notes.txt', 'not a version file');
});
afterEach(() => repo.cleanup());

/** Each change meets one registry-wide rule (the code it must raise). */
const CHANGES: { what: string; files: Record<string, string>; codes: string[]; sameAsWholeTree: boolean }[] = [
  {
    what: 'a path that disagrees with name and version',
    files: { 'servers/io.github.bob/yankee/2.0.0.json': serverJson('io.github.bob/yankee', '1.0.0') },
    codes: ['registry/path-mismatch'],
    sameAsWholeTree: true,
  },
  {
    what: 'a version another file already claims',
    files: { 'servers/io.github.bob/xray/1.0.1.json': serverJson('io.github.bob/xray', '1.0.0') },
    codes: ['registry/duplicate-version', 'registry/path-mismatch'],
    sameAsWholeTree: true,
  },
  {
    what: 'a name that differs only by case',
    files: { 'servers/io.github.alice/Weather/1.1.0.json': serverJson('io.github.alice/Weather', '1.1.0') },
    codes: ['registry/name-case-conflict'],
    sameAsWholeTree: true,
  },
  {
    what: 'a remote URL an active server lists',
    files: { 'servers/io.github.carol/charlie/1.0.0.json': serverJson('io.github.carol/charlie', '1.0.0', remote('https://weather.alice.dev/mcp')) },
    codes: ['registry/remote-url-conflict'],
    sameAsWholeTree: true,
  },
  {
    what: 'a remote URL of a sibling whose remotes list holds gaps',
    files: { 'servers/io.github.carol/sierra/1.0.0.json': serverJson('io.github.carol/sierra', '1.0.0', remote('https://e.erin.dev/sse')) },
    codes: ['registry/remote-url-conflict'],
    sameAsWholeTree: true,
  },
  {
    // A newcomer is refused; over the whole tree an old holder is only warned (registry-rules.ts, `newcomers`).
    what: 'a remote URL a domain namespace claims with proof',
    files: { 'servers/io.github.dave/delta/1.0.0.json': serverJson('io.github.dave/delta', '1.0.0', remote('https://api.example.com/mcp')) },
    codes: ['registry/remote-url-conflict'],
    sameAsWholeTree: false,
  },
  {
    what: 'a namespace that is not the host claiming a URL an active server lists',
    files: { 'servers/com.example/weather/1.0.0.json': serverJson('com.example/weather', '1.0.0', remote('https://weather.alice.dev/mcp')) },
    codes: ['registry/remote-url-conflict', 'remote/domain-mismatch'],
    sameAsWholeTree: true,
  },
  {
    what: 'the domain namespace of the host claiming a URL an active server lists (a warning)',
    files: { 'servers/dev.alice/weather/1.0.0.json': serverJson('dev.alice/weather', '1.0.0', remote('https://weather.alice.dev/mcp')) },
    codes: ['registry/remote-url-claimed'],
    sameAsWholeTree: true,
  },
  {
    what: 'two changed files claiming one version between them',
    files: {
      'servers/io.github.frank/foxtrot/1.0.0.json': serverJson('io.github.frank/foxtrot', '1.0.0'),
      'servers/io.github.frank/foxtrot/1.0.1.json': serverJson('io.github.frank/foxtrot', '1.0.0'),
    },
    codes: ['registry/duplicate-version', 'registry/duplicate-version', 'registry/path-mismatch'],
    sameAsWholeTree: true,
  },
];

function codes(r: Report): string[] {
  return r.files.flatMap((f) => f.diagnostics.map((d) => d.code)).sort();
}

describe('registry-wide rules over a light read of the rest', () => {
  for (const change of CHANGES) {
    it(`give the same verdict as the whole documents: ${change.what}`, async () => {
      for (const [path, text] of Object.entries(change.files)) repo.write(path, text);
      const head = repo.commit('change');
      const asked = Object.keys(change.files);
      // The reference: every other file read and parsed whole (what validate did before the light read).
      const reference = (await validateTree(repo.dir, DEFAULT_CONFIG, asked, undefined, { siblings: await readServersTree(repo.dir) })).report;
      expect(codes(reference)).toEqual(change.codes);
      expect(reference.ok).toBe(!change.codes.some((c) => c !== 'registry/remote-url-claimed'));

      const fromDisk = (await validateTree(repo.dir, DEFAULT_CONFIG, asked)).report;
      const index = parseRegistryIndex(renderRegistryIndex((await serversIndex(repo.dir, head)).files));
      if (!index.ok) throw new Error(index.error);
      const fromGit = (await validateTree(repo.dir, DEFAULT_CONFIG, asked, undefined, { siblings: index.value })).report;
      expect(fromDisk).toEqual(reference);
      expect(fromGit).toEqual(reference);

      const whole = (await validateTree(repo.dir, DEFAULT_CONFIG)).report.files.filter((f) => asked.includes(f.path));
      if (change.sameAsWholeTree) expect(whole).toEqual(reference.files);
      else expect(whole).not.toEqual(reference.files);
    });
  }

  it('reads from git exactly the files a walk of the exported tree lists, with the same facts', async () => {
    const head = repo.commit('base');
    const fromGit = (await serversIndex(repo.dir, head)).files;
    const fromDisk = (await readServersTree(repo.dir)).map((f) => registryFacts(f.path, f.value));
    expect(fromGit).toEqual(fromDisk);
    expect(fromGit.find((f) => f.path.endsWith('linked/README'))).toEqual({ path: 'servers/io.github.alice/linked/README' });
    expect(fromGit.find((f) => f.path.endsWith('erin/bom/1.0.0.json'))?.value).toMatchObject({ name: 'io.github.erin/bom' });
    expect(fromGit.find((f) => f.path.endsWith('erin/echo/1.0.0.json'))?.value).toEqual({
      name: 'io.github.erin/echo',
      version: '1.0.0',
      remotes: [{}, {}, { url: 'https://e.erin.dev/sse' }],
    });
  });

  it('refuses an index file that is not one', () => {
    expect(parseRegistryIndex('{"format":"registry-index/0","files":[]}').ok).toBe(false);
    expect(parseRegistryIndex('{"format":"registry-index/1","files":[["a", 1]]}').ok).toBe(false);
    expect(parseRegistryIndex('nope').ok).toBe(false);
    expect(parseRegistryIndex('{"format":"registry-index/1","files":[["servers/a/b/1.json"]]}')).toEqual({ ok: true, value: [{ path: 'servers/a/b/1.json' }] });
  });
});

describe('the check tree', () => {
  it('writes only the touched servers: every version of each, folder names matched without case', async () => {
    repo.write('servers/io.github.alice/weather/1.0.0.json.sig', 'sig');
    const head = repo.commit('base');
    const { entries } = await serversIndex(repo.dir, head);
    const changed = [
      { path: 'servers/io.github.alice/weather/1.1.0.json', kind: 'new-version' as const, checkContent: true, diagnostics: [] },
      { path: 'registry/status/io.github.Bob/Xray.yaml', kind: 'lifecycle' as const, serverName: 'io.github.Bob/Xray', checkContent: true, diagnostics: [] },
      { path: 'registry.config.yaml', kind: 'other' as const, checkContent: true, diagnostics: [] },
    ];
    expect(pathsToExport(entries, changed)).toEqual([
      'servers/io.github.alice/weather/1.0.0.json',
      'servers/io.github.alice/weather/1.0.0.json.sig',
      'servers/io.github.alice/weather/notes.txt',
      'servers/io.github.bob/xray/1.0.0.json',
    ]);
  });
});

function filesUnder(dir: string, into: string[] = [], root = dir): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, into, root);
    else into.push(relative(root, path));
  }
  return into.sort();
}

describe('the PR check with the light read', () => {
  it('reports what validate over the whole checked-out tree reports, from a tree of the touched servers only', async () => {
    const base = repo.commit('base');
    repo.run('checkout', '-q', '-b', 'pr');
    const changed = {
      'servers/io.github.alice/weather/1.1.0.json': serverJson('io.github.alice/weather', '1.0.0'),
      'servers/io.github.alice/forecast/1.0.0.json': serverJson('io.github.alice/forecast', '1.0.0', remote('https://api.example.com/mcp')),
    };
    for (const [path, text] of Object.entries(changed)) repo.write(path, text);
    const head = repo.commit('add');
    const payload = JSON.parse(readFileSync(new URL('../fixtures/github/pull_request.opened.json', import.meta.url), 'utf8'));
    const event = readPullRequestEvent(payload);
    if (!event.ok) throw new Error(event.error);
    const real = createCliRunner();
    const seen: { args: readonly string[]; files: string[] }[] = [];
    const runCli: CliRunner = async (args, cwd) => {
      seen.push({ args, files: filesUnder(cwd) });
      return real(args, cwd);
    };
    const result = await runPrCheck({
      repo: repo.dir,
      base,
      head,
      event: { ...event.value, baseSha: base, headSha: head },
      maintainer: async () => ({ maintainer: false }),
      verify: false,
      endpoints: [],
      maxFiles: 100,
      runCli,
    });
    // validate over the working tree, every other file read whole from disk
    const whole = await real(['validate', '--format', 'json', '--', ...Object.keys(changed)], repo.dir);
    if (!whole.ok) throw new Error(whole.error);
    const byPath = (files: { path: string; diagnostics: unknown[] }[]) => Object.fromEntries(files.map((f) => [f.path, f.diagnostics]));
    const reported = byPath(result.files.filter((f) => f.path in changed));
    expect(reported).toEqual(byPath(whole.value.files));
    expect(
      Object.values(reported)
        .flatMap((d) => (d as { code: string }[]).map((x) => x.code))
        .sort(),
    ).toEqual(['registry/duplicate-version', 'registry/path-mismatch', 'registry/remote-url-conflict']);
    expect(result.ok).toBe(false);
    // Only alice's servers were written out; com.example/api and the others reached the rules through the index.
    expect(seen[0]?.files).toEqual([
      'servers/io.github.alice/forecast/1.0.0.json',
      'servers/io.github.alice/weather/1.0.0.json',
      'servers/io.github.alice/weather/1.1.0.json',
      'servers/io.github.alice/weather/notes.txt',
    ]);
  });
});
