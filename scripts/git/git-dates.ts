/**
 * publishedAt / updatedAt of each file under servers/ from one `git log` pass: the first and
 * the last commit that touched the file, by author date (author dates survive rebases and
 * cherry-picks, so rebuilding after a rebase gives the same dates).
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
}

/** The small interface the build depends on; tests pass fixed dates instead. */
export interface DateSource {
  read(root: string, paths: readonly string[]): Promise<GitDates>;
}

function run(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 1 << 30, encoding: 'utf8' }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

const MARK = '\u0001commit ';

/** Pure: output of `git log --format=<MARK>%at --name-only` (newest first) → dates per path. */
export function parseGitLog(text: string): Map<string, FileDates> {
  const dates = new Map<string, FileDates>();
  let when = '';
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      when = new Date(Number(line.slice(MARK.length)) * 1000).toISOString();
      continue;
    }
    if (line === '' || when === '') continue;
    const seen = dates.get(line);
    // Newest first: the first sighting is the last change, later ones move publishedAt back.
    if (seen) seen.publishedAt = when;
    else dates.set(line, { publishedAt: when, updatedAt: when });
  }
  return dates;
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

export const gitDateSource: DateSource = {
  async read(root, paths) {
    const inside = await run(root, ['rev-parse', '--is-inside-work-tree']);
    const result: GitDates = { dates: new Map(), inGit: inside?.trim() === 'true', shallow: false };
    if (result.inGit) {
      const [log, shallow, head] = await Promise.all([
        run(root, ['-c', 'core.quotePath=false', 'log', `--format=${MARK}%at`, '--name-only', '--relative', '--no-renames', '--', 'servers']),
        run(root, ['rev-parse', '--is-shallow-repository']),
        run(root, ['log', '-1', '--format=%H %ct']),
      ]);
      if (log !== undefined) result.dates = parseGitLog(log);
      result.shallow = shallow?.trim() === 'true';
      const [commit, seconds] = (head ?? '').trim().split(' ');
      if (commit && seconds) result.head = { commit, date: new Date(Number(seconds) * 1000).toISOString() };
    }
    for (const path of paths) {
      if (result.dates.has(path)) continue;
      const dates = fileTime(root, path);
      if (dates) result.dates.set(path, dates);
    }
    return result;
  },
};
