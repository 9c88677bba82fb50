/**
 * Parses `git diff --raw -z --no-abbrev` output into changed files. Pure: the git call lives in git.ts.
 * The raw format (rather than --name-status) keeps both file modes, so mode changes and symlinks show.
 */
import { err, ok, type Result } from '../core/result.ts';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed' | 'unmerged' | 'unknown';

export interface ChangedFile {
  status: ChangeStatus;
  /** The path after the change (for deletions: the deleted path). POSIX, relative to the repository root. */
  path: string;
  /** Renames and copies: the path before. */
  oldPath?: string;
  /** Octal git modes: 100644 file, 100755 executable, 120000 symlink, 160000 submodule, 000000 absent. */
  oldMode: string;
  newMode: string;
  /** Renames and copies: similarity 0-100. */
  similarity?: number;
}

const STATUS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
  U: 'unmerged',
  X: 'unknown',
};

export const SYMLINK_MODE = '120000';
export const SUBMODULE_MODE = '160000';

/** `:100644 100644 <sha> <sha> M\0path\0` records; R and C records carry two paths. */
export function parseRawDiff(output: string): Result<ChangedFile[]> {
  const fields = output.split('\0');
  if (fields.at(-1) === '') fields.pop();
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < fields.length) {
    const header = fields[i++] ?? '';
    const match = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([AMDRCTUX])(\d*)$/.exec(header);
    if (!match) return err(`unexpected git diff --raw record ${JSON.stringify(header.slice(0, 80))}`);
    const [, oldMode, newMode, letter, score] = match as unknown as [string, string, string, string, string];
    const status = STATUS[letter] ?? 'unknown';
    const twoPaths = letter === 'R' || letter === 'C';
    const first = fields[i++];
    const second = twoPaths ? fields[i++] : undefined;
    if (first === undefined || (twoPaths && second === undefined)) {
      return err('git diff --raw output ends in the middle of a record');
    }
    const file: ChangedFile = second !== undefined ? { status, path: second, oldPath: first, oldMode, newMode } : { status, path: first, oldMode, newMode };
    if (score !== '') file.similarity = Number(score);
    files.push(file);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ok(files);
}
