import { describe, expect, it } from 'vitest';
import type { ServerJson } from '../../scripts/core/api-types.ts';
import type { FileStat } from '../../scripts/load/file-digests.ts';
import { EntryCache } from '../../scripts/validate/entry-cache.ts';

const OLD = Date.parse('2020-01-01T00:00:00Z');
const NOW = Date.parse('2026-01-01T00:00:00Z');

function stat(ino: number, mtimeMs = OLD, size = 100): FileStat {
  const ns = BigInt(mtimeMs) * 1_000_000n;
  return { size: BigInt(size), mtimeNs: ns, ctimeNs: ns, ino: BigInt(ino), dev: 1n };
}

function record(version: string) {
  return { sha256: 'a'.repeat(64), contentHash: `hash-${version}`, diagnostics: [], value: { name: 'io.github.x/y', version } as ServerJson };
}

/** Applies what render() asks to write to a pair of texts, as build-cache.ts does. */
function save(cache: EntryCache, files: { base?: string; delta?: string }): { base?: string; delta?: string } {
  const texts = cache.render();
  if (texts === undefined) return files;
  const base = texts.base ?? files.base;
  return { ...(base === undefined ? {} : { base }), ...(texts.delta === undefined ? {} : { delta: texts.delta }) };
}

describe('entry cache', () => {
  it('takes a file whose stat is recorded, reads one whose stat differs, and writes only a delta for a few changes', () => {
    const first = EntryCache.empty('s', NOW);
    for (let i = 0; i < 100; i++) expect(first.known(`servers/${i}.json`, stat(i))).toBeUndefined();
    for (let i = 0; i < 100; i++) first.remember(`servers/${i}.json`, stat(i), record(`1.0.${i}`));
    let files = save(first, {});
    expect(files.base).toBeDefined();
    expect(files.delta).toBeUndefined();

    const second = EntryCache.parse(files.base, files.delta, 's', NOW + 1000);
    expect(second.known('servers/0.json', stat(0))?.value.version).toBe('1.0.0');
    // Same size and modification time, another inode or change time: read again.
    expect(second.known('servers/1.json', stat(101))).toBeUndefined();
    second.remember('servers/1.json', stat(101), record('2.0.0'));
    for (let i = 2; i < 99; i++) expect(second.known(`servers/${i}.json`, stat(i))).toBeDefined();
    // servers/99.json is gone; a new file comes.
    second.remember('servers/new.json', stat(200), record('3.0.0'));
    const baseBefore = files.base;
    files = save(second, files);
    expect(files.base).toBe(baseBefore);
    expect(files.delta).toBeDefined();
    expect((files.delta ?? '').length).toBeLessThan((files.base ?? '').length / 10);

    const third = EntryCache.parse(files.base, files.delta, 's', NOW + 2000);
    expect(third.known('servers/1.json', stat(101))?.value.version).toBe('2.0.0');
    expect(third.known('servers/new.json', stat(200))?.value.version).toBe('3.0.0');
    expect(third.known('servers/99.json', stat(99))).toBeUndefined();
    for (let i = 2; i < 99; i++) third.known(`servers/${i}.json`, stat(i));
    third.known('servers/0.json', stat(0));
    // Nothing read, nothing added or gone: nothing to write.
    expect(third.render()).toBeUndefined();
  });

  it('takes a file whose stat differs but whose bytes hash as recorded (a fresh checkout), and records the new stat', () => {
    const first = EntryCache.empty('s', NOW);
    first.remember('servers/a.json', stat(1), record('1.0.0'));
    const files = save(first, {});
    const checkout = EntryCache.parse(files.base, files.delta, 's', NOW + 1000);
    expect(checkout.known('servers/a.json', stat(7))).toBeUndefined();
    expect(checkout.knownContent('servers/a.json', stat(7), 'hash-other')).toBeUndefined();
    expect(checkout.knownContent('servers/a.json', stat(7), 'hash-1.0.0')?.value.version).toBe('1.0.0');
    const next = EntryCache.parse(save(checkout, files).base, save(checkout, files).delta, 's', NOW + 2000);
    expect(next.known('servers/a.json', stat(7))?.value.version).toBe('1.0.0');
    expect(next.known('servers/a.json', stat(1))).toBeUndefined();
  });

  it('ignores a delta of another base, a base of another stamp and a corrupt base', () => {
    const a = EntryCache.empty('s', NOW);
    a.remember('servers/a.json', stat(1), record('1.0.0'));
    const base = a.render()?.base;
    const b = EntryCache.parse(base, undefined, 's', NOW + 1000);
    b.known('servers/a.json', stat(1));
    b.remember('servers/b.json', stat(2), record('1.0.0'));
    const delta = b.render()?.delta;
    expect(delta).toBeDefined();
    // A fresh base (another id) beside the old delta.
    const other = EntryCache.empty('s', NOW).render();
    expect(other).toBeUndefined();
    const c = EntryCache.empty('s', NOW);
    c.remember('servers/a.json', stat(1), record('1.0.0'));
    const otherBase = c.render()?.base;
    expect(EntryCache.parse(otherBase, delta, 's', NOW + 2000).known('servers/b.json', stat(2))).toBeUndefined();
    expect(EntryCache.parse(base, delta, 's', NOW + 2000).known('servers/b.json', stat(2))?.value.version).toBe('1.0.0');
    expect(EntryCache.parse(base, delta, 'other stamp', NOW + 2000).known('servers/a.json', stat(1))).toBeUndefined();
    expect(EntryCache.parse('{"format":"entries/1"', undefined, 's').known('servers/a.json', stat(1))).toBeUndefined();
    expect(EntryCache.parse(base, '{not json', 's', NOW + 2000).known('servers/a.json', stat(1))?.value.version).toBe('1.0.0');
  });

  it('never trusts a record of a file modified within two seconds before it was written', () => {
    const a = EntryCache.empty('s', NOW);
    a.remember('servers/a.json', stat(1, NOW - 500), record('1.0.0'));
    const files = a.render();
    const b = EntryCache.parse(files?.base, undefined, 's', NOW + 60_000);
    expect(b.known('servers/a.json', stat(1, NOW - 500))).toBeUndefined();
  });

  it('rewrites the base when the delta grows past a small share of it', () => {
    const a = EntryCache.empty('s', NOW);
    for (let i = 0; i < 100; i++) a.remember(`servers/${i}.json`, stat(i), record(`1.0.${i}`));
    const base = a.render()?.base;
    const b = EntryCache.parse(base, undefined, 's', NOW + 1000);
    for (let i = 0; i < 100; i++) b.remember(`servers/${i}.json`, stat(i + 1000), record(`2.0.${i}`));
    const texts = b.render();
    expect(texts?.base).toBeDefined();
    expect(texts?.delta).toBeUndefined();
    expect(EntryCache.parse(texts?.base, undefined, 's', NOW + 2000).known('servers/5.json', stat(1005))?.value.version).toBe('2.0.5');
  });
});
