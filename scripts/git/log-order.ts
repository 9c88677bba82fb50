/**
 * Transparency-log order of the files under servers/: the position, in HEAD's first-parent
 * history (oldest first), of the commit that first added each file. A merged pull request
 * counts at its merge commit, so a file merged later lands later even when its branch commit
 * is older, and a later file never lands before an earlier one: the log stays append-only.
 * Files git does not know yet go last, in path order (see compareLogOrder).
 */
import { runGit } from './git-dates.ts';

const MARK = '\u0001commit ';

/** Pure: output of `git log --first-parent -m --reverse --diff-filter=A --format=<MARK>%H --name-only` → first position per path. */
export function parseFirstAdded(text: string): Map<string, number> {
  const positions = new Map<string, number>();
  let position = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith(MARK)) {
      position += 1;
      continue;
    }
    if (line === '' || position < 0 || positions.has(line)) continue;
    positions.set(line, position);
  }
  return positions;
}

/** Position of the first-parent commit that first added each path under `dir`; undefined outside git. */
export async function readFirstAdded(root: string, dir = 'servers'): Promise<Map<string, number> | undefined> {
  const text = await runGit(root, [
    'log',
    '--first-parent',
    '-m',
    '--reverse',
    '--diff-filter=A',
    '--no-renames',
    `--format=${MARK}%H`,
    '--name-only',
    'HEAD',
    '--',
    dir,
  ]);
  return text === undefined ? undefined : parseFirstAdded(text);
}

/** Pure: log order of two paths — known positions first, ascending; then unknown ones; ties by path. */
export function compareLogOrder(positions: ReadonlyMap<string, number>, a: string, b: string): number {
  const pa = positions.get(a) ?? Number.POSITIVE_INFINITY;
  const pb = positions.get(b) ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
