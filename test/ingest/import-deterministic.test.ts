import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';

// Six real items of the official registry's 2025-10-10 dump, trimmed from it (all mirrored, two with warnings).
const fixture = fileURLToPath(new URL('../fixtures/import/official-live-trimmed.json', import.meta.url));
const roots: string[] = [];

function tree(root: string): Map<string, string> {
  const files = fg.sync(['servers/**', 'registry/**'], { cwd: root, onlyFiles: true, dot: true }).sort();
  return new Map(
    files.map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(root, f)))
        .digest('hex'),
    ]),
  );
}

async function importInto(root: string): Promise<number> {
  return main(['import', fixture], { stdout: () => {}, stderr: () => {}, cwd: root, env: {} });
}

function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'import-twice-'));
  roots.push(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('importing the same file twice', () => {
  it('gives byte-identical trees in two fresh folders, whenever it runs', async () => {
    const [a, b] = [freshRoot(), freshRoot()];
    expect(await importInto(a)).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(await importInto(b)).toBe(0);
    expect([...tree(a).keys()].filter((p) => p.startsWith('servers/'))).toHaveLength(6);
    expect(tree(b)).toEqual(tree(a));
  });

  it('records the newest date in the file as fetchedAt, not the clock', async () => {
    const root = freshRoot();
    await importInto(root);
    const provenance = fg.sync('registry/upstream/*/*.yaml', { cwd: root }).map((f) => readFileSync(join(root, f), 'utf8'));
    const dates = provenance.map((text) => /^fetchedAt: (.+)$/m.exec(text)?.[1]);
    expect(new Set(dates)).toEqual(new Set(['2025-09-09T06:51:49.988Z']));
  });

  it('changes nothing when imported over the tree it made', async () => {
    const root = freshRoot();
    await importInto(root);
    const before = tree(root);
    await new Promise((r) => setTimeout(r, 20));
    expect(await importInto(root)).toBe(0);
    expect(tree(root)).toEqual(before);
  });
});
