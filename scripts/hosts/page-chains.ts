/**
 * List pages as files, for hosts that can map `?cursor=&limit=` to a path (nginx, Netlify).
 *
 * For each listing (`chain`) and page size (`class`), a page starts at every multiple of the
 * class and is stored under the cursor that leads to it:
 *   v0.1/pages/<chain>/<class>/<cursor>.json   (`first.json` for no cursor)
 * A request with limit L is served from the largest class ≤ L, falling back to smaller classes
 * when the cursor came from another page size; class 1 has a page at every position, so every
 * cursor we ever handed out resolves, and a page never holds more than L entries. Bodies come
 * from the router's own listPage, so they are the bytes `serve` would send.
 */
import type { ApiData, ApiEntry } from '../api/api-data.ts';
import { listBody, listPage } from '../api/list-page.ts';
import { encodeCursor } from '../api/list-query.ts';
import type { ListQuery } from '../api/list-query.ts';
import type { HostOutput } from './host-output.ts';

export const PAGE_CLASSES = [1, 10, 30, 100] as const;

export const CHAINS: Record<string, (data: ApiData) => { list: readonly ApiEntry[]; query: Omit<ListQuery, 'limit'> }> = {
  active: (d) => ({ list: d.visible, query: { includeDeleted: false } }),
  latest: (d) => ({ list: d.latest, query: { includeDeleted: false, version: 'latest' } }),
  all: (d) => ({ list: d.all, query: { includeDeleted: true } }),
};

export const FIRST_PAGE = 'first';
/** File names longer than this are refused by common file systems. */
const MAX_FILE_NAME = 250;

export function pageFile(chain: string, size: number, cursor: string): string {
  return `v0.1/pages/${chain}/${size}/${cursor}.json`;
}

/** Largest class ≤ limit. */
export function classFor(limit: number): number {
  let best: number = PAGE_CLASSES[0];
  for (const c of PAGE_CLASSES) if (c <= limit) best = c;
  return best;
}

export function emitPageChains(data: ApiData, out: HostOutput): { skipped: number } {
  let skipped = 0;
  for (const [chain, select] of Object.entries(CHAINS)) {
    const { list, query } = select(data);
    for (const size of PAGE_CLASSES) {
      for (let p = 0; p <= list.length; p += size) {
        const before = p === 0 ? undefined : (list[p - 1] as ApiEntry);
        const page = listPage(data, { ...query, limit: size, ...(before ? { cursor: { name: before.name, version: before.version } } : {}) });
        const token = before ? encodeCursor(before) : FIRST_PAGE;
        if (token.length > MAX_FILE_NAME) {
          skipped += 1;
          continue;
        }
        out.write(pageFile(chain, size, token), listBody(page.items, page.nextCursor));
      }
    }
  }
  return { skipped };
}
