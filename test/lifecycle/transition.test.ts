import { describe, expect, it } from 'vitest';
import { parseStatusFile, serializeStatusFile } from '../../scripts/state/status-file.ts';
import { applyLifecycle } from '../../scripts/lifecycle/transition.ts';

const NOW = '2026-03-01T10:00:00Z';
const PUBLISHED = ['1.0.0', '1.1.0', '2.0.0'];

describe('lifecycle transitions', () => {
  it('deprecates the named version with its message and time', () => {
    const r = applyLifecycle({}, { action: 'deprecate', versions: ['1.0.0'], statusMessage: 'Use 2.0.0', now: NOW }, PUBLISHED);
    expect(r).toEqual({
      ok: true,
      value: {
        changed: ['1.0.0'],
        file: { versions: { '1.0.0': { status: 'deprecated', statusMessage: 'Use 2.0.0', statusChangedAt: NOW, statusChangedBy: 'owner' } } },
      },
      diagnostics: [],
    });
  });

  it('records a maintainer’s change as the maintainer’s decision', () => {
    const r = applyLifecycle(
      {},
      { action: 'delete', versions: ['1.0.0'], statusMessage: 'Malware (#12)', latest: '1.1.0', now: NOW, actor: 'maintainer' },
      PUBLISHED,
    );
    expect(r.ok && r.value.file).toEqual({
      latest: '1.1.0',
      latestChangedBy: 'maintainer',
      versions: { '1.0.0': { status: 'deleted', statusMessage: 'Malware (#12)', statusChangedAt: NOW, statusChangedBy: 'maintainer' } },
    });
  });

  it('turns an owner’s deprecation into a maintainer’s decision when a maintainer repeats it', () => {
    const current = {
      versions: { '1.0.0': { status: 'deprecated' as const, statusMessage: 'm', statusChangedAt: '2026-01-01T00:00:00Z', statusChangedBy: 'owner' as const } },
    };
    const r = applyLifecycle(current, { action: 'deprecate', versions: ['1.0.0'], statusMessage: 'm', now: NOW, actor: 'maintainer' }, PUBLISHED);
    expect(r.ok && r.value.changed).toEqual(['1.0.0']);
    expect(r.ok && r.value.file.versions!['1.0.0']!.statusChangedBy).toBe('maintainer');
  });

  it('reads and writes who made a change', () => {
    const text = serializeStatusFile({
      latest: '1.1.0',
      latestChangedBy: 'maintainer',
      versions: { '1.0.0': { status: 'deleted', statusMessage: 'x', statusChangedAt: NOW, statusChangedBy: 'maintainer' } },
    });
    expect(text).toContain('statusChangedBy: maintainer');
    expect(parseStatusFile(text).value).toEqual({
      latest: '1.1.0',
      latestChangedBy: 'maintainer',
      versions: { '1.0.0': { status: 'deleted', statusMessage: 'x', statusChangedAt: NOW, statusChangedBy: 'maintainer' } },
    });
    expect(parseStatusFile(text.replace('statusChangedBy: maintainer', 'statusChangedBy: admin')).diagnostics.map((d) => d.code)).toEqual(['lifecycle/shape']);
  });

  it('changes every published version when no version is named', () => {
    const r = applyLifecycle({}, { action: 'delete', versions: 'all', statusMessage: 'Malware', now: NOW }, PUBLISHED);
    expect(r.ok && r.value.changed).toEqual(PUBLISHED);
  });

  it('restores a deleted version to active without a message', () => {
    const current = { versions: { '1.0.0': { status: 'deleted' as const, statusMessage: 'x', statusChangedAt: '2026-01-01T00:00:00Z' } } };
    const r = applyLifecycle(current, { action: 'restore', versions: ['1.0.0'], now: NOW }, PUBLISHED);
    expect(r.ok && r.value.file.versions!['1.0.0']).toEqual({ status: 'active', statusChangedAt: NOW, statusChangedBy: 'owner' });
  });

  it('keeps the old time when the version already has that status and message', () => {
    const current = { versions: { '1.0.0': { status: 'deprecated' as const, statusMessage: 'm', statusChangedAt: '2026-01-01T00:00:00Z' } } };
    const r = applyLifecycle(current, { action: 'deprecate', versions: ['1.0.0'], statusMessage: 'm', now: NOW }, PUBLISHED);
    expect(r.ok && r.value.changed).toEqual([]);
    expect(r.ok && r.value.file).toEqual(current);
  });

  it('refuses an unpublished version', () => {
    const r = applyLifecycle({}, { action: 'deprecate', versions: ['9.9.9'], statusMessage: 'm', now: NOW }, PUBLISHED);
    expect(!r.ok && r.diagnostics.map((d) => d.code)).toEqual(['lifecycle/unknown-version']);
  });

  it('refuses a status message over 500 characters', () => {
    const r = applyLifecycle({}, { action: 'delete', versions: ['1.0.0'], statusMessage: 'x'.repeat(501), now: NOW }, PUBLISHED);
    expect(!r.ok && r.diagnostics.map((d) => d.code)).toEqual(['lifecycle/message-too-long']);
  });

  it('refuses a message on restore, since active versions carry none', () => {
    const r = applyLifecycle({}, { action: 'restore', versions: ['1.0.0'], statusMessage: 'back', now: NOW }, PUBLISHED);
    expect(!r.ok && r.diagnostics[0]!.code).toBe('lifecycle/message-with-active');
  });

  it('pins latest without touching any version status', () => {
    const r = applyLifecycle({}, { action: 'restore', versions: [], latest: '1.1.0', now: NOW }, PUBLISHED);
    expect(r).toEqual({ ok: true, value: { changed: [], file: { latest: '1.1.0', latestChangedBy: 'owner' } }, diagnostics: [] });
  });

  it('refuses to delete the version pinned as latest', () => {
    const r = applyLifecycle({ latest: '2.0.0' }, { action: 'delete', versions: ['2.0.0'], statusMessage: 'bad', now: NOW }, PUBLISHED);
    expect(!r.ok && r.diagnostics[0]!.code).toBe('lifecycle/latest-deleted');
  });

  it('removes the pin with latest null', () => {
    const r = applyLifecycle({ latest: '2.0.0' }, { action: 'restore', versions: [], latest: null, now: NOW }, PUBLISHED);
    expect(r.ok && r.value.file).toEqual({});
  });
});

