/**
 * The site's model cache beside its page cache (`.cache/site/models/`): per server, what every
 * build needs of its view model (site-model.ts ServerModelRecord: the listed fields, the digest
 * its pages' keys are made from, its version pages' slugs), stored by the digest of the server's
 * inputs. A build after one merged version computes the model of that one server; the others
 * cost a digest of their view and a lookup, and their heavy parts (install snippets, version
 * pages, README HTML) are computed only when a page of theirs renders.
 *
 * The records are kept in SHARDS files by a hash of the server name, each written atomically and
 * only when one of its servers changed; every file names the format and the code stamp (a digest
 * of scripts/ and the lock file) it was made with, and a file of another one, or one that cannot
 * be read, is as if absent: a lost or stale cache only costs time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleSiteData } from './site-data.ts';
import type { SiteData } from './site-data.ts';
import type { ServerModelRecord, ServerModelRecords } from './site-model.ts';
import { isRecord } from '../core/is-record.ts';

export const MODEL_CACHE_FORMAT = 1;
/** Below the site's cache folder (`.cache/site/`), beside the page cache's per-URL folders. */
export const MODEL_CACHE_DIR = 'models';
const SHARDS = 64;

const REPO = fileURLToPath(new URL('../..', import.meta.url));

let codeStamp: string | undefined;

/** Digest of the code a record depends on: every file below scripts/ and package-lock.json (README rendering comes from dependencies). */
export function modelCodeStamp(): string {
  if (codeStamp !== undefined) return codeStamp;
  const hash = createHash('sha256').update(`model-stamp ${MODEL_CACHE_FORMAT}\0`);
  const scripts = join(REPO, 'scripts');
  const files = readdirSync(scripts, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
  files.push(join(REPO, 'package-lock.json'));
  const named = files
    .map((file) => ({ file, name: relative(REPO, file).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { file, name } of named) {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(file);
    } catch {
      bytes = undefined;
    }
    hash.update(`${name}\0${bytes === undefined ? 'absent' : bytes.length}\0`);
    if (bytes !== undefined) hash.update(bytes);
  }
  codeStamp = hash.digest('base64url');
  return codeStamp;
}

function shardOf(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) % SHARDS;
}

interface ShardFile {
  format: number;
  stamp: string;
  servers: Record<string, ServerModelRecord>;
}

function isModelRecord(value: unknown): value is ServerModelRecord {
  return (
    isRecord(value) &&
    typeof value.input === 'string' &&
    typeof value.page === 'string' &&
    typeof value.updated === 'string' &&
    Array.isArray(value.versions) &&
    isRecord(value.listed) &&
    isRecord(value.listed.facets)
  );
}

/** The records of one build: those read from the cache, those made by this build, and which shards changed. */
export class ServerModelCache implements ServerModelRecords {
  readonly dir: string;
  readonly stamp: string;
  private readonly shards: Map<string, ServerModelRecord>[] = [];
  /** Names this build looked up (the others are dropped at save). */
  private readonly seen = new Set<string>();
  private readonly changed = new Set<number>();
  hits = 0;
  misses = 0;

  constructor(dir: string, stamp: string = modelCodeStamp()) {
    this.dir = dir;
    this.stamp = stamp;
    for (let i = 0; i < SHARDS; i += 1) this.shards.push(this.read(i));
  }

  private file(shard: number): string {
    return join(this.dir, `${shard.toString(16).padStart(2, '0')}.json`);
  }

  private read(shard: number): Map<string, ServerModelRecord> {
    const records = new Map<string, ServerModelRecord>();
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file(shard), 'utf8'));
      if (!isRecord(parsed) || parsed.format !== MODEL_CACHE_FORMAT || parsed.stamp !== this.stamp || !isRecord(parsed.servers)) return records;
      for (const [name, record] of Object.entries(parsed.servers)) if (isModelRecord(record)) records.set(name, record);
    } catch {
      // Absent or unreadable: every server of the shard is computed again.
    }
    return records;
  }

  get(name: string, input: string): ServerModelRecord | undefined {
    this.seen.add(name);
    const record = this.shards[shardOf(name)]?.get(name);
    if (record !== undefined && record.input === input) {
      this.hits += 1;
      return record;
    }
    this.misses += 1;
    return undefined;
  }

  put(name: string, record: ServerModelRecord): void {
    const shard = shardOf(name);
    this.shards[shard]?.set(name, record);
    this.changed.add(shard);
  }

  /**
   * Writes every shard that gained, changed or lost a record (servers this build did not look
   * up are dropped), each atomically. A cache that cannot be written costs the next build time only.
   */
  save(): void {
    this.shards.forEach((records, shard) => {
      for (const name of records.keys()) {
        if (!this.seen.has(name)) {
          records.delete(name);
          this.changed.add(shard);
        }
      }
    });
    if (this.changed.size === 0) return;
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch {
      return;
    }
    for (const shard of this.changed) {
      const records = this.shards[shard] as Map<string, ServerModelRecord>;
      const file: ShardFile = { format: MODEL_CACHE_FORMAT, stamp: this.stamp, servers: Object.fromEntries(records) };
      const target = this.file(shard);
      const temp = join(this.dir, `.${shard}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      try {
        writeFileSync(temp, JSON.stringify(file));
        renameSync(temp, target);
      } catch {
        rmSync(temp, { force: true });
      }
    }
    this.changed.clear();
  }
}

/** The model cache below the site's cache folder (`emitSite`'s cacheDir). */
export function modelCacheDir(siteCacheDir: string): string {
  return join(siteCacheDir, MODEL_CACHE_DIR);
}

/**
 * assembleSiteData with the model cache below `siteCacheDir` (none: every model computed): reads
 * the records, assembles, writes the shards that changed.
 */
export function assembleCachedSiteData(siteCacheDir: string | undefined, ...args: AssembleArgs): SiteData {
  const [views, config, openapiYaml, host, readmes] = args;
  if (siteCacheDir === undefined) return assembleSiteData(views, config, openapiYaml, host, readmes);
  const cache = new ServerModelCache(modelCacheDir(siteCacheDir));
  const data = assembleSiteData(views, config, openapiYaml, host, readmes, cache);
  cache.save();
  return data;
}

type AssembleArgs = [
  views: Parameters<typeof assembleSiteData>[0],
  config: Parameters<typeof assembleSiteData>[1],
  openapiYaml?: string,
  host?: Parameters<typeof assembleSiteData>[3],
  readmes?: Parameters<typeof assembleSiteData>[4],
];
