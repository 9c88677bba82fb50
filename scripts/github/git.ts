/**
 * The thin git edge of the PR check: runs git without a shell (arguments are an array, so branch names and paths
 * with shell metacharacters are inert) and returns its output for the pure parsers.
 */
import { execFile, spawn } from 'node:child_process';
import { environmentError } from '../core/errors.ts';

const MAX_OUTPUT = 256 * 1024 * 1024;

function runGit(repo: string, args: readonly string[], encoding: 'utf8' | 'buffer'): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      { cwd: repo, maxBuffer: MAX_OUTPUT, encoding, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => {
        if (error) {
          reject(environmentError(`git ${args.join(' ')} failed in ${repo}: ${stderr.toString().trim() || error.message}`, error));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

export function git(repo: string, args: readonly string[]): Promise<string> {
  return runGit(repo, args, 'utf8') as Promise<string>;
}

/** Refuses revisions that git could read as options; everything else is passed through untouched. */
export function revision(rev: string): string {
  if (rev === '' || rev.startsWith('-')) throw environmentError(`not a git revision: ${JSON.stringify(rev)}`);
  return rev;
}

/** `git diff --raw -z` between the merge base of `base` and `head`, and `head` (what the PR changes). */
export async function diffRaw(repo: string, base: string, head: string, renames: boolean): Promise<string> {
  const mergeBase = (await git(repo, ['merge-base', revision(base), revision(head)])).trim();
  return git(repo, [
    'diff',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-ext-diff',
    '--no-textconv',
    renames ? '--find-renames' : '--no-renames',
    mergeBase,
    revision(head),
    '--',
  ]);
}

/** Paths of all files at `rev` under `prefix` (a folder). */
export async function listTree(repo: string, rev: string, prefix: string): Promise<string[]> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--name-only', revision(rev), '--', prefix]);
  return out.split('\0').filter((p) => p !== '');
}

/** Text of `path` at `rev`, or undefined when absent. */
export async function showFile(repo: string, rev: string, path: string): Promise<string | undefined> {
  return (await showBytes(repo, rev, path))?.toString('utf8');
}

/** Exact bytes of `path` at `rev` (hashes are taken over them), or undefined when absent. */
export async function showBytes(repo: string, rev: string, path: string): Promise<Buffer | undefined> {
  try {
    return (await runGit(repo, ['show', `${revision(rev)}:${path}`], 'buffer')) as Buffer;
  } catch {
    return undefined;
  }
}

/**
 * Writes the committed contents of `paths` at `rev` into `dest` (via `git archive | tar -x`): exactly what was
 * committed, without the working tree's untracked files. Paths missing at `rev` are skipped.
 */
export async function exportTree(repo: string, rev: string, paths: readonly string[], dest: string): Promise<void> {
  const top = new Set((await git(repo, ['ls-tree', '--name-only', '-z', revision(rev)])).split('\0'));
  const present = paths.filter((p) => top.has(p));
  if (present.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', revision(rev), '--', ...present], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    archive.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(environmentError(`${what} failed exporting ${present.join(', ')} at ${rev}: ${stderr.trim() || `exit ${code}`}`));
      else if (--pending === 0) resolve();
    };
    archive.on('error', reject);
    tar.on('error', reject);
    archive.on('close', done('git archive'));
    tar.on('close', done('tar'));
  });
}
