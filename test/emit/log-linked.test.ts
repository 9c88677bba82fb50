import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import { buildRegistry } from '../../scripts/emit/build-registry.ts';
import type { BuildOptions } from '../../scripts/emit/build-registry.ts';
import { CONTRACT_EMITTERS, serverDoc, tempDir } from '../fixtures/api/build-fixture.ts';

function git(cwd: string, args: string[]): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  execFileSync('git', args, { cwd, env });
}

const OLD = new Date('2020-01-01T00:00:00Z');

describe('the log serves source files by hard link', () => {
  it('links each version file it knows the hash of, and a corrupt entry cache only costs reading again', async () => {
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
    expect(statSync(served).ino).toBe(statSync(join(root, path)).ino);
    expect(readFileSync(served)).toEqual(readFileSync(join(root, path)));

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
  });
});
