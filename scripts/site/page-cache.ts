/**
 * The site's page cache, one folder per site URL below `.cache/site/`: every page Astro rendered,
 * stored under its key (site-pages.ts), and the site's assets (scripts, styles, public files) of
 * the last Astro run with their source stamp. A build takes every page whose key is here from the
 * cache (a hard link) and has Astro render only the others. Files are stored by key or content
 * hash and never changed in place, so a build killed half-way leaves nothing wrong behind, only
 * files no index names, which the next save removes. Losing the folder only costs a full render.
 *
 * Pages are stored below a generation folder (`pages/<generation>/`, named after the source stamp):
 * a new stamp renders every page anew, and the save then drops the old generation with one rename
 * into a `.trash-` folder that a detached process deletes, instead of unlinking each page while the
 * build waits (each unlink costs ~0.1-0.25 ms on some file systems). A trash folder a killed build or
 * deleter left is swept by the next save.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../files/atomic-file.ts';
import { isRecord } from '../core/is-record.ts';

export const PAGE_CACHE_FORMAT = 2;
const TRASH = '.trash-';
const INDEX = 'index.json';

export interface CachedAssets {
  /** Digest of the source stamp and site URL the assets were built with. */
  key: string;
  /** Path below the site root → content hash (the file is stored under its hash). */
  files: Record<string, string>;
}

interface IndexFile {
  format: number;
  /** Page key → content hash of the page's bytes. */
  pages: Record<string, string>;
  assets?: CachedAssets;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  for (const v of Object.values(value)) if (typeof v !== 'string') return undefined;
  return value as Record<string, string>;
}

function readIndex(file: string): IndexFile {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(parsed) || parsed.format !== PAGE_CACHE_FORMAT) return { format: PAGE_CACHE_FORMAT, pages: {} };
    const pages = stringRecord(parsed.pages) ?? {};
    const assets = isRecord(parsed.assets) && typeof parsed.assets.key === 'string' ? stringRecord(parsed.assets.files) : undefined;
    return { format: PAGE_CACHE_FORMAT, pages, ...(assets ? { assets: { key: (parsed.assets as { key: string }).key, files: assets } } : {}) };
  } catch {
    return { format: PAGE_CACHE_FORMAT, pages: {} };
  }
}

/**
 * Hard-links `from` as `to` (a copy across file systems); an existing `to` is the same content by
 * construction. `made` holds the folders already made (one mkdir per folder, not per file).
 */
function place(from: string, to: string, made: Set<string>): void {
  const folder = dirname(to);
  if (!made.has(folder)) {
    mkdirSync(folder, { recursive: true });
    made.add(folder);
  }
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV') throw error;
    const part = `${to}.part-${process.pid}`;
    copyFileSync(from, part);
    renameSync(part, to);
  }
}

/** The cache folder of one site URL below the build's `.cache/site/`. */
export function pageCacheDir(siteCacheDir: string, siteUrl: string): string {
  return join(siteCacheDir, createHash('sha256').update(siteUrl).digest('hex').slice(0, 16));
}

/** Removes `folders` in a detached process (the build does not wait); in this one when none can start. */
function removeLater(folders: readonly string[]): void {
  if (folders.length === 0) return;
  try {
    const child = spawn(
      process.execPath,
      ['-e', 'for (const f of process.argv.slice(1)) require("node:fs").rmSync(f, { recursive: true, force: true })', ...folders],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    child.on('error', () => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });
    child.unref();
  } catch {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}

export class PageCache {
  readonly dir: string;
  /** Folder below pages/ of this build's pages (pages of other generations go at the next save). */
  readonly generation: string;
  private readonly index: IndexFile;
  private readonly pages = new Map<string, string>();
  private readonly files = new Map<string, string>();
  private readonly made = new Set<string>();

  constructor(dir: string, generation = 'g') {
    this.dir = dir;
    this.generation = generation;
    this.index = readIndex(join(dir, INDEX));
  }

  /** The content hash of the cached page with this key, when there is one. */
  pageHash(key: string): string | undefined {
    return Object.hasOwn(this.index.pages, key) ? this.index.pages[key] : undefined;
  }

  pageFile(key: string): string {
    return join(this.dir, 'pages', this.generation, key.slice(0, 1), key);
  }

  /** The assets of the last Astro run, when it had this key. */
  assets(key: string): Record<string, string> | undefined {
    return this.index.assets?.key === key ? this.index.assets.files : undefined;
  }

  assetFile(hash: string): string {
    return join(this.dir, 'assets', hash);
  }

  /** Drops the previous index's pages (pageHash knows none after this): only planning reads them. */
  forgetIndex(): void {
    this.index.pages = {};
  }

  /** Keeps a page taken from the cache in the next index. */
  keepPage(key: string, hash: string): void {
    this.pages.set(key, hash);
  }

  /** Stores a page Astro just rendered (`file`, left where it is). */
  storePage(key: string, file: string, hash: string): void {
    place(file, this.pageFile(key), this.made);
    this.pages.set(key, hash);
  }

  storeAsset(path: string, file: string, hash: string): void {
    place(file, this.assetFile(hash), this.made);
    this.files.set(path, hash);
  }

  /**
   * Writes the index of this build's pages and assets (`assetsKey`: those stored or kept) and
   * removes every stored file it does not name. A cache that cannot be written costs the next build
   * a full render, nothing more.
   */
  async save(assetsKey: string, keptAssets?: Record<string, string>): Promise<void> {
    for (const [path, hash] of Object.entries(keptAssets ?? {})) this.files.set(path, hash);
    const index: IndexFile = {
      format: PAGE_CACHE_FORMAT,
      pages: Object.fromEntries(this.pages),
      assets: { key: assetsKey, files: Object.fromEntries([...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) },
    };
    try {
      mkdirSync(this.dir, { recursive: true });
      await writeFileAtomically(join(this.dir, INDEX), JSON.stringify(index));
    } catch {
      return;
    }
    this.prune();
  }

  private prune(): void {
    const hashes = new Set(this.files.values());
    const remove = (file: string) => rmSync(file, { force: true });
    const pagesDir = join(this.dir, 'pages');
    // Other generations go whole: one rename each, deleted by a detached process.
    let moved = 0;
    for (const name of namesIn(pagesDir)) {
      if (name === this.generation) continue;
      try {
        renameSync(join(pagesDir, name), join(this.dir, `${TRASH}${process.pid}-${Date.now()}-${moved++}`));
      } catch {
        rmSync(join(pagesDir, name), { recursive: true, force: true });
      }
    }
    removeLater(
      namesIn(this.dir)
        .filter((name) => name.startsWith(TRASH))
        .map((name) => join(this.dir, name)),
    );
    const own = join(pagesDir, this.generation);
    for (const shard of namesIn(own)) {
      for (const name of namesIn(join(own, shard))) if (!this.pages.has(name)) remove(join(own, shard, name));
    }
    for (const name of namesIn(join(this.dir, 'assets'))) if (!hashes.has(name)) remove(join(this.dir, 'assets', name));
  }
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
