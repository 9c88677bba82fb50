/**
 * Transparency-log order of the files under servers/: the position, in HEAD's first-parent
 * history (oldest first), of the commit that first added each file. A merged pull request
 * counts at its merge commit, so a file merged later lands later even when its branch commit
 * is older, and a later file never lands before an earlier one: the log stays append-only.
 * Files git does not know yet go last, in path order (see compareLogOrder).
 *
 * The positions are cached like the git dates (date-cache.ts): keyed by the HEAD they were read
 * at, with the number of adding commits seen, so the next build reads only `<cached head>..HEAD`
 * and numbers its commits on from there. The cache is used only when the cached head is on
 * HEAD's first-parent chain (else a walk of the new range would not number commits as a full
 * walk does); a shallow clone neither reads nor writes it.
 */
import type { CacheStore } from './date-cache.ts';
import { repositoryState, runGit } from './git-dates.ts';

const MARK = '\u0001commit ';
const FORMAT = 'log-order/1';

/** Path → position of the first-parent commit that first added it. */
export type LogPositions = Map<string, number>;

/** Pure: `git log` output as readFirstAdded asks for it → first position per path, and the number of commits read. */
export function parseFirstAddedCounted(text: string, into: LogPositions = new Map(), offset = 0): { positions: LogPositions; commits: number } {
  let position = offset - 1;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      position += 1;
      continue;
    }
    if (line === '' || position < offset || into.has(line)) continue;
    into.set(line, position);
  }
  return { positions: into, commits: position + 1 };
}

/** Pure: output of `git log --first-parent -m --reverse --diff-filter=A --format=<MARK>%H --name-only` → first position per path. */
export function parseFirstAdded(text: string): LogPositions {
  return parseFirstAddedCounted(text).positions;
}

function logAdded(root: string, range: string, dir: string): Promise<string | undefined> {
  return runGit(root, [
    '-c',
    'core.quotePath=false',
    'log',
    '--first-parent',
    '-m',
    '--reverse',
    '--diff-filter=A',
    '--no-renames',
    '--relative',
    `--format=${MARK}%H`,
    '--name-only',
    range,
    '--',
    dir,
  ]);
}

/** Position of the first-parent commit that first added each path under `dir`; undefined outside git. */
export async function readFirstAdded(root: string, dir = 'servers'): Promise<LogPositions | undefined> {
  const text = await logAdded(root, 'HEAD', dir);
  return text === undefined ? undefined : parseFirstAdded(text);
}

/** Pure: log order of two paths — known positions first, ascending; then unknown ones; ties by path. */
export function compareLogOrder(positions: ReadonlyMap<string, number>, a: string, b: string): number {
  const pa = positions.get(a) ?? Number.POSITIVE_INFINITY;
  const pb = positions.get(b) ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface CacheFile {
  format: typeof FORMAT;
  head: string;
  /** Adding commits read up to `head`: the next commit's position. */
  commits: number;
  positions: Record<string, number>;
}

/** Pure: the cache text → its head, commit count and positions, or undefined when it is not a cache of this format. */
export function parseLogOrderCache(text: string): { head: string; commits: number; positions: LogPositions } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const file = value as Partial<CacheFile>;
  if (file.format !== FORMAT || typeof file.head !== 'string' || !/^[0-9a-f]{40,64}$/.test(file.head)) return undefined;
  if (!Number.isSafeInteger(file.commits) || (file.commits as number) < 0) return undefined;
  if (typeof file.positions !== 'object' || file.positions === null) return undefined;
  const positions: LogPositions = new Map();
  for (const [path, n] of Object.entries(file.positions)) {
    if (!Number.isSafeInteger(n) || n < 0 || n >= (file.commits as number)) return undefined;
    positions.set(path, n);
  }
  return { head: file.head, commits: file.commits as number, positions };
}

/** Pure, deterministic: sorted paths. */
export function renderLogOrderCache(head: string, commits: number, positions: ReadonlyMap<string, number>): string {
  const body: Record<string, number> = {};
  for (const path of [...positions.keys()].sort()) body[path] = positions.get(path) as number;
  return `${JSON.stringify({ format: FORMAT, head, commits, positions: body })}\n`;
}

/** Is `older` on the first-parent chain of `newer`? (`newer~k` is `older`, k the first-parent commits in between.) */
async function onFirstParentChain(root: string, older: string, newer: string): Promise<boolean> {
  const count = (await runGit(root, ['rev-list', '--first-parent', '--count', `${older}..${newer}`]))?.trim();
  if (count === undefined || !/^\d+$/.test(count)) return false;
  const at = (await runGit(root, ['rev-parse', '--verify', '--quiet', `${newer}~${count}^{commit}`]))?.trim();
  return at === older;
}

export interface LogOrderRead {
  positions: LogPositions;
  walk: 'full' | 'incremental' | 'cached';
}

/** How the build reads log order; tests pass a fixed one. */
export type LogOrderSource = (root: string) => Promise<LogOrderRead | undefined>;

/** Reads the whole first-parent history on every call. */
export const gitLogOrderSource: LogOrderSource = async (root) => {
  const positions = await readFirstAdded(root);
  return positions === undefined ? undefined : { positions, walk: 'full' };
};

/** Log order read through a cache: only the first-parent commits since the cached head are walked. */
export function cachedLogOrderSource(store: CacheStore, dir = 'servers'): LogOrderSource {
  return async (root) => {
    const state = await repositoryState(root);
    if (!state.head) return undefined;
    const head = state.head.commit;
    const cached = state.shallow ? undefined : parseLogOrderCache((await store.load()) ?? '');
    if (cached && cached.head === head) return { positions: cached.positions, walk: 'cached' };
    let read: { positions: LogPositions; commits: number } | undefined;
    let walk: LogOrderRead['walk'] = 'full';
    if (cached && (await onFirstParentChain(root, cached.head, head))) {
      const text = await logAdded(root, `${cached.head}..${head}`, dir);
      if (text !== undefined) {
        read = parseFirstAddedCounted(text, cached.positions, cached.commits);
        walk = 'incremental';
      }
    }
    if (read === undefined) {
      const text = await logAdded(root, head, dir);
      if (text === undefined) return undefined;
      read = parseFirstAddedCounted(text);
      walk = 'full';
    }
    if (!state.shallow) await store.save(renderLogOrderCache(head, read.commits, read.positions));
    return { positions: read.positions, walk };
  };
}
