import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitDateSource, parseGitLog } from '../../scripts/git/git-dates.ts';
import { tempDir } from '../fixtures/api/build-fixture.ts';

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' });
}

function write(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('git dates', () => {
  it('takes publishedAt from the first commit touching a file and updatedAt from the last', async () => {
    const root = tempDir('git');
    git(root, ['init', '-q']);
    write(root, 'servers/a/b/1.0.0.json', '{}');
    git(root, ['add', '.']);
    git(root, ['commit', '-q', '-m', 'one'], '2025-01-01T10:00:00Z');
    write(root, 'servers/a/b/1.0.0.json', '{"x":1}');
    write(root, 'servers/a/b/2.0.0.json', '{}');
    git(root, ['add', '.']);
    git(root, ['commit', '-q', '-m', 'two'], '2025-02-01T10:00:00Z');
    const result = await gitDateSource.read(root, ['servers/a/b/1.0.0.json', 'servers/a/b/2.0.0.json']);
    expect(result.dates.get('servers/a/b/1.0.0.json')).toEqual({ publishedAt: '2025-01-01T10:00:00.000Z', updatedAt: '2025-02-01T10:00:00.000Z' });
    expect(result.dates.get('servers/a/b/2.0.0.json')).toEqual({ publishedAt: '2025-02-01T10:00:00.000Z', updatedAt: '2025-02-01T10:00:00.000Z' });
    expect(result.head?.date).toBe('2025-02-01T10:00:00.000Z');
    expect(result.shallow).toBe(false);
  });

  it('keeps author dates when a commit is re-committed later (rebase, cherry-pick)', async () => {
    const root = tempDir('git-rebase');
    git(root, ['init', '-q']);
    write(root, 'servers/a/b/1.0.0.json', '{}');
    git(root, ['add', '.']);
    git(root, ['commit', '-q', '-m', 'one'], '2025-01-01T10:00:00Z');
    const env = { ...process.env, GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    execFileSync('git', ['commit', '-q', '--amend', '--no-edit'], { cwd: root, env });
    const result = await gitDateSource.read(root, ['servers/a/b/1.0.0.json']);
    expect(result.dates.get('servers/a/b/1.0.0.json')?.publishedAt).toBe('2025-01-01T10:00:00.000Z');
  });

  it('reports a shallow clone', async () => {
    const origin = tempDir('git-origin');
    git(origin, ['init', '-q']);
    for (const [i, day] of ['01', '02'].entries()) {
      write(origin, `servers/a/b/1.0.${i}.json`, '{}');
      git(origin, ['add', '.']);
      git(origin, ['commit', '-q', '-m', day], `2025-01-${day}T00:00:00Z`);
    }
    const clone = join(tempDir('git-clone'), 'c');
    git(origin, ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const result = await gitDateSource.read(clone, ['servers/a/b/1.0.0.json']);
    expect(result.shallow).toBe(true);
  });

  it('falls back to the file time outside git', async () => {
    const root = tempDir('nogit');
    write(root, 'servers/a/b/1.0.0.json', '{}');
    const when = new Date('2024-03-04T05:06:07Z');
    utimesSync(join(root, 'servers/a/b/1.0.0.json'), when, when);
    const result = await gitDateSource.read(root, ['servers/a/b/1.0.0.json']);
    expect(result.inGit).toBe(false);
    expect(result.dates.get('servers/a/b/1.0.0.json')).toEqual({ publishedAt: '2024-03-04T05:06:07.000Z', updatedAt: '2024-03-04T05:06:07.000Z' });
  });

  it('parses one log pass into first and last dates per path', () => {
    const log = ['\u0001commit 1738000000', '', 'servers/x/y/1.json', '\u0001commit 1735689600', '', 'servers/x/y/1.json', 'servers/x/y/2.json', ''].join('\n');
    const dates = parseGitLog(log);
    expect(dates.get('servers/x/y/1.json')).toEqual({ publishedAt: '2025-01-01T00:00:00.000Z', updatedAt: new Date(1738000000 * 1000).toISOString() });
    expect(dates.get('servers/x/y/2.json')?.publishedAt).toBe('2025-01-01T00:00:00.000Z');
  });
});
