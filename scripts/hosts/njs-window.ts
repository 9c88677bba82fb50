/**
 * The ApiData the router answers one request from, inside nginx (njs-router.ts). The router is
 * the one `serve` runs; only its input shrinks. For `GET /v0(.1)/servers?…` this hands it, in
 * place of the whole listing, a window of it that holds every entry its answer can be made of:
 *   - no filter: the `limit` entries after the cursor (found by a binary search);
 *   - filters: the entries an index says can match (a version's entries, the entries holding
 *     the rarest n-grams of `search`, the entries updated after `updated_since`), in list
 *     order, after the cursor; or, when the indexes name more than a quarter of the list, the
 *     listing after the cursor, block by block (skipping blocks with nothing updated after
 *     `updated_since`), until the router's page over it is full or the list ends.
 * Every window is in list order and starts after the cursor, and a filtered one holds every
 * match up to where it ends, so the router's page over it is the page over the whole list
 * (test/hosts/njs-window.test.ts compares the two for every kind of query). Plain ES5-level code
 * over arrays and strings, so that it runs in njs 0.7 and in node alike (njs-data.ts says why
 * the preloaded data must not be walked whole).
 */
import type { ApiData, ApiEntry, ApiServer } from '../api/api-data.ts';
import { API_CACHE, JSON_TYPE } from '../api/http-headers.ts';
import { indexAfter, listBody, listPage } from '../api/list-page.ts';
import type { ListPage } from '../api/list-page.ts';
import { parseListQuery } from '../api/list-query.ts';
import type { ListQuery } from '../api/list-query.ts';
import { MAX_URL_BYTES, route } from '../api/router.ts';
import type { RouteRequest, RouteResponse } from '../api/router.ts';
import { asciiGrams, IN_LATEST, IN_VISIBLE, isAscii, UPDATE_BLOCK } from './njs-layout.ts';
import type { NjsApiData, NjsServer } from './njs-layout.ts';

type Chain = 'all' | 'visible' | 'latest';

const own = (object: object, key: string) => Object.hasOwn(object, key);
/** A copy of part of a (preloaded) array: native, unlike any loop over it. */
const slice = <T>(list: readonly T[], from?: number, to?: number) => Array.prototype.slice.call(list, from, to) as T[];

function pick(entries: readonly ApiEntry[], indices: readonly number[]): ApiEntry[] {
  const out: ApiEntry[] = [];
  for (let i = 0; i < indices.length; i += 1) out.push(entries[indices[i] as number] as ApiEntry);
  return out;
}

function server(raw: NjsApiData, name: string): ApiServer | undefined {
  if (!own(raw.servers, name)) return undefined;
  const s = raw.servers[name] as NjsServer;
  const from = s.alias ? raw.aliasEntries : raw.entries;
  const byVersion = { get: (v: string) => (own(s.byVersion, v) ? from[s.byVersion[v] as number] : undefined) };
  const found: ApiServer = { versions: pick(from, slice(s.versions)), byVersion: byVersion as unknown as ApiServer['byVersion'] };
  if (s.latest !== -1) found.latest = from[s.latest] as ApiEntry;
  return found;
}

/** The whole data, each listing copied out on first use (milliseconds in njs: only for the rare routes that need it). */
function fullData(raw: NjsApiData, window?: { chain: Chain; entries: ApiEntry[] }): ApiData {
  const cache: Partial<Record<Chain, ApiEntry[]>> = {};
  const list = (chain: Chain): ApiEntry[] => {
    if (window && window.chain === chain) return window.entries;
    let got = cache[chain];
    if (!got) {
      got = chain === 'all' ? slice(raw.entries) : pick(raw.entries, slice(chain === 'visible' ? raw.visible : raw.latest));
      cache[chain] = got;
    }
    return got;
  };
  return {
    get all() {
      return list('all');
    },
    get visible() {
      return list('visible');
    },
    get latest() {
      return list('latest');
    },
    byName: { get: (name: string) => server(raw, name) } as unknown as ApiData['byName'],
  };
}

