import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { parseRenameFile } from '../../scripts/state/rename-file.ts';

let root: string;
const out: string[] = [];
const err: string[] = [];
const NOW = '2026-03-01T10:00:00Z';

function run(...argv: string[]): Promise<number> {
  out.length = 0;
  err.length = 0;
  return main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: root, env: {} });
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mcp-registry-rename-'));
  for (const name of ['a', 'b', 'c']) {
    const dir = join(root, 'servers/com.example', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '1.0.0.json'), '{}\n');
  }
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'base');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('mcp-registry rename', () => {
  it('writes the rename record only, leaving the author’s files untouched', async () => {
    git('add', 'servers');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'servers');
    expect(await run('rename', 'com.example/A', 'com.example/b', '--now', NOW)).toBe(0);
    const path = 'registry/renames/com.example/a.yaml';
    expect(out.join('')).toContain(`next: git add ${path}`);
    expect(parseRenameFile(readFileSync(join(root, path), 'utf8'), 'com.example/a').value).toEqual({
      from: 'com.example/a',
      to: 'com.example/b',
      renamedAt: NOW,
      renamedBy: 'owner',
    });
    expect(git('status', '--porcelain').trim()).toBe('?? registry/');
  });

  it('refuses a chain and a cycle after a merged rename', async () => {
    expect(await run('rename', 'com.example/a', 'com.example/b', '--now', NOW)).toBe(0);
    expect(await run('rename', 'com.example/b', 'com.example/c', '--now', NOW)).toBe(1);
    expect(err.join('')).toContain('lifecycle/rename-chain');
    expect(await run('rename', 'com.example/b', 'com.example/a', '--now', NOW)).toBe(1);
    expect(err.join('')).toContain('lifecycle/rename-cycle');
    expect(existsSync(join(root, 'registry/renames/com.example/b.yaml'))).toBe(false);
  });

  it('refuses renaming a server that is not published', async () => {
    expect(await run('rename', 'com.example/nope', 'com.example/b', '--now', NOW)).toBe(1);
    expect(err.join('')).toContain('lifecycle/unknown-server');
  });

  it('refuses a hand-edited record that is not a rename record', async () => {
    mkdirSync(join(root, 'registry/renames/com.example'), { recursive: true });
    writeFileSync(join(root, 'registry/renames/com.example/c.yaml'), 'renamedTo: com.example/b\nrenamedAt: yesterday\nrenamedBy: owner\n');
    expect(await run('rename', 'com.example/a', 'com.example/b', '--now', NOW)).toBe(1);
    expect(err.join('')).toContain('lifecycle/time');
  });
});
