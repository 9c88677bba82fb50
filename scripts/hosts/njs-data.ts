/**
 * `_nginx/api.json`: the API data as njs reads it. nginx loads the file once at startup
 * (`js_preload_object`) and shares it read-only with every request. njs 0.7 reads a preloaded
 * array slowly (about 0.4 µs an element and 0.8 µs a `length`, measured in nginx 1.22 with njs
 * 0.7.9, against 0.07 µs for a local array), so nothing here may be walked whole per request:
 * the entries are stored once, in the order of ApiData.all, and every other part is an index
 * into them that lets njs-window.ts hand the router only the few entries a request can answer
 * with (a binary search for the cursor; the entries a filter can match). Small lists are kept as
 * JSON text, because njs's native JSON.parse is far faster than reading a preloaded array.
 */
import { createHash } from 'node:crypto';
import type { ApiData, ApiEntry } from '../api/api-data.ts';
import { asciiGrams, IN_LATEST, IN_VISIBLE, UPDATE_BLOCK } from './njs-layout.ts';
import type { NjsApiData, NjsServer } from './njs-layout.ts';

export type { NjsApiData } from './njs-layout.ts';

function lists(map: Map<string, number[]>): Record<string, string> {
  // No prototype: any key is a key like any other.
  const out: Record<string, string> = Object.create(null);
  for (const [key, list] of [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = JSON.stringify(list);
  return out;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function njsApiData(api: ApiData): NjsApiData {
  const index = new Map<ApiEntry, number>();
  api.all.forEach((e, i) => {
    index.set(e, i);
  });
  const at = (e: ApiEntry) => {
    const i = index.get(e);
    if (i === undefined) throw new Error(`njs data: ${e.name}@${e.version} is listed but not in ApiData.all`);
    return i;
  };
  const bits = api.all.map(() => 0);
  for (const e of api.visible) bits[at(e)] = (bits[at(e)] as number) | IN_VISIBLE;
  for (const e of api.latest) bits[at(e)] = (bits[at(e)] as number) | IN_LATEST;
  const order = api.all
    .map((_, i) => i)
    .sort((a, b) => {
      const ka = (api.all[a] as ApiEntry).updatedKey;
      const kb = (api.all[b] as ApiEntry).updatedKey;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
  const blockUpdated: string[] = [];
  api.all.forEach((e, i) => {
    const block = Math.floor(i / UPDATE_BLOCK);
    const max = blockUpdated[block];
    if (max === undefined || e.updatedKey > max) blockUpdated[block] = e.updatedKey;
  });
  const grams = new Map<string, number[]>();
  const versions = new Map<string, number[]>();
  api.all.forEach((e, i) => {
    for (const size of [3, 4]) for (const t of asciiGrams(e.haystack, size)) push(grams, t, i);
    push(versions, `v:${e.version}`, i);
  });
  const aliasEntries: ApiEntry[] = [];
  const servers: Record<string, NjsServer> = Object.create(null);
  for (const [name, s] of api.byName) {
    const alias = s.versions.length > 0 && !index.has(s.versions[0] as ApiEntry);
    const place = alias
      ? (() => {
          const local = new Map<ApiEntry, number>();
          for (const e of s.versions) {
            local.set(e, aliasEntries.length);
            aliasEntries.push(e);
          }
          return (e: ApiEntry) => local.get(e) as number;
        })()
      : at;
    const byVersion: Record<string, number> = Object.create(null);
    for (const [version, e] of s.byVersion) byVersion[version] = place(e);
    servers[name] = { versions: s.versions.map(place), latest: s.latest ? place(s.latest) : -1, byVersion, ...(alias ? { alias: true as const } : {}) };
  }
  return {
    entries: api.all,
    visible: api.visible.map(at),
    latest: api.latest.map(at),
    chains: bits.map((b) => String.fromCharCode(48 + b)).join(''),
    updatedKeys: order.map((i) => (api.all[i] as ApiEntry).updatedKey),
    updatedOrder: order,
    blockUpdated,
    grams: lists(grams),
    tag: createHash('sha256')
      .update(api.all.map((e) => e.json).join('\n'))
      .digest('base64url')
      .slice(0, 16),
    versions: lists(versions),
    servers,
    aliasEntries,
  };
}
