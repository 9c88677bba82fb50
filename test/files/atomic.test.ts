import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../scripts/files/atomic-file.ts';
import { recoverTree, writeTreeAtomically } from '../../scripts/files/atomic-tree.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'atomic-'));
const atomicFile = fileURLToPath(new URL('../../scripts/files/atomic-file.ts', import.meta.url));

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('writeFileAtomically', () => {
  it('creates the folders and the file, and leaves no temporary', async () => {
    const dir = fresh();
    await writeFileAtomically(join(dir, 'a/b/c.json'), '{"x":1}\n');
    expect(readFileSync(join(dir, 'a/b/c.json'), 'utf8')).toBe('{"x":1}\n');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['c.json']);
  });

  it('replaces an existing file', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'f'), 'old');
    await writeFileAtomically(join(dir, 'f'), Buffer.from('new'));
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('new');
  });

  it('fails with an environment error naming the file, and cleans up, when the rename cannot happen', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'taken/inner'), { recursive: true });
    await expect(writeFileAtomically(join(dir, 'taken'), 'x')).rejects.toMatchObject({
      kind: 'environment',
      message: expect.stringContaining(`cannot write ${join(dir, 'taken')}`),
    });
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('a writer killed at any moment leaves the old content or the new, never part of it', async () => {
    const dir = fresh();
    const file = join(dir, 'big.json');
    const old = 'o'.repeat(1000);
    writeFileSync(file, old);
    const script = `import { writeFileAtomically } from ${JSON.stringify(atomicFile)}; for (;;) await writeFileAtomically(${JSON.stringify(file)}, 'n'.repeat(4 << 20));`;
    const seen = new Set<string>();
    // The last run is killed once a write has landed, so both outcomes occur however slow the machine.
    for (const delay of [5, 40, 80, 120, 200, 300, 'after-a-write'] as const) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      if (delay === 'after-a-write') {
        for (let i = 0; i < 200 && readFileSync(file, 'utf8') === old; i++) await new Promise((r) => setTimeout(r, 50));
      } else await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const text = readFileSync(file, 'utf8');
      expect(text === old || text === 'n'.repeat(4 << 20)).toBe(true);
      seen.add(text === old ? 'old' : 'new');
    }
    // Killed before the first rename and after it: both outcomes were reached.
    expect([...seen].sort()).toEqual(['new', 'old']);
  }, 30_000);
});

describe('writeTreeAtomically', () => {
  it('writes a new tree and returns what the fill returned', async () => {
    const dir = fresh();
    const out = join(dir, 'dist');
    const n = await writeTreeAtomically(out, async (tmp) => {
      writeFileSync(join(tmp, 'index.json'), '{}');
      return 1;
    });
    expect(n).toBe(1);
    expect(readdirSync(dir)).toEqual(['dist']);
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe('{}');
  });

  it('replaces the old tree whole: files the new one lacks are gone', async () => {
    const dir = fresh();
    const out = join(dir, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.json'), 'old');
    await writeTreeAtomically(out, async (tmp) => writeFileSync(join(tmp, 'fresh.json'), 'new'));
    expect(readdirSync(out)).toEqual(['fresh.json']);
    expect(readdirSync(dir)).toEqual(['dist']);
  });

  it('a fill that fails leaves the old tree untouched and no temporary behind', async () => {
    const dir = fresh();
    const out = join(dir, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.json'), 'old');
    await expect(
      writeTreeAtomically(out, async (tmp) => {
        writeFileSync(join(tmp, 'half.json'), 'x');
        throw new Error('emitter failed');
      }),
    ).rejects.toThrow('emitter failed');
    expect(readdirSync(dir)).toEqual(['dist']);
    expect(readFileSync(join(out, 'keep.json'), 'utf8')).toBe('old');
  });

  it('puts back the tree a killed writer had renamed away, and clears its temporaries', async () => {
    const dir = fresh();
    const out = join(dir, 'dist');
    const pid = deadPid();
    mkdirSync(join(dir, `.dist.old-${pid}-0000abcd`));
    writeFileSync(join(dir, `.dist.old-${pid}-0000abcd`, 'index.json'), 'previous');
    mkdirSync(join(dir, `.dist.tmp-${pid}-0000abcd`));
    await recoverTree(out);
    expect(readdirSync(dir)).toEqual(['dist']);
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe('previous');
  });

  it('leaves the temporaries of a writer that is still running alone', async () => {
    const dir = fresh();
    const live = `.dist.tmp-${process.pid}-0000abcd`;
    mkdirSync(join(dir, live));
    await recoverTree(join(dir, 'dist'));
    expect(existsSync(join(dir, live))).toBe(true);
  });
});
