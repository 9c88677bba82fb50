/**
 * `serve` on node:http: the router's answers plus ETag/If-None-Match, gzip and brotli, CORS
 * and cache headers. Finished responses are kept in a cache bounded by the memory it holds
 * (response-cache.ts), keyed by the URL as the router reads it (`canonicalUrl`); `replaceData`
 * swaps in a new build and drops the cache. Slow or idle clients are timed out.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { ApiData } from '../api/api-data.ts';
import { errorBody, MESSAGES } from '../api/api-errors.ts';
import {
  ALLOW_ORIGIN,
  API_CACHE,
  CORS_HEADERS,
  FILE_TYPES,
  HTML_TYPE,
  NO_STORE,
  OCTET_STREAM_TYPE,
  PREFLIGHT_MAX_AGE,
  PROBLEM_TYPE,
  STATIC_CACHE,
} from '../api/http-headers.ts';
import { canonicalUrl, problem, route, trailingSlashTarget } from '../api/router.ts';
import type { RouteResponse } from '../api/router.ts';
import { ResponseCache } from './response-cache.ts';
import type { CacheStats, CachedResponse } from './response-cache.ts';

/** Milliseconds; every one finite, so no client holds a socket for as long as it likes. */
export interface ServeTimeouts {
  /** From connecting until the request's headers are complete (slowloris). */
  headers: number;
  /** From connecting until the whole request (body included) has arrived. */
  request: number;
  /** A kept-alive socket waiting for its next request. */
  keepAlive: number;
  /** A socket with no traffic either way (a client that stops reading its response). */
  idle: number;
}

export const DEFAULT_TIMEOUTS: ServeTimeouts = { headers: 10_000, request: 30_000, keepAlive: 5_000, idle: 30_000 };

export interface ServeOptions {
  dist: string;
  data: ApiData;
  port: number;
  host: string;
  /** Memory the response cache may hold, keys, entries and compressed forms included. */
  cacheBytes?: number;
  timeouts?: Partial<ServeTimeouts>;
  /** The build's views (dist/views.json): each answers below its own path with its own data. */
  views?: readonly ServedView[];
}

/** A view of the build (scripts/views/): the API, site and files of `dist` under `prefix` (`/views/<name>`). */
export interface ServedView {
  prefix: string;
  dist: string;
  data: ApiData;
}

/** The view a URL is under, and the URL as that view's router reads it. */
function mountOf(url: string, views: readonly ServedView[]): { view: ServedView; url: string } | undefined {
  for (const view of views) {
    if (url === view.prefix || url.startsWith(`${view.prefix}/`) || url.startsWith(`${view.prefix}?`)) {
      const rest = url.slice(view.prefix.length);
      return { view, url: rest.startsWith('/') ? rest : `/${rest}` };
    }
  }
  return undefined;
}

interface Answer {
  status: number;
  contentType: string;
  cacheControl: string;
  body: Buffer;
}

async function readStatic(dist: string, path: string): Promise<{ bytes: Buffer; ext: string } | undefined> {
  const root = resolve(dist);
  for (const candidate of [path, `${path}.json`, `${path}.html`, `${path}/index.html`]) {
    const file = resolve(root, candidate);
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    try {
      const s = await stat(file);
      if (!s.isFile()) continue;
      return { bytes: await readFile(file), ext: extname(file) };
    } catch {}
  }
  return undefined;
}

async function resolveResponse(dist: string, routed: RouteResponse): Promise<Answer> {
  if (routed.kind === 'body')
    return { status: routed.status, contentType: routed.contentType, cacheControl: routed.cacheControl, body: Buffer.from(routed.body, 'utf8') };
  const found = await readStatic(dist, routed.path);
  if (found) {
    const type = FILE_TYPES[found.ext] ?? OCTET_STREAM_TYPE;
    return { status: 200, contentType: type, cacheControl: routed.api ? API_CACHE : STATIC_CACHE, body: found.bytes };
  }
  if (!routed.api) {
    const page404 = await readStatic(dist, '404.html');
    if (page404) return { status: 404, contentType: HTML_TYPE, cacheControl: NO_STORE, body: page404.bytes };
  }
  // The router sends unknown API paths here as files; nginx answers them with the same body.
  const missing = problem(errorBody(404, routed.api ? MESSAGES.noRoute : 'Not found'));
  if (missing.kind !== 'body') throw new Error('unreachable');
  return { status: 404, contentType: missing.contentType, cacheControl: missing.cacheControl, body: Buffer.from(missing.body, 'utf8') };
}

