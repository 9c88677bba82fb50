import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { versionFile } from '../../scripts/api/api-layout.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import type { BuildOptions } from '../../scripts/emit/build-registry.ts';
import type { WriteStats } from '../../scripts/files/atomic-tree.ts';
import { API_EMITTERS, CONTRACT_EMITTERS, serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' });
}

function publish(root: string, name: string, version: string, description: string, date: string): void {
  const path = `servers/${name}/${version}.json`;
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), `${JSON.stringify(serverDoc(name, version, description), null, 2)}\n`);
  git(root, ['add', path]);
  git(root, ['commit', '-q', '-m', `publish ${name} ${version}`], date);
}

/** Every file below `dir` → SHA-256 of its bytes. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return files;
}

/** Every file below `dir` (but `except`) is dated long ago, so stat records of them are not racy (load/file-digests.ts). */
function ageFiles(dir: string): void {
  const then = new Date('2020-01-01T00:00:00Z');
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) utimesSync(join(entry.parentPath, entry.name), then, then);
  }
}

async function build(root: string, out: string, cacheDir: string, site = false): Promise<WriteStats | undefined> {
  // With `site`, every emitter `mcp-registry build` runs (API, clients, site, search index, feed), host node.
  const options: BuildOptions = site
    ? { root, config: DEFAULT_CONFIG, out, cacheDir }
    : // http.conf names the folder nginx serves (by default the output folder): one fixed folder, so
      // the incremental and the cold build, written to different folders here, can be compared.
      { root, config: DEFAULT_CONFIG, emitters: API_EMITTERS, host: 'nginx', out, cacheDir, nginxRoot: '/srv/mcp-registry' };
  const result = await buildRegistry(options);
  expect(result.report.ok).toBe(true);
  return result.written?.stats;
}

