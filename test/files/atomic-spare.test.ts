/**
 * A commit with 'spare' keeps the swapped-out tree; the next writer takes it over and changes only
 * what differs. The result must be the tree a fresh writer makes, and the live tree must never
 * see the next one's bytes (the spare's files are hard links shared with it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicOutput, MANIFEST } from '../../scripts/files/atomic-tree.ts';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-spare-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every file and folder below `dir`: files → SHA-256, folders → 'dir'. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), entry.isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return out;
}

type Files = Record<string, string>;

function build(target: string, files: Files, aliases: Record<string, string> = {}): AtomicOutput {
  const out = new AtomicOutput(target);
  for (const [path, text] of Object.entries(files)) out.write(path, text);
  for (const [path, existing] of Object.entries(aliases)) out.alias(path, existing);
  out.commit(true, 'spare');
  return out;
}

function coldBuild(files: Files, aliases: Record<string, string> = {}): Map<string, string> {
  const target = join(fresh(), 'dist');
  build(target, files, aliases);
  return snapshot(target);
}

describe('a tree built from the spare', () => {
  it('is the tree a fresh writer makes, through changes, removals and file/folder swaps', () => {
    const target = join(fresh(), 'dist');
    const generations: Files[] = [
      { 'a.json': 'a1', 'b/c.json': 'c1', 'b/d.json': 'd1', 'e/f/g.json': 'g1', x: 'file x' },
      { 'a.json': 'a2', 'b/c.json': 'c1', 'b/d.json': 'd1', 'e/f/g.json': 'g1', x: 'file x' },
      // e/ loses its only file (the folder must go), x becomes a folder, a new file.
      { 'a.json': 'a2', 'b/c.json': 'c1', 'b/d.json': 'd2', 'x/y.json': 'y1', 'h.json': 'h1' },
      // x is a file again, b/ goes whole.
      { 'a.json': 'a3', x: 'file x again', 'h.json': 'h1' },
      { 'a.json': 'a3', x: 'file x again', 'h.json': 'h1', 'b/c.json': 'c1' },
    ];
    let kept = 0;
    generations.forEach((files, i) => {
      const out = build(target, files, { 'latest.json': 'a.json' });
      kept += out.stats.kept;
      expect(snapshot(target), JSON.stringify(files)).toEqual(coldBuild(files, { 'latest.json': 'a.json' }));
      expect(readdirSync(join(target, '..')).sort()).toEqual(i === 0 ? ['dist'] : ['.dist.spare', 'dist']);
    });
    // Generation 2 keeps b/c.json of generation 0; generation 4 keeps h.json and b/c.json of generation 2.
    expect(kept).toBe(3);
  });

  it('keeps what the spare already has, and the live tree keeps its own bytes', () => {
    const target = join(fresh(), 'dist');
    const files: Files = {};
    for (let i = 0; i < 50; i++) files[`f${i}.json`] = `v1 ${i}`;
    build(target, files);
    build(target, { ...files, 'f0.json': 'v2 0' });
    const live = readFileSync(join(target, 'f0.json'), 'utf8');
    const liveInode = statSync(join(target, 'f1.json')).ino;
    // The spare is the first tree; this writer starts from it while the second tree is live.
    const out = new AtomicOutput(target);
    for (const [path, text] of Object.entries({ ...files, 'f0.json': 'v3 0', 'f1.json': 'v3 1' })) out.write(path, text);
    expect(out.stats.kept).toBe(48);
    // Not yet committed: the live tree is the second build, whole and unchanged.
    expect(readFileSync(join(target, 'f0.json'), 'utf8')).toBe(live);
    expect(readFileSync(join(target, 'f1.json'), 'utf8')).toBe('v1 1');
    expect(statSync(join(target, 'f1.json')).ino).toBe(liveInode);
    out.commit(true, 'spare');
    expect(readFileSync(join(target, 'f0.json'), 'utf8')).toBe('v3 0');
    expect(readFileSync(join(target, 'f1.json'), 'utf8')).toBe('v3 1');
    // ... and the spare now is the second tree, still whole.
    expect(readFileSync(join(target, '..', '.dist.spare', 'f0.json'), 'utf8')).toBe('v2 0');
    expect(readFileSync(join(target, '..', '.dist.spare', 'f1.json'), 'utf8')).toBe('v1 1');
  });

  it('holds only this build’s files when a tool looks into its folder', () => {
    const target = join(fresh(), 'dist');
    build(target, { 'a.json': '1', 'old/b.json': '2' });
    build(target, { 'a.json': '1', 'old/b.json': '3' });
    const out = new AtomicOutput(target);
    out.write('a.json', '1');
    expect(readdirSync(out.dir).sort()).toEqual(['a.json']);
    writeFileSync(join(out.dir, 'tool.txt'), 'made by a tool');
    out.adopt('tool.txt', join(out.dir, 'tool.txt'));
    out.commit(true, 'spare');
    expect(snapshot(target)).toEqual(
      new Map([
        ['a.json', createHash('sha256').update('1').digest('hex')],
        ['tool.txt', createHash('sha256').update('made by a tool').digest('hex')],
        [MANIFEST, snapshot(target).get(MANIFEST) as string],
      ]),
    );
  });

  it('a spare without a manifest is not used; a fill that fails leaves no spare to trust', () => {
    const dir = fresh();
    const target = join(dir, 'dist');
    build(target, { 'a.json': '1' });
    build(target, { 'a.json': '2' });
    rmSync(join(dir, '.dist.spare', MANIFEST));
    const out = build(target, { 'a.json': '1' });
    expect(out.stats.kept).toBe(0);
    expect(readFileSync(join(target, 'a.json'), 'utf8')).toBe('1');
    const failing = new AtomicOutput(target);
    failing.write('a.json', 'never');
    failing.abort();
    expect(existsSync(join(dir, '.dist.spare'))).toBe(false);
    expect(readFileSync(join(target, 'a.json'), 'utf8')).toBe('1');
    const next = build(target, { 'a.json': '1', 'b.json': '2' });
    expect(next.stats.kept).toBe(0);
    expect(snapshot(target).get('a.json')).toBe(createHash('sha256').update('1').digest('hex'));
  });

  it('two writers at once: one takes the spare, the other starts fresh, both trees whole', () => {
    const dir = fresh();
    const target = join(dir, 'dist');
    mkdirSync(dir, { recursive: true });
    build(target, { 'a.json': '1', 'b.json': '1' });
    build(target, { 'a.json': '2', 'b.json': '1' });
    const first = new AtomicOutput(target);
    const second = new AtomicOutput(target);
    for (const out of [first, second]) {
      out.write('a.json', '3');
      out.write('b.json', '1');
    }
    expect(first.stats.kept + second.stats.kept).toBe(1);
    first.commit(true, 'spare');
    second.commit(true, 'spare');
    expect(snapshot(target)).toEqual(coldBuild({ 'a.json': '3', 'b.json': '1' }));
  });
});

describe("the spare's manifest", () => {
  it('is read back whole, whether its paths need JSON escapes or not', () => {
    // Plain paths (read without JSON.parse), and paths with a quote, a backslash, a brace and a
    // separator-like run (JSON.parse reads those).
    const cases: Files[] = [
      { 'a.json': 'a', 'b/c}d.json': 'c', 'e:f.json': 'e' },
      { 'a.json': 'a', 'q"u.json': 'q', 'b\\s.json': 'b', 'x","y.json': 'x', 'x":"y.json': 'y', 'nl\nl': 'n' },
    ];
    for (const files of cases) {
      const target = join(fresh(), 'dist');
      build(target, files);
      build(target, { ...files, 'new.json': 'n' });
      const third = build(target, files);
      // Every file the spare had with the same bytes stays: none is written again.
      expect(third.stats).toEqual({ written: 0, linked: 0, kept: Object.keys(files).length });
      expect(snapshot(target)).toEqual(coldBuild(files));
    }
  });

  it('that is cut short is not trusted: the next tree is written in full', () => {
    const target = join(fresh(), 'dist');
    const files = { 'a.json': 'a', 'b.json': 'b', 'c.json': 'c' };
    build(target, files);
    build(target, files);
    const spare = join(target, '..', '.dist.spare', MANIFEST);
    const text = readFileSync(spare, 'utf8');
    rmSync(spare);
    writeFileSync(spare, text.slice(0, text.lastIndexOf(',')));
    const next = build(target, files);
    expect(next.stats.kept).toBe(0);
    expect(snapshot(target)).toEqual(coldBuild(files));
  });
});
