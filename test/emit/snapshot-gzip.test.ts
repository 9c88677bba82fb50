/** The snapshot gzipped in pieces: one ordinary gzip member, the same bytes with or without the cache, and a merge recompresses a piece or two. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ApiEntry } from '../../scripts/api/api-data.ts';
import { snapshotBody, snapshotGzip } from '../../scripts/emit/api-emitter.ts';
import { ChunkCache } from '../../scripts/emit/snapshot-gzip.ts';

/** What snapshotGzip reads of an entry: name, version and its serialized JSON. */
function entries(count: number, changed = -1): ApiEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `io.github.gen${i % 7}/tool-${String(i).padStart(5, '0')}`;
    const description = i === changed ? 'changed by a merge' : `tool number ${i} with some text to compress ${'x'.repeat(i % 50)}`;
    const json = JSON.stringify({ server: { name, version: '1.0.0', description } });
    return { name, version: '1.0.0', json } as unknown as ApiEntry;
  });
}

describe('snapshotGzip', () => {
  it('is an ordinary gzip of snapshotBody, for any number of entries', () => {
    for (const count of [0, 1, 2, 63, 500, 3000]) {
      const list = entries(count);
      expect(gunzipSync(snapshotGzip(list)).toString('utf8'), `${count} entries`).toBe(snapshotBody(list));
    }
  });

  it('is read by the gzip tool as one member', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-gzip-'));
    try {
      const list = entries(3000);
      writeFileSync(join(dir, 's.json.gz'), snapshotGzip(list));
      execFileSync('gzip', ['-t', join(dir, 's.json.gz')]);
      expect(execFileSync('gzip', ['-dc', join(dir, 's.json.gz')], { encoding: 'utf8', maxBuffer: 1 << 28 })).toBe(snapshotBody(list));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same bytes from the cache, and after one changed entry compresses a piece or two', () => {
    const before = entries(5000);
    const cache = new ChunkCache();
    const cold = snapshotGzip(before, cache);
    expect(cache.compressed).toBeGreaterThan(40);
    const warm = ChunkCache.parse(cache.render());
    expect(snapshotGzip(before, warm).equals(cold)).toBe(true);
    expect(warm.compressed).toBe(0);
    expect(warm.changed()).toBe(false);

    const after = entries(5000, 2500);
    const next = ChunkCache.parse(warm.render());
    const incremental = snapshotGzip(after, next);
    expect(next.compressed).toBe(1);
    expect(incremental.equals(snapshotGzip(after))).toBe(true);
    expect(gunzipSync(incremental).toString('utf8')).toBe(snapshotBody(after));
    // One more entry changes the count in the last piece, too.
    const grown = [...after, ...entries(5001).slice(5000)];
    const again = ChunkCache.parse(next.render());
    expect(snapshotGzip(grown, again).equals(snapshotGzip(grown))).toBe(true);
    expect(again.compressed).toBeLessThanOrEqual(2);
  });

  it('ignores a cache of another zlib or level, or one that does not parse', () => {
    const list = entries(500);
    const cache = new ChunkCache();
    snapshotGzip(list, cache);
    for (const text of [cache.render().replace(/"stamp":"[^"]*"/, '"stamp":"snapshot-chunks/1 zlib 0.0 level 6"'), '{', '']) {
      const other = ChunkCache.parse(text);
      expect(snapshotGzip(list, other).equals(snapshotGzip(list))).toBe(true);
      expect(other.compressed).toBeGreaterThan(0);
    }
  });
});
