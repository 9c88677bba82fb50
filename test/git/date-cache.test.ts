import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../scripts/git/date-cache.ts';
import { cachedGitDateSource, parseDateCache, renderDateCache } from '../../scripts/git/date-cache.ts';
import { gitDateSource } from '../../scripts/git/git-dates.ts';
import { tempDir } from '../fixtures/api/build-fixture.ts';

function git(cwd: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' });
}

function commit(root: string, path: string, text: string, date: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
  git(root, ['add', path]);
  git(root, ['commit', '-q', '-m', `${path} ${date}`], date);
}

function memoryStore(): CacheStore & { text: string | undefined; saves: number } {
  const store = {
    text: undefined as string | undefined,
    saves: 0,
    load: async () => store.text,
    save: async (text: string) => {
      store.text = text;
      store.saves += 1;
    },
  };
  return store;
}

const A = 'servers/a/b/1.0.0.json';
const B = 'servers/a/b/2.0.0.json';

describe('git dates cache', () => {
  it('reads only the commits since the cached head and gives the dates of a full walk', async () => {
    const root = tempDir('dates-incremental');
    git(root, ['init', '-q']);
    commit(root, A, '{}', '2025-01-01T10:00:00Z');
    const store = memoryStore();
    const source = cachedGitDateSource(store);
    expect((await source.read(root, [A])).walk).toBe('full');
    commit(root, A, '{"x":1}', '2025-02-01T10:00:00Z');
    commit(root, B, '{}', '2025-03-01T10:00:00Z');
    const incremental = await source.read(root, [A, B]);
    expect(incremental.walk).toBe('incremental');
    expect(incremental.dates.get(A)).toEqual({ publishedAt: '2025-01-01T10:00:00.000Z', updatedAt: '2025-02-01T10:00:00.000Z' });
    expect(incremental.dates).toEqual((await gitDateSource.read(root, [A, B])).dates);
    const again = await source.read(root, [A, B]);
    expect(again.walk).toBe('cached');
    expect(again.dates).toEqual(incremental.dates);
  });

  it('walks everything again when the cached head is not an ancestor of HEAD (force-push, rebase)', async () => {
    const root = tempDir('dates-rewritten');
    git(root, ['init', '-q', '-b', 'main']);
    commit(root, A, '{}', '2025-01-01T10:00:00Z');
    commit(root, B, '{}', '2025-02-01T10:00:00Z');
    const store = memoryStore();
    const source = cachedGitDateSource(store);
    await source.read(root, [A, B]);
    // History rewritten: B's commit replaced by one dated later; the cache still remembers February.
    git(root, ['checkout', '-q', '--orphan', 'rewritten']);
    git(root, ['rm', '-q', '-r', '--cached', '.']);
    commit(root, A, '{}', '2025-01-01T10:00:00Z');
    commit(root, B, '{}', '2025-06-01T10:00:00Z');
    const result = await source.read(root, [A, B]);
    expect(result.walk).toBe('full');
    expect(result.dates.get(B)).toEqual({ publishedAt: '2025-06-01T10:00:00.000Z', updatedAt: '2025-06-01T10:00:00.000Z' });
    expect(parseDateCache(store.text ?? '')?.head).toBe(git(root, ['rev-parse', 'HEAD']).trim());
  });

  it('does not trust a cache naming a commit this clone does not have, or a corrupt one', async () => {
    const root = tempDir('dates-unknown');
    git(root, ['init', '-q']);
    commit(root, A, '{}', '2025-01-01T10:00:00Z');
    const store = memoryStore();
    store.text = renderDateCache('0'.repeat(40), new Map([[A, [0, 0]]]));
    const result = await cachedGitDateSource(store).read(root, [A]);
    expect(result.walk).toBe('full');
    expect(result.dates.get(A)?.publishedAt).toBe('2025-01-01T10:00:00.000Z');
    store.text = '{"format":"git-dates/1","head":"zz"';
    expect((await cachedGitDateSource(store).read(root, [A])).walk).toBe('full');
  });

  it('renders the same bytes for the same dates whatever the insertion order', () => {
    const one = renderDateCache(
      'a'.repeat(40),
      new Map([
        [A, [1, 2]],
        [B, [3, 4]],
      ]),
    );
    const two = renderDateCache(
      'a'.repeat(40),
      new Map([
        [B, [3, 4]],
        [A, [1, 2]],
      ]),
    );
    expect(one).toBe(two);
    expect(parseDateCache(one)?.dates.get(B)).toEqual([3, 4]);
  });
});
