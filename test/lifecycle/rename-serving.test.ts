import { describe, expect, it } from 'vitest';
import { followableAliases } from '../../scripts/catalog/aliases.ts';
import { classifyChanges } from '../../scripts/github/classify-changes.ts';
import type { RenameRecord } from '../../scripts/state/rename-file.ts';

const rec = (from: string, to: string): RenameRecord => ({ from, to, renamedAt: '2026-03-01T10:00:00Z', renamedBy: 'owner' });

describe('which rename records the API follows', () => {
  it('follows a record to a published server', () => {
    expect([...followableAliases([rec('x.y/a', 'x.y/b')], new Set(['x.y/a', 'x.y/b'])).keys()]).toEqual(['x.y/a']);
  });
  it('does not follow a record to an unpublished name (a squat on a future name)', () => {
    expect(followableAliases([rec('x.y/a', 'x.y/b')], new Set(['x.y/a'])).size).toBe(0);
  });
  it('does not follow a chain or a cycle that reached the tree by hand', () => {
    const published = new Set(['x.y/a', 'x.y/b', 'x.y/c']);
    expect([...followableAliases([rec('x.y/a', 'x.y/b'), rec('x.y/b', 'x.y/c')], published).keys()]).toEqual(['x.y/b']);
    expect(followableAliases([rec('x.y/a', 'x.y/b'), rec('x.y/b', 'x.y/a')], published).size).toBe(0);
  });
});

describe('the PR check and rename records', () => {
  it('classifies a rename record as a rename, not as a server change (test/github/rename-pr.test.ts pins that a human merges it)', () => {
    const set = classifyChanges([{ status: 'added', path: 'registry/renames/org.victim/weather.yaml', oldMode: '000000', newMode: '100644' }], {
      publishedServers: new Set(['org.victim/weather']),
      maxFiles: 100,
    });
    expect(set.files.map((f) => f.kind)).toEqual(['rename']);
  });
});
