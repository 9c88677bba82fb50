import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/main.ts';
import { allowedRemovals, removalLimitFor } from '../../scripts/ingest/removal-limit.ts';
import { makeEntry, startUpstream } from '../fixtures/sync/upstream-server.ts';
import type { Upstream } from '../fixtures/sync/upstream-server.ts';

// An upstream of 300 versions whose full listing, on the second sync, ends after two of its three
// pages (the second page comes back without nextCursor): the walk looks complete but misses 100.
let root: string;
let upstream: Upstream;
let truncate = false;
let out = '';
const io = () => ({
  stdout: (t: string) => {
    out += t;
  },
  stderr: (t: string) => {
    out += t;
  },
  cwd: root,
  env: {},
});
const sync = (...extra: string[]) => main(['sync', '--from', upstream.url, '--full', ...extra], io());

function treeDigest(): string {
  const files = fg.sync(['servers/**', 'registry/**'], { cwd: root, onlyFiles: true, ignore: ['registry/sync/*.journal/**'] }).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0${readFileSync(join(root, f))}\0`);
  return hash.digest('hex');
}

const deletedStatuses = () =>
  fg.sync('registry/status/*/*.yaml', { cwd: root }).filter((f) => readFileSync(join(root, f), 'utf8').includes('status: deleted')).length;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'sync-removals-'));
  out = '';
  truncate = false;
  const entries = Array.from({ length: 300 }, (_, i) => makeEntry(i));
  upstream = await startUpstream({
    entries,
    intercept: (_n, url) => {
      const cursor = url.searchParams.get('cursor');
      if (!truncate || cursor === null || !cursor.endsWith('server-00099:1.0.0')) return undefined;
      return { body: JSON.stringify({ servers: entries.slice(100, 200), metadata: { count: 100 } }) };
    },
  });
});
afterEach(async () => {
  await upstream.close();
  rmSync(root, { recursive: true, force: true });
});

describe('sync refuses mass removals from a listing that ends early', () => {
  it('holds 100 removals of 300 mirrored versions, writes nothing, exits 3 and says how to confirm', async () => {
    expect(await sync()).toBe(0);
    const before = treeDigest();
    truncate = true;
    out = '';
    expect(await sync()).toBe(3);
    expect(out).toContain('error sync/too-many-removals');
    expect(out).toMatch(
      /no longer lists 100 of the 300 versions mirrored from it .*more than the 15 one sync may mark deleted \(maxRemovals 5% of 300 mirrored versions, at most 50\)/,
    );
    expect(out).toContain(`mcp-registry sync --from ${upstream.url} --full --allow-removals 100`);
    expect(treeDigest()).toBe(before);
    expect(deletedStatuses()).toBe(0);
  });

  it('applies the removals once confirmed with --allow-removals N, and only up to N', async () => {
    expect(await sync()).toBe(0);
    truncate = true;
    expect(await sync('--allow-removals', '99')).toBe(3);
    expect(deletedStatuses()).toBe(0);
    expect(await sync('--allow-removals', '100')).toBe(0);
    expect(deletedStatuses()).toBe(100);
  });

  it('takes maxRemovals from registry.config.yaml, per upstream over the global one', async () => {
    expect(await sync()).toBe(0);
    truncate = true;
    writeFileSync(
      join(root, 'registry.config.yaml'),
      `sync:\n  maxRemovals: { percent: 50, count: 1000 }\nupstreams:\n  - url: ${upstream.url}\n    maxRemovals: { count: 99 }\n`,
    );
    out = '';
    expect(await sync()).toBe(3);
    expect(out).toMatch(/more than the 99 one sync may mark deleted/);
    writeFileSync(join(root, 'registry.config.yaml'), `sync:\n  maxRemovals: { percent: 50, count: 1000 }\n`);
    expect(await sync()).toBe(0);
    expect(deletedStatuses()).toBe(100);
  });

  it('lets a single removal through without confirmation', async () => {
    expect(await sync()).toBe(0);
    upstream.entries = upstream.entries.slice(1);
    expect(await sync()).toBe(0);
    expect(deletedStatuses()).toBe(1);
  });

  it('refuses a maxRemovals it cannot read, naming the key', async () => {
    writeFileSync(join(root, 'registry.config.yaml'), 'sync:\n  maxRemovals: { percent: 500 }\n');
    expect(await sync()).toBe(2);
    expect(out).toMatch(/sync\.maxRemovals\.percent must be a number from 0 to 100; got 500/);
  });
});

describe('the removal limit', () => {
  it('is the smaller of percent and count, and at least one', () => {
    const limit = { percent: 5, count: 50 };
    expect(allowedRemovals(limit, 590)).toBe(29);
    expect(allowedRemovals(limit, 10_000)).toBe(50);
    expect(allowedRemovals(limit, 3)).toBe(1);
    expect(allowedRemovals({ percent: 5, count: 0 }, 3)).toBe(0);
  });

  it('defaults to 5% and 50', () => {
    expect(removalLimitFor({}, 'https://registry.example')).toEqual({ ok: true, value: { percent: 5, count: 50 } });
  });
});