/** The listing the router's listPage reads for `query` (list-page.ts baseList). */
function chainOf(query: ListQuery): Chain {
  if (query.version === 'latest') return 'latest';
  return query.includeDeleted ? 'all' : 'visible';
}

/** Whether the entry at `index` is in the listing: `chains` is NjsApiData.chains, read once per request. */
function inChain(chains: string, index: number, chain: Chain): boolean {
  if (chain === 'all') return true;
  const bits = chains.charCodeAt(index) - 48;
  return (bits & (chain === 'latest' ? IN_LATEST : IN_VISIBLE)) !== 0;
}

/** First position of `list` (ascending numbers) holding a number ≥ `value`. */
function lowerBound(list: readonly number[], length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position of `updatedKeys` whose key is after `since` (the router's `updatedKey > since`). */
function firstUpdatedAfter(keys: readonly string[], length: number, since: string): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) > since) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return out;
}

/** A filter whose index names more than a quarter of the list is read by a stretch of the listing instead. */
const DENSE = 4;
/** How many entries updated after `updated_since` are sorted back into list order, at most. */
const MAX_UPDATED = 1024;

/**
 * The entries (as ascending indices into `entries`) that the query's filters can match: the
 * intersection of what each filter's index names. Undefined when that is still more than a
 * quarter of the list (matches are then dense enough for a stretch of the listing to fill a page).
 */
function candidates(raw: NjsApiData, total: number, query: ListQuery): number[] | undefined {
  const found: number[][] = [];
  if (query.version !== undefined && query.version !== 'latest') {
    const key = `v:${query.version}`;
    if (!own(raw.versions, key)) return [];
    found.push(JSON.parse(raw.versions[key] as string) as number[]);
  }
  const search = query.search;
  if (search !== undefined && search.length >= 3 && isAscii(search)) {
    const texts: string[] = [];
    const grams = asciiGrams(search, search.length >= 4 ? 4 : 3);
    for (let i = 0; i < grams.length; i += 1) {
      const t = grams[i] as string;
      // No entry holds this n-gram, so none holds the search.
      if (!own(raw.grams, t)) return [];
      texts.push(raw.grams[t] as string);
    }
    // The shortest texts list the fewest entries. Two rare n-grams narrow about as far as more
    // would, and one listing many more entries than the rarest is not worth reading.
    texts.sort((a, b) => a.length - b.length);
    const rarest = (texts[0] as string).length;
    for (let i = 0; i < texts.length && i < 2 && (texts[i] as string).length <= rarest * 2; i += 1) found.push(JSON.parse(texts[i] as string) as number[]);
  }
  if (query.updatedSince !== undefined) {
    const first = firstUpdatedAfter(raw.updatedKeys, total, query.updatedSince);
    if (first === total) return [];
    if (total - first <= MAX_UPDATED && (total - first) * DENSE <= total) found.push(slice(raw.updatedOrder, first).sort((a, b) => a - b));
  }
  if (found.length === 0) return undefined;
  found.sort((a, b) => a.length - b.length);
  let out = found[0] as number[];
  for (let i = 1; i < found.length; i += 1) out = intersect(out, found[i] as number[]);
  return out.length * DENSE > total ? undefined : out;
}

/** The listing's positions after the cursor: where its entries start in `entries` order. */
function chainStart(raw: NjsApiData, chain: Chain, firstIndex: number): { list: readonly number[] | undefined; start: number } {
  if (chain === 'all') return { list: undefined, start: firstIndex };
  const list = chain === 'visible' ? raw.visible : raw.latest;
  return { list, start: lowerBound(list, list.length, firstIndex) };
}

function stretch(raw: NjsApiData, at: { list: readonly number[] | undefined; start: number }, count: number): ApiEntry[] {
  if (at.list === undefined) return slice(raw.entries, at.start, at.start + count);
  return pick(raw.entries, slice(at.list, at.start, at.start + count));
}

interface Window {
  entries: ApiEntry[];
  /** The router's page over `entries`, when it was made while choosing them. */
  page?: ListPage;
}

