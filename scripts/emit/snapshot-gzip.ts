/**
 * The gzip snapshot (v0.1/snapshot.json.gz) in pieces that a build after one merge mostly reuses.
 * The body is cut before every entry whose name and version hash to 0 mod CHUNK_EVERY (so a cut
 * depends only on that entry: an added or changed entry moves no other cut); each piece is
 * deflated on its own and ends with a full flush (byte-aligned, no reference back across it), and
 * the pieces in order, one final empty block, the CRC-32 and the length make one ordinary gzip
 * member. Compressed pieces are kept in the build cache by the SHA-1 of their text, under a stamp
 * of the zlib version and level, so a build compresses only the pieces whose text changed; with
 * or without the cache the bytes are the same.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { writeFileAtomically } from '../files/atomic-file.ts';

export const SNAPSHOT_LEVEL = 6;
/** About one cut per this many entries (~60 kB of text at the official registry's sizes; deflate looks back 32 kB). */
export const CHUNK_EVERY = 64;
export const SNAPSHOT_CHUNKS_CACHE = 'snapshot-chunks.json';
const FORMAT = 'snapshot-chunks/1';

/** gzip header: deflate, no name, mtime 0, no extra flags, OS unix (as zlib's gzip writes it). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);

function stamp(): string {
  return `${FORMAT} zlib ${process.versions.zlib} level ${SNAPSHOT_LEVEL}`;
}

/** Pure: where the body's text is cut: before `keys[i]` when its hash is 0 mod CHUNK_EVERY (never before the first). */
export function isCut(key: string): boolean {
  return crc32(key) % CHUNK_EVERY === 0;
}

/** Pure: the body's text in pieces: `parts` are the body's consecutive texts, `cutBefore[i]` true where a piece starts. */
export function pieces(parts: readonly string[], cutBefore: readonly boolean[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  parts.forEach((part, i) => {
    if (cutBefore[i] && current.length > 0) {
      out.push(current.join(''));
      current = [];
    }
    current.push(part);
  });
  if (current.length > 0) out.push(current.join(''));
  return out;
}

/** Compressed pieces by the SHA-1 of their text; the ones this build used are saved. */
export class ChunkCache {
  private readonly previous: Map<string, Buffer>;
  private readonly next = new Map<string, Buffer>();
  compressed = 0;

  constructor(previous: Map<string, Buffer> = new Map()) {
    this.previous = previous;
  }

  static parse(text: string | undefined): ChunkCache {
    if (text === undefined) return new ChunkCache();
    try {
      const value = JSON.parse(text) as { stamp?: unknown; chunks?: unknown };
      if (value.stamp !== stamp() || typeof value.chunks !== 'object' || value.chunks === null) return new ChunkCache();
      const chunks = new Map<string, Buffer>();
      for (const [key, data] of Object.entries(value.chunks as Record<string, unknown>)) {
        if (typeof data !== 'string') return new ChunkCache();
        chunks.set(key, Buffer.from(data, 'base64'));
      }
      return new ChunkCache(chunks);
    } catch {
      return new ChunkCache();
    }
  }

  deflate(piece: string): Buffer {
    const key = createHash('sha1').update(piece).digest('base64url');
    let data = this.next.get(key) ?? this.previous.get(key);
    if (data === undefined) {
      data = deflateRawSync(piece, { level: SNAPSHOT_LEVEL, finishFlush: constants.Z_FULL_FLUSH });
      this.compressed += 1;
    }
    this.next.set(key, data);
    return data;
  }

  changed(): boolean {
    if (this.compressed > 0 || this.next.size !== this.previous.size) return true;
    for (const key of this.next.keys()) if (!this.previous.has(key)) return true;
    return false;
  }

  render(): string {
    const chunks: Record<string, string> = {};
    for (const key of [...this.next.keys()].sort()) chunks[key] = (this.next.get(key) as Buffer).toString('base64');
    return `${JSON.stringify({ stamp: stamp(), chunks })}\n`;
  }
}

/** The gzip member of these pieces (pure but for the cache it fills). */
export function gzipPieces(texts: readonly string[], cache: ChunkCache = new ChunkCache()): Buffer {
  const body: Buffer[] = [HEADER];
  let crc = 0;
  let length = 0;
  for (const text of texts) {
    body.push(cache.deflate(text));
    crc = crc32(text, crc);
    length += Buffer.byteLength(text);
  }
  // The last block: empty and final.
  body.push(deflateRawSync(Buffer.alloc(0), { level: SNAPSHOT_LEVEL }));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  body.push(trailer);
  return Buffer.concat(body);
}

/** The chunk cache in `cacheDir`, and how to save it (only when it changed). */
export function chunkCacheIn(cacheDir: string | undefined): { cache: ChunkCache; save: () => Promise<void> } {
  if (cacheDir === undefined) return { cache: new ChunkCache(), save: async () => {} };
  const file = join(cacheDir, SNAPSHOT_CHUNKS_CACHE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  const cache = ChunkCache.parse(text);
  return {
    cache,
    save: async () => {
      // A cache that cannot be written costs the next build its compression, nothing more.
      if (cache.changed()) await writeFileAtomically(file, cache.render()).catch(() => undefined);
    },
  };
}