describe('status file text', () => {
  it('serializes deterministically with versions sorted, whatever the insertion order', () => {
    const a = serializeStatusFile({
      versions: {
        '2.0.0': { status: 'deleted', statusMessage: 'b', statusChangedAt: NOW },
        '1.0.0': { status: 'deprecated', statusMessage: 'a', statusChangedAt: NOW },
      },
      latest: '1.0.0',
    });
    const b = serializeStatusFile({
      latest: '1.0.0',
      versions: {
        '1.0.0': { statusChangedAt: NOW, statusMessage: 'a', status: 'deprecated' },
        '2.0.0': { status: 'deleted', statusChangedAt: NOW, statusMessage: 'b' },
      },
    });
    expect(a).toBe(b);
    expect(a.indexOf('"1.0.0":')).toBeGreaterThan(0);
    expect(a.indexOf('"1.0.0":')).toBeLessThan(a.indexOf('"2.0.0":'));
  });

  it('reads back what it writes', () => {
    const file = { latest: '1.0.0', versions: { '1.1.0': { status: 'deprecated' as const, statusMessage: 'Use "1.0.0": it is: fine', statusChangedAt: NOW } } };
    expect(parseStatusFile(serializeStatusFile(file)).value).toEqual(file);
  });

  it('keeps number-like versions as strings both ways', () => {
    const file = {
      latest: '1.10',
      versions: {
        '1.10': { status: 'deprecated' as const, statusMessage: 'm', statusChangedAt: NOW },
        '2': { status: 'active' as const, statusChangedAt: NOW },
      },
    };
    const text = serializeStatusFile(file);
    expect(text).toContain('"1.10":');
    expect(parseStatusFile(text).value).toEqual(file);
    expect(Object.keys(parseStatusFile('versions:\n  1.10:\n    status: active\n    statusChangedAt: 2026-01-01T00:00:00Z\n').value!.versions!)).toEqual([
      '1.10',
    ]);
  });

  it('points at the line of a bad status value', () => {
    const text = 'versions:\n  1.0.0:\n    status: gone\n    statusChangedAt: 2026-01-01T00:00:00Z\n';
    const d = parseStatusFile(text).diagnostics[0]!;
    expect(d).toMatchObject({ code: 'lifecycle/status', pointer: '/versions/1.0.0/status', line: 3 });
  });

  it('reports invalid YAML with a position', () => {
    const d = parseStatusFile('versions: [\n').diagnostics[0]!;
    expect(d.code).toBe('lifecycle/yaml');
    expect(d.line).toBeGreaterThan(0);
  });

  it('refuses a deprecated version without a message', () => {
    const text = 'versions:\n  "1.0.0":\n    status: deprecated\n    statusChangedAt: "2026-01-01T00:00:00Z"\n';
    expect(parseStatusFile(text).diagnostics.map((d) => d.code)).toEqual(['lifecycle/message-required']);
  });

  it('refuses versions that are not published', () => {
    const text = 'versions:\n  "3.0.0":\n    status: active\n    statusChangedAt: "2026-01-01T00:00:00Z"\n';
    expect(parseStatusFile(text, ['1.0.0']).diagnostics.map((d) => d.code)).toEqual(['lifecycle/unknown-version']);
  });

  it('refuses unknown keys', () => {
    expect(parseStatusFile('owner: me\n').diagnostics.map((d) => d.code)).toEqual(['lifecycle/shape']);
  });
});
