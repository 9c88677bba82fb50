/** Digests kept by stat: an unchanged file is not read again, any rewrite is, whatever its size and mtime. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileDigests, RACY_MS } from '../../scripts/load/file-digests.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'file-digests-'));
  dirs.push(dir);
  return dir;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

/** One run: the record of the last one, this run's digests of `paths`, the record it leaves. */
function run(dir: string, record: string | undefined, paths: string[]): { digests: FileDigests; values: string[]; record: string } {
  const digests = FileDigests.parse(record);
  const values = paths.map((p) => digests.sha256(dir, p));
  return { digests, values, record: digests.render() };
}

describe('file digests', () => {
  it('reads a file once; a touched, a rewritten (same size, same mtime) and a new file again', () => {
    const dir = root();
    writeFileSync(join(dir, 'a.json'), 'aaaa');
    writeFileSync(join(dir, 'b.json'), 'bbbb');
    for (const f of ['a.json', 'b.json']) utimesSync(join(dir, f), LONG_AGO, LONG_AGO);
    const first = run(dir, undefined, ['a.json', 'b.json']);
    expect(first.values).toEqual([sha('aaaa'), sha('bbbb')]);
    expect(first.digests.reads).toBe(2);

    const second = run(dir, first.record, ['a.json', 'b.json']);
    expect(second.values).toEqual([sha('aaaa'), sha('bbbb')]);
    expect(second.digests.reads).toBe(0);
    expect(second.digests.changed()).toBe(false);

    // Same size, modification time set back: only the change time tells.
    writeFileSync(join(dir, 'a.json'), 'AAAA');
    utimesSync(join(dir, 'a.json'), LONG_AGO, LONG_AGO);
    // Touched, bytes unchanged: read again, same digest.
    utimesSync(join(dir, 'b.json'), new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
    writeFileSync(join(dir, 'c.json'), 'cccc');
    const third = run(dir, second.record, ['a.json', 'b.json', 'c.json']);
    expect(third.values).toEqual([sha('AAAA'), sha('bbbb'), sha('cccc')]);
    expect(third.digests.reads).toBe(3);
    expect(third.digests.changed()).toBe(true);
  });

  it('does not trust a record for a file modified within RACY_MS of the run that wrote it', () => {
    const dir = root();
    const file = join(dir, 'a.json');
    writeFileSync(file, 'aaaa');
    const now = Date.now();
    utimesSync(file, new Date(now), new Date(now));
    // The run started just before the file's modification time: the record may miss a rewrite in the same tick.
    const racy = FileDigests.parse(undefined, now - RACY_MS + 500);
    racy.sha256(dir, 'a.json');
    const next = FileDigests.parse(racy.render());
    expect(next.sha256(dir, 'a.json')).toBe(sha('aaaa'));
    expect(next.reads).toBe(1);
    // Written by a run that started well after: trusted.
    const later = FileDigests.parse(next.render().replace(/"writtenAt":\d+/, `"writtenAt":${now + 10 * RACY_MS}`));
    expect(later.sha256(dir, 'a.json')).toBe(sha('aaaa'));
    expect(later.reads).toBe(0);
  });

  it('a record that does not parse, or of another format, starts empty; a file gone drops out', () => {
    const dir = root();
    writeFileSync(join(dir, 'a.json'), 'aaaa');
    writeFileSync(join(dir, 'b.json'), 'bbbb');
    for (const text of [
      '{',
      '{"format":"file-digests/0","writtenAt":0,"files":{}}',
      '{"format":"file-digests/1","writtenAt":0,"files":{"a.json":["k","nothex"]}}',
    ]) {
      const digests = FileDigests.parse(text);
      expect(digests.sha256(dir, 'a.json')).toBe(sha('aaaa'));
      expect(digests.reads).toBe(1);
    }
    for (const f of ['a.json', 'b.json']) utimesSync(join(dir, f), LONG_AGO, LONG_AGO);
    const first = run(dir, undefined, ['a.json', 'b.json']);
    const second = run(dir, first.record, ['a.json']);
    expect(second.digests.reads).toBe(0);
    expect(second.digests.changed()).toBe(true);
    expect(JSON.parse(second.record).files).not.toHaveProperty('b.json');
  });
});
