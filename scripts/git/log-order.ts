/**
 * Transparency-log order of the files under servers/: the position, in HEAD's first-parent
 * history (oldest first), of the commit that first added each file. A merged pull request
 * counts at its merge commit, so a file merged later lands later even when its branch commit
 * is older, and a later file never lands before an earlier one: the log stays append-only.
 * Files git does not know yet go last, in path order (see compareLogOrder). A position is the
 * commit's index in the first-parent chain (0 = the root commit), so status changes read from
 * registry/status/ (readStatusHistory) share the clock.
 *
 * The positions are cached like the git dates (date-cache.ts): keyed by the HEAD they were read
 * at, with the length of its first-parent chain, so the next build reads only `<cached head>..HEAD`
 * and numbers its commits on from there. The cache is used only when the cached head is on
 * HEAD's first-parent chain (else a walk of the new range would not number commits as a full
 * walk does); a shallow clone neither reads nor writes it.
 */
import { spawn } from 'node:child_process';
import type { CacheStore } from './date-cache.ts';
import { repositoryState, runGit } from './git-dates.ts';

const MARK = '\u0001commit ';
const FORMAT = 'log-order/2';

/** Path → position of the first-parent commit that first added it. */
export type LogPositions = Map<string, number>;

/**
 * Pure: `git log` output as readFirstAdded asks for it → first position per path. With `chain`
 * (commit → first-parent index) a commit's position is its index; without it, commits are
 * counted in the order they come.
 */
export function parseFirstAddedAt(text: string, chain?: ReadonlyMap<string, number>, into: LogPositions = new Map()): LogPositions {
  let position = -1;
  let count = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      count += 1;
      position = chain === undefined ? count : (chain.get(line.slice(MARK.length).trim()) ?? -1);
      continue;
    }
    if (line === '' || position < 0 || into.has(line)) continue;
    into.set(line, position);
  }
  return into;
}

/** Pure: output of `git log --first-parent -m --reverse --diff-filter=A --format=<MARK>%H --name-only` → first position per path. */
export function parseFirstAdded(text: string): LogPositions {
  return parseFirstAddedAt(text);
}

/** Commit → index in HEAD's first-parent chain, for the commits of `range` (`HEAD`, or `<old>..HEAD` numbered from `offset`). */
export async function readChain(root: string, range: string, offset = 0): Promise<Map<string, number> | undefined> {
  const text = await runGit(root, ['rev-list', '--first-parent', '--reverse', range]);
  if (text === undefined) return undefined;
  const chain = new Map<string, number>();
  for (const line of text.split('\n')) if (line !== '') chain.set(line, offset + chain.size);
  return chain;
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
  const [text, chain] = await Promise.all([logAdded(root, 'HEAD', dir), readChain(root, 'HEAD')]);
  return text === undefined || chain === undefined ? undefined : parseFirstAddedAt(text, chain);
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
  /** Length of `head`'s first-parent chain: the next commit's position. */
  commits: number;
  positions: Record<string, number>;
  /** The status history up to `head` (StatusChange, oldest first). */
  status: StatusChange[];
}

function isStatusChange(c: unknown, commits: number): c is StatusChange {
  if (typeof c !== 'object' || c === null) return false;
  const x = c as Partial<StatusChange>;
  return (
    Number.isSafeInteger(x.position) &&
    (x.position as number) >= 0 &&
    (x.position as number) < commits &&
    typeof x.at === 'string' &&
    typeof x.path === 'string' &&
    (x.text === undefined || typeof x.text === 'string')
  );
}

/** Pure: the cache text → its head, commit count, positions and status history, or undefined when it is not a cache of this format. */
export function parseLogOrderCache(text: string): { head: string; commits: number; positions: LogPositions; status: StatusChange[] } | undefined {
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
  const status = file.status;
  if (!Array.isArray(status) || !status.every((c) => isStatusChange(c, file.commits as number))) return undefined;
  return { head: file.head, commits: file.commits as number, positions, status };
}

/** Pure, deterministic: sorted paths, the status history in its order. */
export function renderLogOrderCache(head: string, commits: number, positions: ReadonlyMap<string, number>, status: readonly StatusChange[] = []): string {
  const body: Record<string, number> = {};
  for (const path of [...positions.keys()].sort()) body[path] = positions.get(path) as number;
  return `${JSON.stringify({ format: FORMAT, head, commits, positions: body, status })}\n`;
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
  /** Every committed change of a file under registry/status/, oldest first (readStatusHistory). */
  statusChanges: StatusChange[];
}

/** How the build reads log order; tests pass a fixed one. */
export type LogOrderSource = (root: string) => Promise<LogOrderRead | undefined>;

/** Reads the whole first-parent history on every call. */
export const gitLogOrderSource: LogOrderSource = async (root) => {
  const positions = await readFirstAdded(root);
  if (positions === undefined) return undefined;
  return { positions, walk: 'full', statusChanges: (await readStatusHistory(root)) ?? [] };
};

