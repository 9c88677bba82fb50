import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/catalog/catalog.ts';
import type { FileDates } from '../../scripts/core/file-dates.ts';
import { OFFICIAL_META_KEY } from '../../scripts/core/api-types.ts';
import type { ServerResponse } from '../../scripts/core/api-types.ts';

const sample = fileURLToPath(new URL('../fixtures/official/live-2025-10-10.sample.json', import.meta.url));
const full = fileURLToPath(new URL('../../../shared/data/official-live-2025-10-10.json', import.meta.url));
// The trimmed sample always; the whole dump too where ../shared is beside the clone.
const sources = [sample, ...(existsSync(full) ? [full] : [])];

describe.each(sources)('isLatest against the live official registry (2025-10-10): %s', (live) => {
  it('chooses the same latest version as the official registry for every server', () => {
    const raw = JSON.parse(readFileSync(live, 'utf8').replace(/^\uFEFF/, '')) as ServerResponse[];
    const entries = raw.map((r, i) => ({ path: `entry-${i}`, server: r.server }));
    const dates = new Map<string, FileDates>(
      raw.map((r, i) => {
        const meta = r._meta[OFFICIAL_META_KEY];
        // The official strings as they are (microseconds, trailing zeros trimmed), as import keeps them.
        return [`entry-${i}`, { publishedAt: meta.publishedAt, updatedAt: meta.updatedAt }];
      }),
    );
    const catalog = buildCatalog({ entries, dates, metaNamespace: 'x', fallbackDate: '1970-01-01T00:00:00.000Z' });
    const ours = new Map(catalog.entries.map((e) => [`${e.name}@${e.version}`, e.official.isLatest]));
    const mismatches = raw
      .filter((r) => ours.get(`${r.server.name}@${r.server.version}`) !== r._meta[OFFICIAL_META_KEY].isLatest)
      .map((r) => `${r.server.name}@${r.server.version}`);
    expect(catalog.entries).toHaveLength(raw.length);
    expect(mismatches).toEqual([]);
  });
});
