import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedLogOrderSource, compareLogOrder, parseFirstAdded, parseLogOrderCache, readFirstAdded, readStatusHistory } from '../../scripts/git/log-order.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, args: string[], date: string): void {
  execFileSync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
    stdio: 'ignore',
  });
}

function add(root: string, path: string, date: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '{}\n');
  git(root, ['add', path], date);
  git(root, ['commit', '-q', '-m', path], date);
}

describe('log order', () => {
  it('parses the first position per path', () => {
    const m = '\u0001commit ';
    expect([...parseFirstAdded(`${m}a\n\nx\n${m}b\n\ny\nx\n`)]).toEqual([
      ['x', 0],
      ['y', 1],
    ]);
  });

  it('orders by first-parent position, merges at the merge commit, unknown last', async () => {
    const root = mkdtempSync(join(tmpdir(), 'log-order-'));
    dirs.push(root);
    git(root, ['init', '-q', '-b', 'main'], '2026-01-01T00:00:00Z');
    add(root, 'servers/a/1.0.0/server.json', '2026-03-01T00:00:00Z');
    git(root, ['checkout', '-q', '-b', 'pr'], '2026-03-01T00:00:00Z');
    add(root, 'servers/c/1.0.0/server.json', '2024-01-01T00:00:00Z'); // older branch commit
    git(root, ['checkout', '-q', 'main'], '2026-03-01T00:00:00Z');
    add(root, 'servers/b/0.9.0/server.json', '2024-06-01T00:00:00Z'); // mirrored older date
    git(root, ['merge', '-q', '--no-ff', '-m', 'merge pr', 'pr'], '2026-04-01T00:00:00Z');
    const positions = await readFirstAdded(root);
    expect(positions && [...positions]).toEqual([
      ['servers/a/1.0.0/server.json', 0],
      ['servers/b/0.9.0/server.json', 1],
      ['servers/c/1.0.0/server.json', 2],
    ]);
    const paths = [
      'servers/z/new/server.json',
      'servers/c/1.0.0/server.json',
      'servers/a/1.0.0/server.json',
      'servers/b/0.9.0/server.json',
      'servers/y/new/server.json',
    ];
    expect(paths.sort((x, y) => compareLogOrder(positions as Map<string, number>, x, y))).toEqual([
      'servers/a/1.0.0/server.json',
      'servers/b/0.9.0/server.json',
      'servers/c/1.0.0/server.json',
      'servers/y/new/server.json',
      'servers/z/new/server.json',
    ]);
  });

  it('caches positions by head: incremental along the first-parent chain, a full walk from a head off it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'log-order-cache-'));
    dirs.push(root);
    let saved: string | undefined;
    const store = {
      load: async () => saved,
      save: async (text: string) => {
        saved = text;
      },
    };
    const source = cachedLogOrderSource(store);
    git(root, ['init', '-q', '-b', 'main'], '2026-01-01T00:00:00Z');
    add(root, 'servers/a/1.0.0.json', '2026-03-01T00:00:00Z');
    expect(await source(root)).toMatchObject({ walk: 'full' });
    expect(await source(root)).toMatchObject({ walk: 'cached' });
    git(root, ['checkout', '-q', '-b', 'pr'], '2026-03-01T00:00:00Z');
    add(root, 'servers/c/1.0.0.json', '2024-01-01T00:00:00Z');
    // A build of the branch head: on its own chain, c comes right after a.
    expect(await source(root)).toMatchObject({ walk: 'incremental' });
    expect(parseLogOrderCache(saved ?? '')?.positions.get('servers/c/1.0.0.json')).toBe(1);
    git(root, ['checkout', '-q', 'main'], '2026-03-01T00:00:00Z');
    add(root, 'servers/b/1.0.0.json', '2026-03-02T00:00:00Z');
    git(root, ['merge', '-q', '--no-ff', '-m', 'merge pr', 'pr'], '2026-04-01T00:00:00Z');
    // The branch head is an ancestor of main but not on its first-parent chain: walked in full, c lands after b.
    const merged = await source(root);
    expect(merged?.walk).toBe('full');
    expect(merged && [...merged.positions]).toEqual([...((await readFirstAdded(root)) ?? [])]);
    expect(merged?.positions.get('servers/c/1.0.0.json')).toBe(2);
    add(root, 'servers/d/1.0.0.json', '2020-01-01T00:00:00Z');
    const next = await source(root);
    expect(next?.walk).toBe('incremental');
    expect(next && [...next.positions]).toEqual([...((await readFirstAdded(root)) ?? [])]);
    expect(parseLogOrderCache(saved ?? '')).toMatchObject({ commits: 4 });
    // The status history is cached the same way: the commits since the cached head are read and appended.
    mkdirSync(join(root, 'registry/status/a'), { recursive: true });
    writeFileSync(join(root, 'registry/status/a/x.yaml'), 'versions: {}\n');
    git(root, ['add', 'registry'], '2026-05-01T00:00:00Z');
    git(root, ['commit', '-q', '-m', 'status'], '2026-05-01T00:00:00Z');
    const withStatus = await source(root);
    expect(withStatus?.walk).toBe('incremental');
    expect(withStatus?.statusChanges).toEqual(await readStatusHistory(root));
    expect(withStatus?.statusChanges).toEqual([{ position: 4, at: '2026-05-01T00:00:00.000Z', path: 'registry/status/a/x.yaml', text: 'versions: {}\n' }]);
    expect((await source(root))?.statusChanges).toEqual(withStatus?.statusChanges);
    expect(parseLogOrderCache('{"format":"log-order/2","head":"nope","commits":1,"positions":{},"status":[]}')).toBeUndefined();
  });

  it('is undefined outside git', async () => {
    const root = mkdtempSync(join(tmpdir(), 'log-order-nogit-'));
    dirs.push(root);
    expect(await readFirstAdded(root)).toBeUndefined();
  });
});
