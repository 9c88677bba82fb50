/**
 * The PR check's light read of servers/ at a commit, from git instead of the file system: one `git ls-tree` for
 * the paths, modes and blob ids, then the blobs through `git cat-file --batch` (a few processes, not one read per
 * file), each kept only as the facts the registry-wide rules need (validate/registry-index.ts). The listing follows
 * the rules of load/servers-tree.ts for an exported tree: every `.json` regular file, and every symbolic link of
 * any name (listed, never followed); a submodule or another file is not a version file.
 */
import { execFile } from 'node:child_process';
import { environmentError } from '../core/errors.ts';
import { registryFacts } from '../validate/registry-index.ts';
import type { RegistryFile } from '../validate/registry-rules.ts';
import { SERVERS_DIR } from '../validate/registry-rules.ts';
import { git, revision } from './git.ts';

/** Blobs asked of one `git cat-file --batch` process: bounds the memory one answer takes. */
const BATCH = 4000;
const SYMLINK = '120000';

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  /** POSIX, relative to the repository root. */
  path: string;
}

/** `<mode> SP <type> SP <oid> TAB <path>` records, NUL-terminated (`git ls-tree -r -z`). Pure. */
export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ') as [string, string, string];
    entries.push({ mode, type, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/** Every entry under servers/ at `rev` (recursive: files, links and submodules). */
export async function serversTreeEntries(repo: string, rev: string): Promise<TreeEntry[]> {
  return parseLsTree(await git(repo, ['ls-tree', '-r', '-z', '--full-tree', revision(rev), '--', `${SERVERS_DIR}/`]));
}

/** Blob bytes by oid, from one `git cat-file --batch` run over `oids`. */
function catFile(repo: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['cat-file', '--batch'],
      { cwd: repo, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => {
        if (error) {
          reject(environmentError(`git cat-file --batch failed in ${repo}: ${stderr.toString().trim() || error.message}`, error));
          return;
        }
        const out = new Map<string, Buffer>();
        let at = 0;
        while (at < stdout.length) {
          const eol = stdout.indexOf(10, at);
          if (eol === -1) break;
          const [oid = '', type, size] = stdout.subarray(at, eol).toString('utf8').split(' ');
          at = eol + 1;
          if (type === 'missing' || size === undefined) continue;
          const length = Number(size);
          out.set(oid, stdout.subarray(at, at + length));
          at += length + 1;
        }
        resolve(out);
      },
    );
    child.stdin?.end(`${oids.join('\n')}\n`);
  });
}

/**
 * Pure: what the registry-wide rules read of the listed files, given their blobs. A blob that does not decode
 * to a JSON object (or is missing) keeps only its path, as an unreadable file on disk does.
 */
export function indexFromEntries(entries: readonly TreeEntry[], blobs: ReadonlyMap<string, Buffer>): RegistryFile[] {
  const out: RegistryFile[] = [];
  for (const entry of entries) {
    if (entry.mode === SYMLINK) {
      out.push({ path: entry.path });
      continue;
    }
    if (entry.type !== 'blob' || !entry.path.endsWith('.json')) continue;
    const bytes = blobs.get(entry.oid);
    let value: unknown;
    try {
      value = bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      value = undefined;
    }
    out.push(registryFacts(entry.path, value));
  }
  return out;
}

/** The blobs `indexFromEntries` reads: regular `.json` files, each blob once. */
export function blobsToRead(entries: readonly TreeEntry[]): string[] {
  return [...new Set(entries.filter((e) => e.mode !== SYMLINK && e.type === 'blob' && e.path.endsWith('.json')).map((e) => e.oid))];
}

/**
 * servers/ at `rev` as the registry-wide rules read it (sorted by path, as a walk of the exported tree is), and the
 * entries it was made from. Blobs are read and dropped a batch at a time, so memory holds facts, not documents.
 */
export async function serversIndex(repo: string, rev: string): Promise<{ entries: TreeEntry[]; files: RegistryFile[] }> {
  const entries = await serversTreeEntries(repo, rev);
  const wanted = entries.filter((e) => e.mode === SYMLINK || (e.type === 'blob' && e.path.endsWith('.json')));
  const files: RegistryFile[] = [];
  for (let i = 0; i < wanted.length; i += BATCH) {
    const batch = wanted.slice(i, i + BATCH);
    files.push(...indexFromEntries(batch, await catFile(repo, blobsToRead(batch))));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, files };
}
