import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readServersTree } from '../../scripts/load/servers-tree.ts';

let root: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'servers-tree-'));
  outside = mkdtempSync(join(tmpdir(), 'servers-tree-outside-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('the servers/ tree reader', () => {
  it('is empty when there is no servers/ folder', async () => {
    expect(await readServersTree(root)).toEqual([]);
  });

  it('reads every version file, strips a BOM, and keeps no value for what is not a JSON object', async () => {
    write('servers/a.b/c/1.0.0.json', '{"name":"a.b/c","version":"1.0.0"}');
    write('servers/a.b/c/1.0.1.json', '\uFEFF{"name":"a.b/c","version":"1.0.1"}');
    write('servers/a.b/c/2.0.0.json', '[1]');
    write('servers/a.b/c/3.0.0.json', '{ broken');
    write('servers/a.b/c/README.md', '# not a version file');
    mkdirSync(join(root, 'servers/a.b/server.json'), { recursive: true });
    expect(await readServersTree(root)).toEqual([
      { path: 'servers/a.b/c/1.0.0.json', value: { name: 'a.b/c', version: '1.0.0' } },
      { path: 'servers/a.b/c/1.0.1.json', value: { name: 'a.b/c', version: '1.0.1' } },
      { path: 'servers/a.b/c/2.0.0.json' },
      { path: 'servers/a.b/c/3.0.0.json' },
    ]);
  });

  it('lists a symbolic link, to a file or a folder outside, without following it', async () => {
    writeFileSync(join(outside, 'x.json'), '{"name":"a.b/linked","version":"1.0.0"}');
    mkdirSync(join(root, 'servers/a.b'), { recursive: true });
    symlinkSync(join(outside, 'x.json'), join(root, 'servers/a.b/file-link.json'));
    symlinkSync(outside, join(root, 'servers/a.b/folder-link'));
    expect(await readServersTree(root)).toEqual([{ path: 'servers/a.b/file-link.json' }, { path: 'servers/a.b/folder-link' }]);
  });

  it('leaves out the paths it is told to skip', async () => {
    write('servers/a.b/c/1.0.0.json', '{}');
    write('servers/a.b/c/1.0.1.json', '{}');
    expect(await readServersTree(root, new Set(['servers/a.b/c/1.0.0.json']))).toEqual([{ path: 'servers/a.b/c/1.0.1.json', value: {} }]);
  });
});
