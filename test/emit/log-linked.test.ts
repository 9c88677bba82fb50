import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import type { BuildOptions } from '../../scripts/emit/build-registry.ts';
import { LogFileStore } from '../../scripts/emit/log-file-store.ts';
import { AtomicOutput, contentHash } from '../../scripts/files/atomic-tree.ts';
import { CONTRACT_EMITTERS, serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

function git(cwd: string, args: string[]): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  execFileSync('git', args, { cwd, env });
}

const OLD = new Date('2020-01-01T00:00:00Z');

describe('the log serves version files by hard link from the build cache', () => {
  it('links a copy of each version file it knows the hash of, never the source, and a corrupt entry cache only costs reading again', async () => {
    const root = tempDir('log-linked');
    git(root, ['init', '-q']);
    const path = 'servers/io.github.gen/alpha/1.0.0.json';
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${JSON.stringify(serverDoc('io.github.gen/alpha', '1.0.0', 'First tool'), null, 2)}\n`);
    utimesSync(join(root, path), OLD, OLD);
    git(root, ['add', '.']);
    git(root, ['commit', '-q', '-m', 'publish']);
    const options = (out: string, cacheDir: string): BuildOptions => ({
      root,
      config: DEFAULT_CONFIG,
      emitters: CONTRACT_EMITTERS,
      host: 'nginx',
      out,
      cacheDir,
      nginxRoot: '/srv/mcp-registry',
    });
    expect((await buildRegistry(options('dist', '.cache'))).report.ok).toBe(true);
    const served = join(root, 'dist/log/servers/io.github.gen@alpha@1.0.0.json');
    const copies = readdirSync(join(root, '.cache/log-files'));
    expect(copies).toHaveLength(1);
    expect(statSync(served).ino).toBe(statSync(join(root, '.cache/log-files', copies[0] as string)).ino);
    expect(readFileSync(served)).toEqual(readFileSync(join(root, path)));
    // The source keeps its one link and its change time: the entry cache's stat key still holds.
    const source = statSync(join(root, path), { bigint: true });
    expect(source.nlink).toBe(1n);
    expect((await buildRegistry(options('dist', '.cache'))).report.ok).toBe(true);
    expect(statSync(join(root, path), { bigint: true }).ctimeNs).toBe(source.ctimeNs);
    expect(statSync(join(root, path)).nlink).toBe(1);

    // A cache that does not parse: the build reads the file again and serves the same bytes.
    writeFileSync(join(root, '.cache/entries.json'), '{"format":"entries/1","stamp":');
    expect((await buildRegistry(options('dist', '.cache'))).report.ok).toBe(true);
    expect(readFileSync(join(root, 'dist/log/servers/io.github.gen@alpha@1.0.0.json'))).toEqual(readFileSync(join(root, path)));

    // A new file in place of the old (as git and editors write): the log serves the new bytes.
    rmSync(join(root, path));
    writeFileSync(join(root, path), `${JSON.stringify(serverDoc('io.github.gen/alpha', '1.0.0', 'First tool, fixed'), null, 2)}\n`);
    git(root, ['commit', '-q', '-am', 'fix']);
    expect((await buildRegistry(options('dist', '.cache'))).report.ok).toBe(true);
    const now = readFileSync(join(root, 'dist/log/servers/io.github.gen@alpha@1.0.0.json'), 'utf8');
    expect(now).toContain('First tool, fixed');
    // The old copy stays for an hour (another build may be about to link it), then goes.
    expect(readdirSync(join(root, '.cache/log-files'))).toHaveLength(2);
  });

  it('drops copies no build served for an hour, and refuses a source changed since it was validated', () => {
    const root = tempDir('log-store');
    const out = new AtomicOutput(join(root, 'dist'));
    const file = join(root, 'a.json');
    writeFileSync(file, '{"a":1}\n');
    const store = new LogFileStore(join(root, '.cache'));
    const hash = contentHash(readFileSync(file));
    store.serve(out, 'log/a.json', { absolute: file, contentHash: hash });
    expect(store.added).toBe(1);
    writeFileSync(join(root, '.cache/log-files/old.json'), 'x');
    store.prune();
    expect(readdirSync(join(root, '.cache/log-files')).sort()).toEqual([`${hash}.json`, 'old.json']);
    store.prune(Date.now() + 2 * 60 * 60 * 1000);
    expect(readdirSync(join(root, '.cache/log-files'))).toEqual([`${hash}.json`]);
    writeFileSync(file, '{"a":2}\n');
    const other = new LogFileStore(join(root, '.cache2'));
    expect(() => other.serve(out, 'log/b.json', { absolute: file, contentHash: hash })).toThrow(/changed while the build ran/);
    out.commit();
    expect(readFileSync(join(root, 'dist/log/a.json'), 'utf8')).toBe('{"a":1}\n');
  });
});
