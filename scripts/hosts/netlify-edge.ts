/**
 * The Netlify Edge Function (Deno) of `build --host netlify`: the entry that netlify-bundle.ts
 * bundles into `netlify/edge-functions/mcp-registry.js`. It never runs in node. It runs for every
 * path (as the Cloudflare worker does) with the router `serve` runs: the list query (every parameter)
 * and the router's own answers (redirects, errors, preflights) are computed here; a path the
 * router maps to a file is the CDN's static file, taken with `context.next()` (the request as
 * `_redirects` rewrites it), or, when the request names it differently (`%2F` in a name), by a
 * same-site fetch of the router's file path that this function hands straight to the CDN. A file
 * that is not there is the API's JSON 404, as on every host; site pages pass through, their error
 * pages made uncacheable. The API entries are embedded in the
 * bundle (`MCP_REGISTRY_ENTRIES`, the JSON text of ApiData.all; `MCP_REGISTRY_RENAMES`, so old
 * names answer as `serve` answers them), parsed once per isolate.
 */
import { apiDataFromEntries, parseRenamesBody } from '../api/api-data.ts';
import type { ApiData, ApiEntry } from '../api/api-data.ts';
import { errorBody, MESSAGES } from '../api/api-errors.ts';
import { CORS_HEADERS, FILE_TYPES, headerObject, NO_STORE, PROBLEM_TYPE } from '../api/http-headers.ts';
import { route } from '../api/router.ts';

/** Netlify's Context, as far as this function uses it. */
interface EdgeContext {
  next(): Promise<Response>;
}

declare const MCP_REGISTRY_ENTRIES: string;
/** `v0.1/renames.json` as the build wrote it, or '' without renames. */
declare const MCP_REGISTRY_RENAMES: string;
/** The views' data, JSON text of `{ [name]: { entries, renames } }` (each the text above is for the registry). */
declare const MCP_REGISTRY_VIEWS: string;

/** Marks this function's own same-site fetch of a file: that request goes straight to the CDN. */
const STATIC_HEADER = 'x-mcp-registry-static';
const CORS = headerObject(CORS_HEADERS);
const NOT_FOUND = JSON.stringify(errorBody(404, MESSAGES.noRoute));
let data: ApiData | undefined;
let views: Record<string, { entries: string; renames: string }> | undefined;
const viewData = new Map<string, ApiData>();
const VIEW_PATH = /^\/views\/([a-z0-9-]+)(\/.*)?$/;

function dataOf(entries: string, renames: string): ApiData {
  return apiDataFromEntries(JSON.parse(entries) as ApiEntry[], renames ? parseRenamesBody(renames) : undefined);
}

/** The view a path is below (its base path, the rest, its data), or undefined for the registry's own paths. */
function viewOf(pathname: string): { at: string; rest: string; data: ApiData } | undefined {
  const m = VIEW_PATH.exec(pathname);
  if (!m) return undefined;
  const name = m[1] as string;
  views = views ?? (JSON.parse(MCP_REGISTRY_VIEWS) as Record<string, { entries: string; renames: string }>);
  const source = Object.hasOwn(views, name) ? views[name] : undefined;
  if (!source) return undefined;
  let loaded = viewData.get(name);
  if (!loaded) {
    loaded = dataOf(source.entries, source.renames);
    viewData.set(name, loaded);
  }
  return { at: `/views/${name}`, rest: m[2] ?? '/', data: loaded };
}

async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(body)));
  return `"${btoa(String.fromCharCode(...digest)).replace(/=+$/, '')}"`;
}

/** An API file with the content type `serve` gives it and the CORS headers. */
function apiFile(res: Response, path: string): Response {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(CORS)) out.headers.set(k, v);
  const type = FILE_TYPES[path.slice(path.lastIndexOf('.'))];
  if (type) out.headers.set('content-type', type);
  return out;
}

async function fileAnswer(request: Request, context: EdgeContext, path: string): Promise<Response> {
  const direct = await context.next();
  if (direct.ok || direct.status === 304) return apiFile(direct, path.endsWith('.json') || path.endsWith('.yaml') ? path : `${path}.json`);
  await direct.body?.cancel();
  const headers = new Headers(request.headers);
  headers.set(STATIC_HEADER, '1');
  for (const candidate of path.endsWith('.json') ? [path] : [path, `${path}.json`]) {
    const res = await fetch(new URL(`/${candidate}`, request.url), { method: request.method, headers });
    if (res.ok || res.status === 304) return apiFile(res, candidate.endsWith('.json') || candidate.endsWith('.yaml') ? candidate : `${candidate}.json`);
    await res.body?.cancel();
  }
  return new Response(request.method === 'HEAD' ? null : NOT_FOUND, {
    status: 404,
    headers: { ...CORS, 'content-type': PROBLEM_TYPE, 'cache-control': NO_STORE },
  });
}

/** A site file: as the CDN serves it, but an error page (a site 404) is never cached, as on every host. */
function siteAnswer(res: Response): Response {
  if (res.status < 400) return res;
  const out = new Response(res.body, res);
  out.headers.set('cache-control', NO_STORE);
  return out;
}

export default async function registry(request: Request, context: EdgeContext): Promise<Response> {
  if (request.headers.has(STATIC_HEADER)) return context.next();
  const url = new URL(request.url);
  // Below a view's path: the rest of the path over the view's data, its files below views/<name>/.
  const view = viewOf(url.pathname);
  data = data ?? dataOf(MCP_REGISTRY_ENTRIES, MCP_REGISTRY_RENAMES);
  const at = view ? view.at : '';
  const routed = route({ method: request.method, url: (view ? view.rest : url.pathname) + url.search }, view ? view.data : data);
  if (routed.kind === 'file')
    return routed.api ? fileAnswer(request, context, `${at.slice(1)}${at ? '/' : ''}${routed.path}`) : siteAnswer(await context.next());
  const headers: Record<string, string> = { ...CORS, 'content-type': routed.contentType, 'cache-control': routed.cacheControl, vary: 'Accept-Encoding' };
  if (routed.location) headers.location = at + routed.location;
  if (routed.status === 204) return new Response(null, { status: 204, headers });
  const etag = await etagOf(routed.body);
  headers.etag = etag;
  const inm = request.headers.get('if-none-match');
  if (routed.status === 200 && inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === 'HEAD' ? null : routed.body, { status: routed.status, headers });
}

/** Netlify reads this in-source declaration: the paths the function runs for (URLPattern; query strings are not matched). */
export const config = { path: '/*' };