describe('incremental build', () => {
  it('after a merged version is byte for byte the cold build of the same commit', async () => {
    const root = tempDir('incremental');
    git(root, ['init', '-q']);
    publish(root, 'io.github.gen/alpha', '1.0.0', 'First tool', '2025-01-01T10:00:00Z');
    publish(root, 'io.github.gen/beta', '1.0.0', 'Second tool', '2025-01-02T10:00:00Z');
    await build(root, 'dist', '.cache');
    publish(root, 'io.github.gen/alpha', '1.1.0', 'First tool, better', '2025-02-01T10:00:00Z');
    publish(root, 'io.github.gen/gamma', '1.0.0', 'Third tool', '2025-02-02T10:00:00Z');
    // The merge edits an old file too: its updatedAt must move, its publishedAt must not.
    writeFileSync(
      join(root, 'servers/io.github.gen/beta/1.0.0.json'),
      `${JSON.stringify(serverDoc('io.github.gen/beta', '1.0.0', 'Second tool, fixed'), null, 2)}\n`,
    );
    git(root, ['commit', '-q', '-am', 'fix beta'], '2025-02-03T10:00:00Z');
    await build(root, 'dist', '.cache');
    await build(root, 'cold', '.cold-cache');
    const incremental = tree(join(root, 'dist'));
    const cold = tree(join(root, 'cold'));
    expect(incremental.size).toBeGreaterThan(10);
    expect([...incremental.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [path, digest] of cold) expect(incremental.get(path), path).toBe(digest);
    const beta = JSON.parse(readFileSync(join(root, 'dist', versionFile('io.github.gen/beta', '1.0.0') ?? ''), 'utf8'));
    expect(beta._meta['io.modelcontextprotocol.registry/official']).toMatchObject({
      publishedAt: '2025-01-02T10:00:00.000Z',
      updatedAt: '2025-02-03T10:00:00.000Z',
    });
    rmSync(join(root, 'cold'), { recursive: true, force: true });
  });

  it('stays the cold build through touched, rewritten, deleted files and a rewritten history', { timeout: 120_000 }, async () => {
    const root = tempDir('incremental-steps');
    git(root, ['init', '-q']);
    publish(root, 'io.github.gen/alpha', '1.0.0', 'First tool', '2025-01-01T10:00:00Z');
    publish(root, 'io.github.gen/beta', '1.0.0', 'Second tool', '2025-01-02T10:00:00Z');
    publish(root, 'io.github.gen/beta', '1.1.0', 'Second tool again', '2025-01-03T10:00:00Z');
    ageFiles(join(root, 'servers'));
    // API, transparency log and nginx files: the log hashes every file, the API carries each hash in _meta.
    const options = (out: string, cacheDir: string): BuildOptions => ({
      root,
      config: DEFAULT_CONFIG,
      emitters: CONTRACT_EMITTERS,
      host: 'nginx',
      out,
      cacheDir,
      nginxRoot: '/srv/mcp-registry',
    });
    const beta = 'servers/io.github.gen/beta/1.0.0.json';
    const steps: [string, () => void][] = [
      ['nothing changed', () => {}],
      // Before any touch: the record holds beta with its old modification time, so only the change time tells.
      [
        'a file rewritten with the same size and modification time',
        () => {
          const text = readFileSync(join(root, beta), 'utf8');
          const same = text.replace('Second tool', 'Second Tool');
          expect(same.length).toBe(text.length);
          writeFileSync(join(root, beta), same);
          utimesSync(join(root, beta), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
          git(root, ['commit', '-q', '-am', 'fix beta'], '2025-02-01T10:00:00Z');
        },
      ],
      ['a file touched, bytes unchanged', () => utimesSync(join(root, beta), new Date(), new Date())],
      [
        'a version deleted',
        () => {
          git(root, ['rm', '-q', 'servers/io.github.gen/beta/1.1.0.json']);
          git(root, ['commit', '-q', '-m', 'drop beta 1.1.0'], '2025-02-02T10:00:00Z');
        },
      ],
      ['a version merged', () => publish(root, 'io.github.gen/gamma', '1.0.0', 'Third tool', '2025-02-03T10:00:00Z')],
      [
        'history rewritten (the last commit replaced)',
        () => {
          git(root, ['reset', '-q', '--hard', 'HEAD~1']);
          publish(root, 'io.github.gen/delta', '1.0.0', 'Fourth tool', '2025-02-04T10:00:00Z');
        },
      ],
    ];
    expect((await buildRegistry(options('dist', '.cache'))).report.ok).toBe(true);
    for (const [label, change] of steps) {
      change();
      const incremental = await buildRegistry(options('dist', '.cache'));
      expect(incremental.report.ok, label).toBe(true);
      rmSync(join(root, 'cold'), { recursive: true, force: true });
      rmSync(join(root, '.cold-cache'), { recursive: true, force: true });
      expect((await buildRegistry(options('cold', '.cold-cache'))).report.ok, label).toBe(true);
      const got = tree(join(root, 'dist'));
      const cold = tree(join(root, 'cold'));
      expect([...got.keys()].sort(), label).toEqual([...cold.keys()].sort());
      for (const [path, digest] of cold) expect(got.get(path), `${label}: ${path}`).toBe(digest);
    }
    // The steps went through the spare tree and the stat record, not around them.
    expect(readdirSync(root)).toContain('.dist.spare');
    expect(readdirSync(join(root, '.cache'))).toContain('entries.json');
    const served = readFileSync(join(root, 'dist', 'log', 'servers', 'io.github.gen@beta@1.0.0.json'), 'utf8');
    expect(served).toContain('Second Tool');
  });

  it('with the site and search index, after a merged version is byte for byte the cold build', { timeout: 300_000 }, async () => {
    const root = tempDir('incremental-site');
    git(root, ['init', '-q']);
    publish(root, 'io.github.gen/alpha', '1.0.0', 'First tool', '2025-01-01T10:00:00Z');
    publish(root, 'io.github.gen/beta', '1.0.0', 'Second tool', '2025-01-02T10:00:00Z');
    await build(root, 'dist', '.cache', true);
    publish(root, 'io.github.gen/alpha', '1.1.0', 'First tool, better', '2025-02-01T10:00:00Z');
    // A second build with the caches warm and nothing changed must not drift either.
    await build(root, 'dist', '.cache', true);
    await build(root, 'dist', '.cache', true);
    // The fourth starts from the spare tree (the second's, same inputs): the pages it has stay where
    // they are, none is unlinked and linked again from the page cache.
    const still = await build(root, 'dist', '.cache', true);
    expect(still?.linked).toBe(0);
    expect(still?.written).toBeLessThan(3);
    expect(still?.kept).toBeGreaterThan(20);
    await build(root, 'cold', '.cold-cache', true);
    const incremental = tree(join(root, 'dist'));
    const cold = tree(join(root, 'cold'));
    expect(incremental.has('search/index.json')).toBe(true);
    expect([...incremental.keys()].filter((p) => p.endsWith('.html')).length).toBeGreaterThan(3);
    expect([...incremental.keys()].sort()).toEqual([...cold.keys()].sort());
    for (const [path, digest] of cold) expect(incremental.get(path), path).toBe(digest);
    // Description words are in the deferred postings (search/text.json, words front-coded), names in index.json.
    const { frontDecode } = await import('../../scripts/search/search-codec.ts');
    expect(frontDecode(JSON.parse(readFileSync(join(root, 'dist', 'search/text.json'), 'utf8')).words)).toContain('better');
    rmSync(join(root, 'cold'), { recursive: true, force: true });
  });
});