function windowFor(raw: NjsApiData, query: ListQuery, chain: Chain): Window {
  // Each read of a preloaded object's property costs njs; these are read once.
  const entries = raw.entries;
  const chains = raw.chains;
  const total = entries.length;
  const firstIndex = query.cursor ? indexAfter(entries, query.cursor) : 0;
  const filtered = (query.version !== undefined && query.version !== 'latest') || query.updatedSince !== undefined || query.search !== undefined;
  if (!filtered) return { entries: stretch(raw, chainStart(raw, chain, firstIndex), query.limit) };
  const named = candidates(raw, total, query);
  if (named !== undefined) {
    const out: ApiEntry[] = [];
    for (let i = lowerBound(named, named.length, firstIndex); i < named.length; i += 1) {
      const index = named[i] as number;
      if (inChain(chains, index, chain)) out.push(entries[index] as ApiEntry);
    }
    return { entries: out };
  }
  // Dense matches: the listing block by block (UPDATE_BLOCK entries of `entries` each), leaving out
  // the blocks where nothing was updated after `updated_since`, until the router's page is full.
  const since = query.updatedSince;
  const out: ApiEntry[] = [];
  const blocks = raw.blockUpdated;
  let enough = query.limit;
  for (let block = Math.floor(firstIndex / UPDATE_BLOCK); block * UPDATE_BLOCK < total; block += 1) {
    if (since !== undefined && !((blocks[block] as string) > since)) continue;
    const from = Math.max(block * UPDATE_BLOCK, firstIndex);
    const part = slice(entries, from, (block + 1) * UPDATE_BLOCK);
    for (let i = 0; i < part.length; i += 1) if (inChain(chains, from + i, chain)) out.push(part[i] as ApiEntry);
    if (out.length >= enough) {
      const page = listPage(fullData(raw, { chain, entries: out }), query);
      if (page.items.length === query.limit) return { entries: out, page };
      enough *= 2;
    }
  }
  return { entries: out };
}

/**
 * The data to route `url` over: for a list query that parses, the whole data with the listing it
 * reads cut to its window; for anything else (errors, per-server routes) the whole data.
 */
export function apiDataFor(raw: NjsApiData, url: string): ApiData {
  const list = listQueryOf(url);
  if (list === undefined) return fullData(raw);
  const chain = chainOf(list);
  return fullData(raw, { chain, entries: windowFor(raw, list, chain).entries });
}

/** The query of `GET /v0(.1)/servers?…` when it parses (the router's own checks), else undefined. */
function listQueryOf(url: string): ListQuery | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (q === -1 || url.length > MAX_URL_BYTES || (path !== '/v0.1/servers' && path !== '/v0/servers')) return undefined;
  const parsed = parseListQuery(new URLSearchParams(url.slice(q + 1)));
  return parsed.ok ? parsed.value : undefined;
}

/**
 * The router's answer to `request`, as `route` gives it over the whole data. A list query that
 * parses is answered as the router's list route answers it (listPage and listBody over the
 * window), so its query string is parsed once; everything else goes through `route` itself.
 */
export function routeInNjs(raw: NjsApiData, request: RouteRequest): NjsAnswer {
  const list = request.method === 'GET' || request.method === 'HEAD' ? listQueryOf(request.url) : undefined;
  if (list === undefined) return { routed: route(request, fullData(raw)) };
  const chain = chainOf(list);
  const window = windowFor(raw, list, chain);
  const page = window.page ?? listPage(fullData(raw, { chain, entries: window.entries }), list);
  const body = listBody(page.items, page.nextCursor);
  // The body is made of these entries' bytes (fixed by the data's tag) and the cursor: what the ETag hashes.
  const names: string[] = [raw.tag, page.nextCursor ?? ''];
  for (let i = 0; i < page.items.length; i += 1) {
    const e = page.items[i] as ApiEntry;
    names.push(`${e.name}\n${e.version}`);
  }
  return { routed: { kind: 'body', status: 200, contentType: JSON_TYPE, body, cacheControl: API_CACHE }, identity: names.join('\n') };
}

export interface NjsAnswer {
  routed: RouteResponse;
  /**
   * For a list answer: a short text that is the same exactly when the body is (the data's tag,
   * the cursor and the entries), so the ETag hashes it instead of the body.
   */
  identity?: string;
}
