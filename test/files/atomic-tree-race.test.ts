/**
 * The old tree a build swapped out is removed after the swap, by a detached process (or in
 * process). While it is being removed it is half a tree, and recoverTree must never put it back
 * as the target: not when a later build was killed between its two renames, and not while another
 * build is between them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicOutput, MANIFEST, recoverTree } from '../../scripts/files/atomic-tree.ts';

const atomicTree = fileURLToPath(new URL('../../scripts/files/atomic-tree.ts', import.meta.url));
const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-race-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tree of `folders` × `files` files whose contents say which build wrote them. */
function build(target: string, label: string, folders: number, files: number, removeOld: 'background' | 'now' = 'now'): void {
  const out = new AtomicOutput(target);
  for (let d = 0; d < folders; d++) for (let f = 0; f < files; f++) out.write(`d${d}/f${f}.json`, `${label} ${d} ${f}`);
  out.commit(true, removeOld);
}

/** Every file the target's manifest lists is there: the tree is whole. */
function wholeTree(target: string): { files: number; missing: number; labels: Set<string> } {
  const manifest = JSON.parse(readFileSync(join(target, MANIFEST), 'utf8')) as Record<string, string>;
  let missing = 0;
  const labels = new Set<string>();
  for (const path of Object.keys(manifest)) {
    if (!existsSync(join(target, path))) missing += 1;
    else labels.add(readFileSync(join(target, path), 'utf8').split(' ')[0]!);
  }
  return { files: Object.keys(manifest).length, missing, labels };
}

const siblings = (dir: string) => readdirSync(dir).filter((n) => n !== 'dist');

describe('the old tree of a build, while it is being removed', () => {
  it('is out of recovery’s reach as soon as commit returns', () => {
    const dir = fresh();
    const target = join(dir, 'dist');
    build(target, 'v1', 3, 3);
    build(target, 'v2', 3, 3, 'background');
    // The detached remover has not even started: the old tree is still here, but not as `.dist.old-`.
    expect(siblings(dir).filter((n) => n.startsWith('.dist.old-'))).toEqual([]);
    expect(siblings(dir).filter((n) => n.startsWith('.dist.del-'))).toHaveLength(1);
  });

  it('is not put back when the next build was killed between its renames', async () => {
    const dir = fresh();
    const target = join(dir, 'dist');
    build(target, 'v1', 200, 50);
    // v2 is built by another process, which swaps it in, starts removing v1 and exits.
    const script = `import { AtomicOutput } from ${JSON.stringify(atomicTree)};
      const out = new AtomicOutput(${JSON.stringify(target)});
      for (let d = 0; d < 5; d++) for (let f = 0; f < 5; f++) out.write('d' + d + '/f' + f + '.json', 'v2 ' + d + ' ' + f);
      out.commit(true, 'background');`;
    const v2 = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    const builder = await new Promise<number>((resolve, reject) => {
      v2.on('error', reject);
      v2.on('exit', (code) => (code === 0 ? resolve(v2.pid!) : reject(new Error(`the v2 build exited ${code}`))));
    });
    expect(wholeTree(target).labels).toEqual(new Set(['v2']));
    // Wait until the removal of v1 is under way: its folder has lost some of its 200 folders.
    const removing = siblings(dir)[0];
    expect(removing).toBeDefined();
    const started = Date.now();
    while (existsSync(join(dir, removing!)) && readdirSync(join(dir, removing!)).length >= 200) {
      if (Date.now() - started > 20_000) throw new Error('the old tree was never removed');
      await new Promise((r) => setTimeout(r, 1));
    }
    // A v3 build, killed after renaming v2 away and before renaming its own tree in, leaves this.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    renameSync(target, join(dir, `.dist.old-${dead}-0000abcd`));
    expect(builder).not.toBe(dead);

    recoverTree(target);

    expect(wholeTree(target)).toEqual({ files: 25, missing: 0, labels: new Set(['v2']) });
  });

  it('is not put back while another build is between its renames', () => {
    const dir = fresh();
    const target = join(dir, 'dist');
    build(target, 'v1', 2, 2);
    // A dead writer's complete old tree (killed between renames long ago), and a live build that
    // has just renamed the target away and is about to rename its new tree in.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(dir, `.dist.old-${dead}-0000abcd`));
    renameSync(target, join(dir, `.dist.old-${process.pid}-0000beef`));

    recoverTree(target);

    // Restoring the dead writer's tree would make the live build's rename fail (the target is taken).
    expect(existsSync(target)).toBe(false);
    renameSync(join(dir, `.dist.old-${process.pid}-0000beef`), target);
    expect(wholeTree(target).labels).toEqual(new Set(['v1']));
  });
});
