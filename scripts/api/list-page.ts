/**
 * One page of `GET /v0.1/servers`: filter, start after the cursor (name, then version, as the
 * official keyset pagination does, so a stale or hand-made cursor still lands in order), and
 * hand out a cursor only when the page is full.
 */
import type { ApiData, ApiEntry } from './api-data.ts';
import { compareEntries } from './api-data.ts';
import type { Cursor, ListQuery } from './list-query.ts';
import { encodeCursor } from './list-query.ts';

export interface ListPage {
  items: ApiEntry[];
  nextCursor?: string;
}

function atOrBefore(entry: ApiEntry, cursor: Cursor): boolean {
  if (cursor.version === undefined) return entry.name <= cursor.name;
  return compareEntries(entry, { name: cursor.name, version: cursor.version }) <= 0;
}

/** Index of the first entry strictly after `cursor` in a list sorted by name, then version. */
export function indexAfter(list: readonly ApiEntry[], cursor: Cursor): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrBefore(list[mid] as ApiEntry, cursor)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function baseList(data: ApiData, query: ListQuery): readonly ApiEntry[] {
  if (query.version === 'latest') return data.latest;
  return query.includeDeleted ? data.all : data.visible;
}

function matches(entry: ApiEntry, query: ListQuery): boolean {
  if (query.version !== undefined && query.version !== 'latest' && entry.version !== query.version) return false;
  if (query.updatedSince !== undefined && !(entry.updatedKey > query.updatedSince)) return false;
  if (query.search !== undefined && !entry.haystack.includes(query.search)) return false;
  return true;
}

export function listPage(data: ApiData, query: ListQuery): ListPage {
  const list = baseList(data, query);
  let i = query.cursor ? indexAfter(list, query.cursor) : 0;
  const filtered = (query.version !== undefined && query.version !== 'latest') || query.updatedSince !== undefined || query.search !== undefined;
  const items: ApiEntry[] = [];
  if (!filtered) {
    items.push(...list.slice(i, i + query.limit));
  } else {
    for (; i < list.length && items.length < query.limit; i += 1) {
      const e = list[i] as ApiEntry;
      if (matches(e, query)) items.push(e);
    }
  }
  const page: ListPage = { items };
  const last = items[items.length - 1];
  if (last && items.length === query.limit) page.nextCursor = encodeCursor(last);
  return page;
}

/** The response body, assembled from the entries' serialized JSON. */
export function listBody(items: readonly ApiEntry[], nextCursor?: string): string {
  const metadata = nextCursor === undefined ? `{"count":${items.length}}` : `{"nextCursor":${JSON.stringify(nextCursor)},"count":${items.length}}`;
  return `{"servers":[${items.map((e) => e.json).join(',')}],"metadata":${metadata}}`;
}
