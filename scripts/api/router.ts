/**
 * The one router: a pure function from a request to a response over the built API data.
 * `serve` (node:http) and the Cloudflare worker both call it; nginx and the static hosts
 * serve files the emitter precomputed with the same functions, so every host agrees.
 */
import type { ErrorBody } from '../core/api-types.ts';
import type { ApiData, ApiEntry } from './api-data.ts';
import { errorBody, MESSAGES } from './api-errors.ts';
import { API_CACHE, JSON_TYPE, NO_STORE, PREFLIGHT_TYPE, PROBLEM_TYPE } from './http-headers.ts';
import { listBody, listPage } from './list-page.ts';
import { parseIncludeDeleted, parseListQuery } from './list-query.ts';

export const MAX_URL_BYTES = 8192;
export const API_VERSIONS = ['v0.1', 'v0'] as const;
/** `/v0.1/<name>` and `/v0/<name>`, answered on every host by the build's file `v0.1/<name>.json`. */
export const INFO_ENDPOINTS = ['health', 'ping', 'version'] as const;
type InfoEndpoint = (typeof INFO_ENDPOINTS)[number];

export interface RouteRequest {
  method: string;
  /** Path and query exactly as received (still percent-encoded). */
  url: string;
}

export type RouteResponse =
  /** `location` only on redirects. */
  | { kind: 'body'; status: number; contentType: string; body: string; cacheControl: string; location?: string }
  /** A file of the build (relative to dist/, never escaping it); `api` says a miss is a JSON 404. */
  | { kind: 'file'; path: string; api: boolean };

function json(body: string): RouteResponse {
  return { kind: 'body', status: 200, contentType: JSON_TYPE, body, cacheControl: API_CACHE };
}

export function problem(error: ErrorBody): RouteResponse {
  return { kind: 'body', status: error.status, contentType: PROBLEM_TYPE, body: JSON.stringify(error), cacheControl: NO_STORE };
}

/**
 * Where an API path ending in `/` (`/v0.1/servers/`) is sent: the same path without the
 * slashes, query kept, with 308 as the official server answers. Site paths keep theirs
 * (a folder's index page).
 */
export function trailingSlashTarget(url: string): string | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.endsWith('/') || !/^\/v0(?:\.1)?\/./.test(path)) return undefined;
  const trimmed = path.replace(/\/+$/, '');
  return q === -1 ? trimmed : trimmed + url.slice(q);
}

function redirect(location: string): RouteResponse {
  return { kind: 'body', status: 308, contentType: PREFLIGHT_TYPE, body: '', cacheControl: API_CACHE, location };
}

function decodeSegments(segments: string[]): string | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s)).join('/');
  } catch {
    return undefined;
  }
}

/** `/a/b/../c` style and NUL paths never reach the file system. */
export function safeStaticPath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  const path = parts.join('/');
  return decoded.endsWith('/') || path === '' ? (path === '' ? 'index.html' : `${path}/index.html`) : path;
}

/**
 * Files of a build that no host hands out: dot-files and dot-folders at any depth (the build
 * manifest, `.nojekyll`, a staging folder; `.well-known` excepted), the host adapters' own
 * configuration and nginx's server markers. One pattern over `/<path>`, also used verbatim as
 * nginx's location regex.
 */
export const INTERNAL_PATH_PATTERN =
  '^/(?:_nginx/|_errors/|_worker\\.js/|_headers$|_redirects$|_routes\\.json$|v0\\.1/entries/[^/]*@@server\\.json$)|/\\.(?!well-known(?:/|$))';
/**
 * Compiled on first use, not at load: njs 0.7 runs a module's top level for every request, and
 * compiling this pattern there was half of that (about 100,000 instructions a request).
 */
let internalPath: RegExp | undefined;

/** `path` is relative to dist/ (as `safeStaticPath` returns it). */
export function isInternalPath(path: string): boolean {
  internalPath ??= new RegExp(INTERNAL_PATH_PATTERN);
  return internalPath.test(`/${path}`);
}

/** The query parameters each route reads; every other parameter is ignored. */
const LIST_PARAMS = ['cursor', 'include_deleted', 'limit', 'search', 'updated_since', 'version'] as const;
const SERVER_PARAMS = ['include_deleted'] as const;

interface SplitUrl {
  rawPath: string;
  params: URLSearchParams;
  segments: string[];
}

