/**
 * The router inside nginx (njs 0.7): the entry that `njs-bundle.ts` bundles into
 * `_nginx/mcp-registry.js`. It never runs in node. njs runs a module's top level again for
 * every request, so the API data is not parsed here: nginx preloads `_nginx/api.json` once
 * (`js_preload_object mcp_api`, shared read-only by every request) and this file only wraps it
 * in the ApiData shape the router reads. njs 0.7 has no Map and no URLSearchParams; the
 * wrapper answers `byName.get` from the preloaded object and `url-params.ts` stands in for
 * URLSearchParams.
 */
// njs's own module; esbuild leaves the import as it is (njs-bundle.ts).
// biome-ignore lint/style/useNodejsImportProtocol: njs names its module `crypto`; it has no `node:` scheme.
import crypto from 'crypto';
import type { ApiData, ApiEntry, ApiServer } from '../api/api-data.ts';
import { route } from '../api/router.ts';
import type { NjsApiData } from './njs-data.ts';

interface NjsRequest {
  method: string;
  variables: { request_uri?: string };
  headersIn: Record<string, string | undefined>;
  headersOut: Record<string, string>;
  return(status: number, body?: string): void;
}

declare const mcp_api: NjsApiData;

const own = (object: object, key: string) => Object.hasOwn(object, key);

/**
 * Preloaded arrays are arrays without Array.prototype (njs 0.7), so the router gets real
 * arrays of the same entries, made on first use by each request. Array.prototype.slice copies
 * one in well under a millisecond; Array.prototype.map over one is two orders slower.
 */
const slice = (list: readonly ApiEntry[]) => Array.prototype.slice.call(list) as ApiEntry[];
function pickFrom(entries: readonly ApiEntry[], indices: readonly number[]): ApiEntry[] {
  const out: ApiEntry[] = [];
  for (let i = 0; i < indices.length; i += 1) out.push(entries[indices[i] as number] as ApiEntry);
  return out;
}

function apiData(raw: NjsApiData): ApiData {
  const server = (name: string): ApiServer | undefined => {
    if (!own(raw.servers, name)) return undefined;
    const s = raw.servers[name] as NjsApiData['servers'][string];
    const byVersion = { get: (v: string) => (own(s.byVersion, v) ? raw.entries[s.byVersion[v] as number] : undefined) };
    const found: ApiServer = { versions: pickFrom(raw.entries, s.versions), byVersion: byVersion as unknown as ApiServer['byVersion'] };
    if (s.latest !== -1) found.latest = raw.entries[s.latest] as ApiEntry;
    return found;
  };
  let all: ApiEntry[] | undefined;
  let visible: ApiEntry[] | undefined;
  let latest: ApiEntry[] | undefined;
  return {
    get all() {
      all = all ?? slice(raw.entries);
      return all;
    },
    get visible() {
      visible = visible ?? slice(raw.visible);
      return visible;
    },
    get latest() {
      latest = latest ?? slice(raw.latest);
      return latest;
    },
    byName: { get: server } as unknown as ApiData['byName'],
  };
}

function etagOf(body: string): string {
  return `"${crypto.createHash('sha1').update(body).digest('base64').replace(/=+$/, '')}"`;
}

/** `js_content mcp_registry.servers`: `/v0(.1)/servers?…`, answered by the router. */
function servers(r: NjsRequest): void {
  const routed = route({ method: r.method, url: r.variables.request_uri ?? '/' }, apiData(mcp_api));
  if (routed.kind !== 'body') {
    r.return(500, '');
    return;
  }
  r.headersOut['Content-Type'] = routed.contentType;
  // Cache-Control comes from server.conf, by status (no-store for errors), as the router sets it.
  if (routed.status === 200) {
    const etag = etagOf(routed.body);
    r.headersOut.ETag = etag;
    const inm = r.headersIn['If-None-Match'];
    if (inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      r.return(304);
      return;
    }
  }
  r.return(routed.status, routed.body);
}

export default { servers };
