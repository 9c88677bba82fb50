/**
 * `serve` on node:http: the router's answers plus ETag/If-None-Match, gzip and brotli, CORS
 * and cache headers. Finished responses (compressed variants included) are kept in a bounded
 * cache keyed by URL; `replaceData` swaps in a new build and drops the cache.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { ApiData } from './api-data.ts';
import { errorBody, MESSAGES } from './api-errors.ts';
import { problem, route } from './router.ts';
import type { RouteResponse } from './router.ts';

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.gz': 'application/gzip',
};

const STATIC_CACHE = 'public, max-age=300';
const MIN_COMPRESS = 1024;

interface Prepared {
  status: number;
  headers: Record<string, string>;
  identity: Buffer;
  etag: string;
  compressible: boolean;
  gzip?: Buffer;
  br?: Buffer;
}

export interface ServeOptions {
  dist: string;
  data: ApiData;
  port: number;
  host: string;
  /** Bytes of bodies kept in the response cache. */
  cacheBytes?: number;
}

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

function prepare(status: number, contentType: string, cacheControl: string, body: Buffer): Prepared {
  const compressible = body.length >= MIN_COMPRESS && !contentType.startsWith('application/gzip') && !contentType.startsWith('image/png');
  return {
    status,
    headers: { 'content-type': contentType, 'cache-control': cacheControl },
    identity: body,
    etag: etagOf(body),
    compressible,
  };
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
    } catch {
      continue;
    }
  }
  return undefined;
}

async function resolveResponse(dist: string, routed: RouteResponse): Promise<Prepared> {
  if (routed.kind === 'body') return prepare(routed.status, routed.contentType, routed.cacheControl, Buffer.from(routed.body, 'utf8'));
  const found = await readStatic(dist, routed.path);
  if (found) {
    const type = TYPES[found.ext] ?? 'application/octet-stream';
    return prepare(200, type, routed.api ? 'public, max-age=60, must-revalidate' : STATIC_CACHE, found.bytes);
  }
  if (!routed.api) {
    const page404 = await readStatic(dist, '404.html');
    if (page404) return prepare(404, TYPES['.html'] as string, 'no-store', page404.bytes);
  }
  // The router sends unknown API paths here as files; nginx answers them with the same body.
  const missing = problem(errorBody(404, routed.api ? MESSAGES.noRoute : 'Not found'));
  if (missing.kind !== 'body') throw new Error('unreachable');
  return prepare(404, missing.contentType, missing.cacheControl, Buffer.from(missing.body, 'utf8'));
}

function pickEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  if (/\bbr\b/.test(accept)) return 'br';
  if (/\bgzip\b/.test(accept)) return 'gzip';
  return undefined;
}

function corsHeaders(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', 'GET, HEAD, OPTIONS');
  res.setHeader('access-control-allow-headers', '*');
  res.setHeader('access-control-expose-headers', 'ETag');
  res.setHeader('access-control-max-age', '86400');
}

class ResponseCache {
  private readonly map = new Map<string, Prepared>();
  private bytes = 0;
  private readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
  get(key: string): Prepared | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: Prepared): void {
    this.map.set(key, value);
    this.bytes += value.identity.length;
    while (this.bytes > this.limit && this.map.size > 1) {
      const [oldest, old] = this.map.entries().next().value as [string, Prepared];
      this.map.delete(oldest);
      this.bytes -= old.identity.length + (old.gzip?.length ?? 0) + (old.br?.length ?? 0);
    }
  }
  grow(by: number): void {
    this.bytes += by;
  }
}

export interface RegistryServer extends Server {
  /** Answers from a new build from now on (the response cache is dropped). */
  replaceData(data: ApiData): void;
}

export function createRegistryServer(options: ServeOptions): RegistryServer {
  const cacheBytes = options.cacheBytes ?? 256 * 2 ** 20;
  let cache = new ResponseCache(cacheBytes);
  let data = options.data;
  const dist = options.dist;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    corsHeaders(res);
    const cacheable = method === 'GET' || method === 'HEAD';
    let prepared = cacheable ? cache.get(url) : undefined;
    if (!prepared) {
      prepared = await resolveResponse(dist, route({ method, url }, data));
      if (cacheable && prepared.status !== 414) cache.set(url, prepared);
    }
    res.setHeader('vary', 'Accept-Encoding');
    for (const [k, v] of Object.entries(prepared.headers)) res.setHeader(k, v);
    if (prepared.status === 204) {
      res.writeHead(204).end();
      return;
    }
    res.setHeader('etag', prepared.etag);
    const inm = req.headers['if-none-match'];
    if (prepared.status === 200 && inm !== undefined && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === prepared.etag)) {
      res.writeHead(304).end();
      return;
    }
    let body = prepared.identity;
    const encoding = prepared.compressible ? pickEncoding(req.headers['accept-encoding']) : undefined;
    if (encoding === 'br') {
      if (!prepared.br) {
        prepared.br = brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
        cache.grow(prepared.br.length);
      }
      body = prepared.br;
    } else if (encoding === 'gzip') {
      if (!prepared.gzip) {
        prepared.gzip = gzipSync(body, { level: 6 });
        cache.grow(prepared.gzip.length);
      }
      body = prepared.gzip;
    }
    if (encoding) res.setHeader('content-encoding', encoding);
    res.setHeader('content-length', String(body.length));
    res.writeHead(prepared.status);
    res.end(method === 'HEAD' ? undefined : body);
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        const body = JSON.stringify(errorBody(500, `internal error: ${(error as Error).message}`));
        res.writeHead(500, { 'content-type': 'application/problem+json; charset=utf-8' }).end(body);
      } else {
        res.destroy();
      }
    });
  });
  // Requests node's parser rejects (headers or URL over its 16 kB limit, malformed lines) still
  // get a JSON problem body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLong ? 414 : 400;
    const body = JSON.stringify(errorBody(status, tooLong ? MESSAGES.uriTooLong : 'Malformed HTTP request'));
    socket.end(
      `HTTP/1.1 ${status} ${tooLong ? 'URI Too Long' : 'Bad Request'}\r\ncontent-type: application/problem+json; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\naccess-control-allow-origin: *\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return Object.assign(server, {
    replaceData(next: ApiData) {
      data = next;
      cache = new ResponseCache(cacheBytes);
    },
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
