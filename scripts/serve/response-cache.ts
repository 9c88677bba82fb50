/**
 * The finished answers of `serve`, bounded by the memory they really hold. URLs map to small
 * entries; the bodies behind them are stored once per content (by hash), so ten thousand URLs
 * that answer the same 404 page or the same empty list share one buffer and one compression of
 * it. The budget counts every key, every entry, every body and each compressed form, with an
 * estimate of the objects around them, and least recently used URLs go first.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

export interface CachedBody {
  readonly identity: Buffer;
  readonly etag: string;
  gzip?: Buffer;
  br?: Buffer;
  /** URL entries pointing here; the body leaves the cache with the last one. */
  refs: number;
  /** What this body holds, compressed forms included (see `bodyCost`). */
  bytes: number;
}

export interface CachedResponse {
  readonly status: number;
  /** Shared constant strings (the type table, the router's cache policies), not copies. */
  readonly contentType: string;
  readonly cacheControl: string;
  readonly compressible: boolean;
  readonly body: CachedBody;
}

/**
 * Estimates of V8's and Node's overhead, deliberately on the high side: a Map slot, the entry
 * object and the key's string header; a Buffer object with its backing store record; the body
 * record with its hash string and slot in the body map.
 */
export const ENTRY_OVERHEAD = 160;
export const BUFFER_OVERHEAD = 120;
export const BODY_OVERHEAD = 200;

const MIN_COMPRESS = 1024;

function etagOf(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

/**
 * A buffer that owns exactly its bytes. Small `Buffer.from` results are slices of a shared 8 KiB
 * pool, and zlib's sync results slices of a 16 KiB chunk: kept as they are, each would hold far
 * more memory than its length says.
 */
function exact(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

function entryCost(key: string): number {
  // Two bytes a character when V8 cannot store the key one byte a character.
  return ENTRY_OVERHEAD + (/[\u0100-\uffff]/.test(key) ? 2 : 1) * key.length;
}

/**
 * A copy of `key` that owns its characters. A key built from parts of the request URL (a slice,
 * a concatenation) can keep the whole URL alive: a 60-character key would hold 8 kB nobody counts.
 * Undefined when the copy is not the same string (lone surrogates), which is then not cached.
 */
function ownedKey(key: string): string | undefined {
  const copy = Buffer.from(key, 'utf8').toString('utf8');
  return copy === key ? copy : undefined;
}

function bufferCost(bytes: Buffer): number {
  return BUFFER_OVERHEAD + bytes.length;
}

function isCompressible(contentType: string, length: number): boolean {
  return length >= MIN_COMPRESS && !contentType.startsWith('application/gzip') && !contentType.startsWith('image/png');
}

export interface CacheStats {
  entries: number;
  bodies: number;
  bytes: number;
  limit: number;
  compressions: number;
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private readonly bodies = new Map<string, CachedBody>();
  private bytes = 0;
  private compressions = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get(key: string): CachedResponse | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** The response for `body`; cached under `key` unless `key` is undefined or it alone exceeds the budget. */
  put(requestKey: string | undefined, status: number, contentType: string, cacheControl: string, body: Buffer): CachedResponse {
    const key = requestKey === undefined ? undefined : ownedKey(requestKey);
    const etag = etagOf(body);
    const compressible = isCompressible(contentType, body.length);
    // Two requests for one key may both have missed; the second replaces the first.
    const previous = key === undefined ? undefined : this.entries.get(key);
    if (key !== undefined && previous) this.drop(key, previous);
    let stored = this.bodies.get(etag);
    if (key === undefined || (!stored && entryCost(key) + BODY_OVERHEAD + bufferCost(body) > this.limit)) {
      return { status, contentType, cacheControl, compressible, body: { identity: body, etag, refs: 0, bytes: 0 } };
    }
    if (!stored) {
      const identity = exact(body);
      stored = { identity, etag, refs: 0, bytes: BODY_OVERHEAD + bufferCost(identity) };
      this.bodies.set(etag, stored);
      this.bytes += stored.bytes;
    }
    stored.refs += 1;
    const response: CachedResponse = { status, contentType, cacheControl, compressible, body: stored };
    this.entries.set(key, response);
    this.bytes += entryCost(key);
    this.trim();
    return response;
  }

  /** The body in `encoding`, compressed once per body however many URLs answer it. */
  encoded(response: CachedResponse, encoding: Encoding): Buffer {
    const body = response.body;
    const done = body[encoding];
    if (done) return done;
    const raw =
      encoding === 'br'
        ? brotliCompressSync(body.identity, {
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.identity.length },
          })
        : gzipSync(body.identity, { level: 6 });
    this.compressions += 1;
    const compressed = exact(raw);
    // An uncached body (refs 0) is answered once and dropped: nothing to keep or count.
    if (body.refs > 0 && this.bodies.get(body.etag) === body) {
      body[encoding] = compressed;
      body.bytes += bufferCost(compressed);
      this.bytes += bufferCost(compressed);
      this.trim();
    }
    return compressed;
  }

  stats(): CacheStats {
    return { entries: this.entries.size, bodies: this.bodies.size, bytes: this.bytes, limit: this.limit, compressions: this.compressions };
  }

  private drop(key: string, response: CachedResponse): void {
    this.entries.delete(key);
    this.bytes -= entryCost(key);
    const body = response.body;
    body.refs -= 1;
    if (body.refs === 0) {
      this.bodies.delete(body.etag);
      this.bytes -= body.bytes;
    }
  }

  /** Least recently used first; the newest entry stays even if it alone is over (it was checked in `put`). */
  private trim(): void {
    while (this.bytes > this.limit && this.entries.size > 1) {
      const [oldest, response] = this.entries.entries().next().value as [string, CachedResponse];
      this.drop(oldest, response);
    }
  }
}
