import { describe, expect, it } from 'vitest';
import { newestFirst } from '../../scripts/site/changes-feed.ts';
import type { ChangeEntry } from '../../scripts/site/changes-feed.ts';
import { compareInstants, compareStrings } from '../../scripts/core/compare.ts';

function entries(count: number): ChangeEntry[] {
  let seed = 11;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  // Few distinct instants (many ties), mixed precisions and offsets of the same instant.
  const dates = [
    '2025-01-01T00:00:00Z',
    '2025-01-01T00:00:00.000Z',
    '2025-01-01T01:00:00+01:00',
    '2025-03-04T05:06:07.123456Z',
    '2024-12-31T23:59:59Z',
    '2025-03-04T05:06:07.1234Z',
  ];
  return Array.from({ length: count }, (_, i) => ({
    kind: 'updated',
    name: `io.github.u${next() % 7}/s${next() % 5}`,
    slug: 's',
    title: 't',
    version: String(i),
    description: '',
    date: dates[next() % dates.length] as string,
  }));
}

describe('newestFirst', () => {
  it('is the first entries of the stable sort, newest first and ties by name', () => {
    for (const [count, limit] of [
      [0, 5],
      [3, 5],
      [200, 1],
      [200, 50],
      [1000, 100],
      [50, 0],
    ] as const) {
      const all = entries(count);
      const expected = [...all].sort((a, b) => compareInstants(b.date, a.date) || compareStrings(a.name, b.name)).slice(0, limit);
      expect(newestFirst([...all], limit).map((e) => e.version)).toEqual(expected.map((e) => e.version));
    }
  });
});
