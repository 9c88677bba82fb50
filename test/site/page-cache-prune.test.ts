import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../scripts/files/atomic-tree.ts';
import { PageCache } from '../../scripts/site/page-cache.ts';

// A new source stamp makes every cached page stale: the save drops the old generation as one
// folder (renamed into a .trash- folder a detached process deletes), keeps this generation's pages
// and removes, one by one, only those of this generation the index no longer names.
let work = '';

async function until(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  return done();
}

describe('page cache generations', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'page-cache-prune-'));
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('drops the pages of another generation whole and sweeps a trash folder a killed build left', async () => {
    const dir = join(work, 'cache');
    const page = (name: string, text: string) => {
      const file = join(work, name);
      writeFileSync(file, text);
      return { file, hash: contentHash(Buffer.from(text)) };
    };
    const old = new PageCache(dir, 'gold');
    const a = page('a.html', '<p>a</p>');
    const b = page('b.html', '<p>b</p>');
    old.storePage('Akey', a.file, a.hash);
    old.storePage('Bkey', b.file, b.hash);
    await old.save('assets-1');
    expect(readdirSync(join(dir, 'pages'))).toEqual(['gold']);

    // A trash folder of a build that was killed before its deleter ran.
    mkdirSync(join(dir, '.trash-999999-1-0', 'x'), { recursive: true });
    writeFileSync(join(dir, '.trash-999999-1-0', 'x', 'page'), 'stale');

    const next = new PageCache(dir, 'gnew');
    expect(next.pageHash('Akey')).toBe(a.hash);
    const c = page('c.html', '<p>c</p>');
    next.storePage('Ckey', c.file, c.hash);
    await next.save('assets-2');
    expect(readdirSync(join(dir, 'pages'))).toEqual(['gnew']);
    expect(readFileSync(next.pageFile('Ckey'), 'utf8')).toBe('<p>c</p>');
    expect(await until(() => readdirSync(dir).every((name) => !name.startsWith('.trash-')))).toBe(true);

    // Same generation: a page the index no longer names goes, one kept stays.
    const third = new PageCache(dir, 'gnew');
    const d = page('d.html', '<p>d</p>');
    third.storePage('Dkey', d.file, d.hash);
    await third.save('assets-3');
    expect(existsSync(third.pageFile('Dkey'))).toBe(true);
    expect(existsSync(third.pageFile('Ckey'))).toBe(false);
    expect(new PageCache(dir, 'gnew').pageHash('Dkey')).toBe(d.hash);
  });
});
