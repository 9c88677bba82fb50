/**
 * `_nginx/api.json`: the API data as njs reads it. nginx loads the file once at startup
 * (`js_preload_object`) and shares it read-only with every request, so it holds the router's
 * entries as they are (ApiEntry, serialized JSON included). The three listings are written out
 * in full: copying a preloaded array is fast in njs 0.7 and picking its elements by index is
 * not (30 ms for 3,000 entries); per-server lists, read one server at a time, use indexes.
 * njs-router.ts wraps it back into ApiData.
 */
import type { ApiData, ApiEntry } from '../api/api-data.ts';

export interface NjsApiData {
  /** ApiData.all: name, then version, deleted included. */
  entries: ApiEntry[];
  visible: ApiEntry[];
  latest: ApiEntry[];
  servers: Record<string, { versions: number[]; latest: number; byVersion: Record<string, number> }>;
}

export function njsApiData(api: ApiData): NjsApiData {
  const index = new Map<ApiEntry, number>();
  for (let i = 0; i < api.all.length; i += 1) index.set(api.all[i] as ApiEntry, i);
  const at = (e: ApiEntry) => index.get(e) as number;
  // No prototype: a version called `__proto__` is a key like any other.
  const servers: NjsApiData['servers'] = Object.create(null);
  for (const [name, s] of api.byName) {
    const byVersion: Record<string, number> = Object.create(null);
    for (const [version, e] of s.byVersion) byVersion[version] = at(e);
    servers[name] = { versions: s.versions.map(at), latest: s.latest ? at(s.latest) : -1, byVersion };
  }
  return { entries: api.all, visible: api.visible, latest: api.latest, servers };
}