function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  if (/\bbr\b/.test(accept)) return 'br';
  if (/\bgzip\b/.test(accept)) return 'gzip';
  return undefined;
}

function corsHeaders(res: ServerResponse): void {
  for (const [name, value] of [...CORS_HEADERS, PREFLIGHT_MAX_AGE]) res.setHeader(name.toLowerCase(), value);
}

export interface RegistryServer extends Server {
  /** Answers from a new build from now on (the response cache is dropped); `views` replaces the views when given. */
  replaceData(data: ApiData, views?: readonly ServedView[]): void;
  cacheStats(): CacheStats;
}

function clientErrorAnswer(code: string | undefined): [number, string, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [414, 'URI Too Long', MESSAGES.uriTooLong];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request Timeout', MESSAGES.requestTimeout];
  return [400, 'Bad Request', 'Malformed HTTP request'];
}

function send(req: IncomingMessage, res: ServerResponse, cache: ResponseCache, answer: CachedResponse): void {
  res.setHeader('vary', 'Accept-Encoding');
  res.setHeader('content-type', answer.contentType);
  res.setHeader('cache-control', answer.cacheControl);
  if (answer.status === 204) {
    res.writeHead(204).end();
    return;
  }
  const etag = answer.body.etag;
  res.setHeader('etag', etag);
  const inm = req.headers['if-none-match'];
  if (answer.status === 200 && inm !== undefined && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    res.writeHead(304).end();
    return;
  }
  const encoding = answer.compressible ? pickEncoding(req.headers['accept-encoding']) : undefined;
  const body = encoding ? cache.encoded(answer, encoding) : answer.body.identity;
  if (encoding) res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', String(body.length));
  res.writeHead(answer.status);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function createRegistryServer(options: ServeOptions): RegistryServer {
  const cacheBytes = options.cacheBytes ?? 256 * 2 ** 20;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  let cache = new ResponseCache(cacheBytes);
  let data = options.data;
  let views = options.views ?? [];
  const dist = options.dist;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const mount = mountOf(req.url ?? '/', views);
    const url = mount?.url ?? req.url ?? '/';
    const prefix = mount?.view.prefix ?? '';
    corsHeaders(res);
    const cacheable = method === 'GET' || method === 'HEAD';
    // The canonical URL keys the cache; the URL itself is routed (the same answer by construction).
    const key = cacheable ? prefix + canonicalUrl(url) : undefined;
    const current = cache;
    let answer = key === undefined ? undefined : current.get(key);
    if (!answer) {
      const resolved = await resolveResponse(mount?.view.dist ?? dist, route({ method, url }, mount?.view.data ?? data));
      const keep = resolved.status === 414 ? undefined : key;
      answer = current.put(keep, resolved.status, resolved.contentType, resolved.cacheControl, resolved.body);
    }
    // Redirects are cached by their canonical URL; the target is this request's own.
    const location = answer.status === 308 ? trailingSlashTarget(url) : undefined;
    if (location !== undefined) res.setHeader('location', prefix + location);
    send(req, res, current, answer);
  }
  const server = createServer(
    {
      headersTimeout: timeouts.headers,
      requestTimeout: timeouts.request,
      keepAliveTimeout: timeouts.keepAlive,
      // How often node looks for requests over their time; the default (30 s) would let them overstay.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(Math.min(timeouts.headers, timeouts.request) / 4))),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          const body = JSON.stringify(errorBody(500, `internal error: ${(error as Error).message}`));
          res.writeHead(500, { 'content-type': PROBLEM_TYPE, 'cache-control': NO_STORE }).end(body);
        } else {
          res.destroy();
        }
      });
    },
  );
  // No 'timeout' listener: node destroys a socket idle for this long.
  server.setTimeout(timeouts.idle);
  // Requests node's parser rejects (headers or URL over its 16 kB limit, malformed lines) or that
  // ran out of time still get a JSON problem body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, reason, detail] = clientErrorAnswer(error.code);
    const body = JSON.stringify(errorBody(status, detail));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: ${PROBLEM_TYPE}\r\ncache-control: ${NO_STORE}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n${ALLOW_ORIGIN[0].toLowerCase()}: ${ALLOW_ORIGIN[1]}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return Object.assign(server, {
    replaceData(next: ApiData, nextViews?: readonly ServedView[]) {
      data = next;
      if (nextViews !== undefined) views = nextViews;
      cache = new ResponseCache(cacheBytes);
    },
    cacheStats: () => cache.stats(),
  });
}

export function listen(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolvePromise({ port: actual, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` });
    });
  });
}