function splitUrl(url: string): SplitUrl {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  const segments = rawPath.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  return { rawPath, params, segments };
}

function paramsRead(segments: string[]): readonly string[] {
  const [top, second, ...rest] = segments;
  if (!(API_VERSIONS as readonly string[]).includes(top ?? '') || second !== 'servers') return [];
  return rest.length === 0 ? LIST_PARAMS : SERVER_PARAMS;
}

/**
 * The URL as the router reads it: the path as received, then only the parameters its route
 * reads, first value of each, empty ones dropped (the router treats them as absent), in a
 * fixed order. `route` answers a URL and its canonical form alike, so this is the cache key:
 * a client cannot make a new cache entry (or a new compression) by adding `&x=<random>`.
 */
export function canonicalUrl(url: string): string {
  if (url.length > MAX_URL_BYTES) return url;
  const { rawPath, params, segments } = splitUrl(url);
  const kept = new URLSearchParams();
  for (const name of paramsRead(segments)) {
    const value = params.get(name);
    if (value !== null && value !== '') kept.append(name, value);
  }
  const query = kept.toString();
  return query === '' ? rawPath : `${rawPath}?${query}`;
}

function routeServers(rest: string[], params: URLSearchParams, data: ApiData): RouteResponse {
  if (rest.length === 0) {
    const parsed = parseListQuery(params);
    if (!parsed.ok) return problem(parsed.error);
    const page = listPage(data, parsed.value);
    return json(listBody(page.items, page.nextCursor));
  }
  const last = rest[rest.length - 1];
  // As officially, deleted versions exist for these endpoints only with include_deleted.
  const includeDeleted = parseIncludeDeleted(params);
  if (!includeDeleted.ok) return problem(includeDeleted.error);
  const shown = (e: ApiEntry) => includeDeleted.value || e.status !== 'deleted';
  if (last === 'versions' && rest.length >= 2) {
    const name = decodeSegments(rest.slice(0, -1));
    const server = name === undefined ? undefined : data.byName.get(name);
    const versions = server?.versions.filter(shown) ?? [];
    if (versions.length === 0) return problem(errorBody(404, MESSAGES.serverNotFound));
    return json(listBody(versions));
  }
  if (rest.length >= 3 && rest[rest.length - 2] === 'versions') {
    const name = decodeSegments(rest.slice(0, -2));
    const version = decodeSegments([last as string]);
    const server = name === undefined ? undefined : data.byName.get(name);
    if (!server) return problem(errorBody(404, MESSAGES.serverNotFound));
    const found = version === 'latest' ? server.latest : version === undefined ? undefined : server.byVersion.get(version);
    const entry = found && shown(found) ? found : undefined;
    // As officially: an unknown version of a known server is "Server not found" too.
    if (!entry) return problem(errorBody(404, MESSAGES.serverNotFound));
    return json(entry.json);
  }
  return problem(errorBody(404, MESSAGES.noRoute));
}

export function route(request: RouteRequest, data: ApiData): RouteResponse {
  if (request.url.length > MAX_URL_BYTES) return problem(errorBody(414, MESSAGES.uriTooLong));
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    if (request.method === 'OPTIONS') return { kind: 'body', status: 204, contentType: PREFLIGHT_TYPE, body: '', cacheControl: API_CACHE };
    return problem(errorBody(405, MESSAGES.methodNotAllowed));
  }
  const target = trailingSlashTarget(request.url);
  if (target !== undefined) return redirect(target);
  const { rawPath, params, segments } = splitUrl(request.url);
  const [top, second, ...rest] = segments;
  if (top === 'openapi.yaml' && segments.length === 1) return { kind: 'file', path: 'openapi.yaml', api: true };
  if ((API_VERSIONS as readonly string[]).includes(top ?? '')) {
    if (second === 'servers') return routeServers(rest, params, data);
    if (rest.length === 0 && INFO_ENDPOINTS.includes(second as InfoEndpoint)) return { kind: 'file', path: `v0.1/${second}.json`, api: true };
    const path = safeStaticPath(rawPath);
    if (path === undefined || isInternalPath(path)) return problem(errorBody(404, MESSAGES.noRoute));
    return { kind: 'file', path, api: true };
  }
  const path = safeStaticPath(rawPath);
  if (path === undefined || isInternalPath(path)) return problem(errorBody(404, 'Not found'));
  return { kind: 'file', path, api: false };
}