/** Log order read through a cache: only the first-parent commits since the cached head are walked (for the added files and for the status history). */
export function cachedLogOrderSource(store: CacheStore, dir = 'servers'): LogOrderSource {
  return async (root) => {
    const state = await repositoryState(root);
    if (!state.head) return undefined;
    const head = state.head.commit;
    const cached = state.shallow ? undefined : parseLogOrderCache((await store.load()) ?? '');
    if (cached && cached.head === head) return { positions: cached.positions, walk: 'cached', statusChanges: cached.status };
    let read: { positions: LogPositions; commits: number; status: StatusChange[] } | undefined;
    let walk: LogOrderRead['walk'] = 'full';
    if (cached && (await onFirstParentChain(root, cached.head, head))) {
      const range = `${cached.head}..${head}`;
      const chain = await readChain(root, range, cached.commits);
      const [text, status] = chain === undefined ? [] : await Promise.all([logAdded(root, range, dir), readStatusHistory(root, undefined, range, chain)]);
      if (text !== undefined && chain !== undefined && status !== undefined) {
        read = {
          positions: parseFirstAddedAt(text, chain, cached.positions),
          commits: cached.commits + chain.size,
          status: [...cached.status, ...status],
        };
        walk = 'incremental';
      }
    }
    if (read === undefined) {
      const chain = await readChain(root, head);
      const [text, status] = chain === undefined ? [] : await Promise.all([logAdded(root, head, dir), readStatusHistory(root, undefined, head, chain)]);
      if (text === undefined || chain === undefined) return undefined;
      read = { positions: parseFirstAddedAt(text, chain), commits: chain.size, status: status ?? [] };
      walk = 'full';
    }
    if (!state.shallow) await store.save(renderLogOrderCache(head, read.commits, read.positions, read.status));
    return { positions: read.positions, walk, statusChanges: read.status };
  };
}

/** One committed version of a status file: where in the chain, when, and its text (undefined: the commit removed it). */
export interface StatusChange {
  position: number;
  /** The commit's author time, RFC 3339 (for a change whose file names no statusChangedAt). */
  at: string;
  /** Relative to the registry root: registry/status/<namespace>/<server>.yaml. */
  path: string;
  text: string | undefined;
}

/** Pure: `git log --format=<MARK>%H %at --name-status` of registry/status → (commit, time, path, removed) in log order. */
export function parseStatusLog(text: string): { commit: string; seconds: number; path: string; removed: boolean }[] {
  const out: { commit: string; seconds: number; path: string; removed: boolean }[] = [];
  let commit = '';
  let seconds = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      const [hash, time] = line.slice(MARK.length).trim().split(' ');
      commit = hash ?? '';
      seconds = Number(time);
      continue;
    }
    const tab = line.indexOf('\t');
    if (commit === '' || tab < 0) continue;
    out.push({ commit, seconds, path: line.slice(tab + 1), removed: line.startsWith('D') });
  }
  return out;
}

/** `git cat-file --batch` over `<commit>:<path>` specs: the text of each, undefined where missing. */
function catFiles(root: string, specs: readonly string[]): Promise<(string | undefined)[] | undefined> {
  if (specs.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      const all = Buffer.concat(chunks);
      const texts: (string | undefined)[] = [];
      let at = 0;
      for (let i = 0; i < specs.length; i++) {
        const eol = all.indexOf(0x0a, at);
        if (eol < 0) return resolve(undefined);
        const header = all.subarray(at, eol).toString('utf8').split(' ');
        at = eol + 1;
        if (header[1] !== 'blob') {
          texts.push(undefined);
          continue;
        }
        const size = Number(header[2]);
        texts.push(all.subarray(at, at + size).toString('utf8'));
        at += size + 1;
      }
      resolve(texts);
    });
    child.stdin.end(`${specs.join('\n')}\n`);
  });
}

/**
 * Every committed version of each file under `dir` (registry/status) along HEAD's first-parent
 * chain (or the commits of `range`, numbered by `chain`), oldest first.
 */
export async function readStatusHistory(
  root: string,
  dir = 'registry/status',
  range = 'HEAD',
  knownChain?: ReadonlyMap<string, number>,
): Promise<StatusChange[] | undefined> {
  const [text, chain] = await Promise.all([
    runGit(root, [
      '-c',
      'core.quotePath=false',
      'log',
      '--first-parent',
      '-m',
      '--reverse',
      '--no-renames',
      '--relative',
      `--format=${MARK}%H %at`,
      '--name-status',
      range,
      '--',
      dir,
    ]),
    knownChain ?? readChain(root, range),
  ]);
  if (text === undefined || chain === undefined) return undefined;
  const changes = parseStatusLog(text).filter((c) => chain.has(c.commit));
  const texts = await catFiles(
    root,
    changes.filter((c) => !c.removed).map((c) => `${c.commit}:./${c.path}`),
  );
  if (texts === undefined) return undefined;
  let next = 0;
  return changes.map((c) => ({
    position: chain.get(c.commit) as number,
    at: new Date(c.seconds * 1000).toISOString(),
    path: c.path,
    text: c.removed ? undefined : texts[next++],
  }));
}
