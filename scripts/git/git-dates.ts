/**
 * publishedAt / updatedAt of each file under servers/ from git history: the earliest and the
 * latest author date of the commits that touched the file (author dates survive rebases and
 * cherry-picks, so rebuilding after a rebase gives the same dates). `--full-history` makes the
 * set of commits exactly those reachable from HEAD that touch the file, so dates read from an
 * older head plus `<old>..HEAD` equal one walk over everything (the cache in date-cache.ts).
 *
 * Outside git, or for files git does not know yet, the file's modification time is used.
 * In a shallow clone the first commit may be missing, so publishedAt could come out late:
 * `shallow` is reported and the build warns (CI checks out with full history).
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileDates } from '../core/file-dates.ts';

export interface GitDates {
  /** Keyed by path relative to the registry root, POSIX separators. */
  dates: Map<string, FileDates>;
  /** False when `root` is not in a git work tree. */
  inGit: boolean;
  shallow: boolean;
  /** HEAD commit id and its commit date, when in git. */
  head?: { commit: string; date: string };
  /** How the dates were read: the whole history, a cached head plus the commits since, or the cache alone. */
  walk?: 'full' | 'incremental' | 'cached';
}

/** The small interface the build depends on; tests pass fixed dates instead. */
export interface DateSource {
  read(root: string, paths: readonly string[]): Promise<GitDates>;
}

/** First and last author time (seconds) of the commits touching each path. */
export type SecondsByPath = Map<string, [first: number, last: number]>;

export function runGit(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

const MARK = '\u0001commit ';

/** Pure: output of `git log --format=<MARK>%at --name-only`, in any order → first and last seconds per path. */
export function parseGitLogSeconds(text: string, into: SecondsByPath = new Map()): SecondsByPath {
  let when = Number.NaN;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      when = Number(line.slice(MARK.length));
      continue;
    }
    if (line === '' || Number.isNaN(when)) continue;
    const seen = into.get(line);
    if (seen === undefined) into.set(line, [when, when]);
    else {
      if (when < seen[0]) seen[0] = when;
      if (when > seen[1]) seen[1] = when;
    }
  }
  return into;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

export function toFileDates(seconds: SecondsByPath): Map<string, FileDates> {
  const dates = new Map<string, FileDates>();
  for (const [path, [first, last]] of seconds) dates.set(path, { publishedAt: isoSeconds(first), updatedAt: isoSeconds(last) });
  return dates;
}

/** Pure: one log pass → dates per path. */
export function parseGitLog(text: string): Map<string, FileDates> {
  return toFileDates(parseGitLogSeconds(text));
}

/** `git log` over `range` (a revision or `a..b`) of the files under servers/. */
export function logServers(root: string, range: string): Promise<string | undefined> {
  return runGit(root, [
    '-c',
    'core.quotePath=false',
    'log',
    '--full-history',
    `--format=${MARK}%at`,
    '--name-only',
    '--relative',
    '--no-renames',
    range,
    '--',
    'servers',
  ]);
}

// Synchronous on purpose: tens of thousands of awaited stats cost seconds, a plain loop a fraction.
function fileTime(root: string, path: string): FileDates | undefined {
  try {
    const s = statSync(join(root, path));
    const when = new Date(Math.floor(s.mtimeMs / 1000) * 1000).toISOString();
    return { publishedAt: when, updatedAt: when };
  } catch {
    return undefined;
  }
}

export interface RepositoryState {
  inGit: boolean;
  shallow: boolean;
  head?: { commit: string; date: string };
}

export async function repositoryState(root: string): Promise<RepositoryState> {
  const inside = await runGit(root, ['rev-parse', '--is-inside-work-tree']);
  if (inside?.trim() !== 'true') return { inGit: false, shallow: false };
  const [shallow, head] = await Promise.all([runGit(root, ['rev-parse', '--is-shallow-repository']), runGit(root, ['log', '-1', '--format=%H %ct'])]);
  const state: RepositoryState = { inGit: true, shallow: shallow?.trim() === 'true' };
  const [commit, seconds] = (head ?? '').trim().split(' ');
  if (commit && seconds) state.head = { commit, date: isoSeconds(Number(seconds)) };
  return state;
}

/** Files git does not know (new, uncommitted, or outside git) get their modification time. */
export function withFileTimes(root: string, paths: readonly string[], dates: Map<string, FileDates>): Map<string, FileDates> {
  for (const path of paths) {
    if (dates.has(path)) continue;
    const found = fileTime(root, path);
    if (found) dates.set(path, found);
  }
  return dates;
}

/** Reads the whole history on every call. */
export const gitDateSource: DateSource = {
  async read(root, paths) {
    const state = await repositoryState(root);
    const result: GitDates = { dates: new Map(), ...state };
    if (state.head) {
      const log = await logServers(root, 'HEAD');
      if (log !== undefined) result.dates = parseGitLog(log);
      result.walk = 'full';
    }
    withFileTimes(root, paths, result.dates);
    return result;
  },
};
