/**
 * The one reader of an existing servers/ tree (the file-system edge), shared by validate (the
 * registry-wide rules over the files not asked about) and ingest (the tree a new entry must not
 * conflict with). One symlink rule for both: a symbolic link of any name is listed, never followed,
 * so a linked file or folder can neither pull in data from elsewhere nor hide a conflict.
 */
import { readdirSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { isRecord } from '../core/is-record.ts';

export interface SourceFile {
  /** Absolute path of the file. */
  absolute: string;
  /** True for a symbolic link (to anything, or to nothing). */
  symlink: boolean;
}

/** What the registry-wide rules need of a file already in the tree. */
export interface TreeFile {
  /** Relative to the registry root (absolute when outside it), POSIX separators. */
  path: string;
  /** The parsed object; absent for a symbolic link or a file that is unreadable or not a JSON object. */
  value?: Record<string, unknown>;
}

const READ_CONCURRENCY = 64;

let lastRoot: { root: string; cwd: string; prefix: string } | undefined;

/** `root` resolved, with a trailing separator; remembered for the last root and working folder asked. */
function rootPrefix(root: string): string {
  const cwd = process.cwd();
  if (lastRoot?.root !== root || lastRoot.cwd !== cwd) {
    const resolved = resolve(root);
    lastRoot = { root, cwd, prefix: resolved.endsWith(sep) ? resolved : `${resolved}${sep}` };
  }
  return lastRoot.prefix;
}

/** `absolute` as reports show it: relative to `root` when inside it, POSIX separators. */
export function treeLabel(root: string, absolute: string): string {
  // Fast path for the common case, a normalized path inside the root: no path.relative per file.
  const prefix = rootPrefix(root);
  if (absolute.startsWith(prefix) && !absolute.endsWith(sep) && normalize(absolute) === absolute) {
    const rel = absolute.slice(prefix.length);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }
  const rel = relative(root, absolute);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : absolute).split(sep).join('/');
}

/** Every `.json` file below `dir` and every symbolic link of any name, sorted; links are not followed. */
export async function listSourceFiles(dir: string): Promise<SourceFile[]> {
  // A synchronous walk of its own: for tens of thousands of folders it costs a fraction of a glob library's.
  // Only entries that are folders themselves are entered (Node's recursive readdir would follow a linked folder).
  const out: SourceFile[] = [];
  const pending = [dir];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const absolute = join(folder, entry.name);
      if (entry.isSymbolicLink()) out.push({ absolute, symlink: true });
      else if (entry.isDirectory()) pending.push(absolute);
      // Folders are never version files, even when named like one: `io.github.you/server.json` is a valid server name.
      else if (entry.name.endsWith('.json')) out.push({ absolute, symlink: false });
    }
  }
  return out.sort((a, b) => (a.absolute < b.absolute ? -1 : a.absolute > b.absolute ? 1 : 0));
}

export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function readTreeFile(root: string, file: SourceFile): Promise<TreeFile> {
  const path = treeLabel(root, file.absolute);
  try {
    // Checked again at read time: the listing may be older than the file.
    if (file.symlink || (await lstat(file.absolute)).isSymbolicLink()) return { path };
    const value: unknown = JSON.parse((await readFile(file.absolute, 'utf8')).replace(/^\uFEFF/, ''));
    return isRecord(value) ? { path, value } : { path };
  } catch {
    // An unreadable file is validate's to report; it cannot conflict with anything.
    return { path };
  }
}

/** The files under `root/servers/` (none when it is missing), except the paths in `skip`. */
export async function readServersTree(root: string, skip: ReadonlySet<string> = new Set()): Promise<TreeFile[]> {
  const files = await listSourceFiles(join(root, 'servers')).catch(() => [] as SourceFile[]);
  const wanted = files.filter((f) => !skip.has(treeLabel(root, f.absolute)));
  return mapConcurrent(wanted, READ_CONCURRENCY, (f) => readTreeFile(root, f));
}
