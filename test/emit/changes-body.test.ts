import { describe, expect, it } from 'vitest';
import type { ApiEntry } from '../../scripts/api/api-data.ts';
import { compareInstants, compareStrings } from '../../scripts/core/compare.ts';
import { changesBody } from '../../scripts/emit/api-emitter.ts';

function entry(name: string, version: string, updatedAt: string): ApiEntry {
  return { name, version, status: 'active', isLatest: false, publishedAt: updatedAt, updatedAt, updatedKey: '', haystack: '', json: '{}' };
}

/** The order changesBody promises, by the shared comparator (the reference it must match). */
function reference(entries: readonly ApiEntry[]): string[] {
  return [...entries]
    .sort((a, b) => compareInstants(a.updatedAt, b.updatedAt) || compareStrings(a.name, b.name) || compareStrings(a.version, b.version))
    .map((e) => `${e.name}@${e.version}`);
}

function order(body: string): string[] {
  return (JSON.parse(body) as { changes: { name: string; version: string }[] }).changes.map((c) => `${c.name}@${c.version}`);
}

/** A fixed pseudo-random shuffle, so the input order differs from the output order. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('changesBody', () => {
  it('orders same-width UTC dates by time, then name, then version', () => {
    const dates = ['2025-01-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z'];
    const entries = shuffled(dates.flatMap((d, i) => ['b.x/s', 'a.x/s', 'A.x/s'].flatMap((n) => [entry(n, `1.${i}.10`, d), entry(n, `1.${i}.9`, d)])));
    const got = order(changesBody(entries));
    expect(got).toEqual(reference(entries));
    expect(got[0]).toBe('A.x/s@1.2.10');
  });

  it('orders mixed precisions and offsets as times, not as text', () => {
    const entries = shuffled([
      entry('a.x/s', '1', '2025-09-08T23:47:09.452138Z'),
      entry('a.x/s', '2', '2025-09-08T23:47:09.45213Z'),
      entry('a.x/s', '3', '2025-09-08T23:47:09.452Z'),
      entry('a.x/s', '4', '2025-09-09T01:47:10+02:00'),
      entry('a.x/s', '5', 'not a date'),
    ]);
    const got = order(changesBody(entries));
    expect(got).toEqual(reference(entries));
    // Text order would put …09.45213Z after …09.452138Z.
    expect(got).toEqual(['a.x/s@3', 'a.x/s@2', 'a.x/s@1', 'a.x/s@4', 'a.x/s@5']);
  });
});
