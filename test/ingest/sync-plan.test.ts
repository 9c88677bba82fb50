/** The plan of a sync is a function of the walk and a snapshot of the tree: no file system, no network. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../scripts/config/registry-config.ts';
import type { SyncPlanInput, SyncTree } from '../../scripts/ingest/sync-plan.ts';
import { planSync } from '../../scripts/ingest/sync-plan.ts';
import { validateDocument } from '../../scripts/validate/validate-document.ts';
import { makeEntry } from '../fixtures/sync/upstream-server.ts';

const base = 'https://upstream.example/v0.1';
const name = (i: number) => `io.github.upstream-org/server-${String(i).padStart(5, '0')}`;

/** A tree that mirrored `count` servers from `base` before: their files and provenance, nothing else. */
function mirroredTree(count: number): SyncTree {
  const files = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const entry = makeEntry(i);
    files.set(`servers/${name(i)}/1.0.0.json`, `${JSON.stringify(entry.server, null, 2)}\n`);
    files.set(
      `registry/upstream/${name(i)}.yaml`,
      `upstream: ${base}\nfetchedAt: 2025-06-02T00:00:00Z\nversions:\n  1.0.0:\n    publishedAt: 2025-06-01T00:00:00Z\n`,
    );
  }
  return {
    readExisting: (path) => files.get(path),
    exists: (path) => files.has(path) || [...files.keys()].some((p) => p.startsWith(`${path}/`)),
    files: [...files].filter(([p]) => p.startsWith('servers/')).map(([path, text]) => ({ path, value: JSON.parse(text) as Record<string, unknown> })),
    provenanceFiles: [...files.keys()].filter((p) => p.startsWith('registry/upstream/')),
    serverFolders: Array.from({ length: count }, (_, i) => name(i)),
  };
}

function input(tree: SyncTree, seen: number[], extra: Partial<SyncPlanInput> = {}): SyncPlanInput {
  const items = seen.map((i) => makeEntry(i));
  return {
    from: 'https://upstream.example',
    base,
    items,
    seen: new Set(seen.map((i) => `${name(i)}@1.0.0`)),
    slug: 'upstream.example',
    policyDigest: 'digest',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    config: DEFAULT_CONFIG,
    validate: validateDocument,
    upstreams: [],
    tree,
    ...extra,
  };
}

describe('the plan of a sync', () => {
  it('holds removals above the limit, with no changes to write', () => {
    const planned = planSync(input(mirroredTree(4), [0], { removalLimit: { percent: 100, count: 2 } }));
    expect(planned.held).toBe(true);
    if (!planned.held) return;
    expect(planned.removalsHeld).toEqual({ removals: 3, allowed: 2, mirrored: 4 });
    expect(planned.diagnostic.code).toBe('sync/too-many-removals');
    expect(planned.diagnostic.message).toContain('--full --allow-removals 3');
  });

  it('marks the versions the walk no longer lists deleted once they are allowed, and writes the watermark', () => {
    const planned = planSync(input(mirroredTree(4), [0], { allowRemovals: 3 }));
    expect(planned.held).toBe(false);
    if (planned.held || planned.refused) return;
    expect(planned.counts).toMatchObject({ fetched: 1, removed: 3, withdrawn: 0 });
    const status = planned.changes.filter((c) => c.path.startsWith('registry/status/'));
    expect(status.map((c) => c.path)).toEqual([1, 2, 3].map((i) => `registry/status/${name(i)}.yaml`));
    for (const change of status) expect(change.text).toContain('status: deleted');
    expect(planned.changes.map((c) => c.path)).toContain('registry/sync/upstream.example.json');
    expect(planned.changes.some((c) => c.path.startsWith('servers/'))).toBe(false);
    expect(planned.watermark).toBe('2025-06-01T00:00:00Z');
  });

  it('asks nothing about removals on an incremental walk', () => {
    const planned = planSync(input(mirroredTree(4), [0], { since: '2025-05-01T00:00:00Z', removalLimit: { percent: 0, count: 0 } }));
    expect(planned.held).toBe(false);
    if (planned.held) return;
    expect(planned.counts.removed).toBe(0);
  });
});
