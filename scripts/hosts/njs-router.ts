/**
 * The router inside nginx (njs 0.7): the entry that `njs-bundle.ts` bundles into
 * `_nginx/mcp-registry.js`. It never runs in node. njs runs a module's top level again for
 * every request, so the API data is not parsed here: nginx preloads `_nginx/api.json` once
 * (`js_preload_object mcp_api`, shared read-only by every request) and njs-window.ts hands the
 * router the part of it one request can be answered from. njs 0.7 has no Map and no
 * URLSearchParams; njs-window.ts answers `byName.get` from the preloaded object and
 * `url-params.ts` stands in for URLSearchParams.
 */
// njs's own module; esbuild leaves the import as it is (njs-bundle.ts).
// biome-ignore lint/style/useNodejsImportProtocol: njs names its module `crypto`; it has no `node:` scheme.
import crypto from 'crypto';
import { njsViewObject } from './njs-layout.ts';
import type { NjsApiData } from './njs-layout.ts';
import { routeInNjs } from './njs-window.ts';

interface NjsRequest {
  method: string;
  variables: { request_uri?: string; mcp_view?: string };
  headersIn: Record<string, string | undefined>;
  headersOut: Record<string, string>;
  return(status: number, body?: string): void;
}

declare const mcp_api: NjsApiData;

function etagOf(body: string): string {
  return `"${crypto.createHash('sha1').update(body).digest('base64').replace(/=+$/, '')}"`;
}

/** `js_content mcp_registry.servers`: `/v0(.1)/servers?…` (or below a view's path), answered by the router. */
function servers(r: NjsRequest): void {
  const uri = r.variables.request_uri ?? '/';
  // A view's locations name it in $mcp_view: its data, and the request's path below /views/<name>
  // (cut as received, so a percent-encoded view name cuts the same two segments).
  const view = r.variables.mcp_view;
  const data = view ? (globalThis as unknown as Record<string, NjsApiData | undefined>)[njsViewObject(view)] : mcp_api;
  if (data === undefined) {
    r.return(500, '');
    return;
  }
  const url = view ? uri.replace(/^\/+[^/?]+\/+[^/?]+/, '') : uri;
  const { routed, identity } = routeInNjs(data, { method: r.method, url });
  if (routed.kind !== 'body') {
    r.return(500, '');
    return;
  }
  r.headersOut['Content-Type'] = routed.contentType;
  // Cache-Control comes from server.conf, by status (no-store for errors), as the router sets it.
  if (routed.status === 200) {
    // Hashing a list answer's identity costs njs a tenth of what hashing its body does.
    const etag = etagOf(identity ?? routed.body);
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
