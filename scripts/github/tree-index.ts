/**
 * The PR check's light read of servers/ at a commit, from git instead of the file system: one `git ls-tree` for
 * the paths, modes and blob ids, then the blobs through `git cat-file --batch` (a few processes, not one read per
 * file), each kept only as the facts the registry-wide rules need (validate/registry-index.ts). The listing follows
 * the rules of load/servers-tree.ts for an exported tree: every `.json` regular file, and every symbolic link of
 * any name (listed, never followed); a submodule or another file is not a version file.
 */
import { spawn } from 'node:child_process';
import { environmentError } from '../core/errors.ts';
import { registryFacts } from '../validate/registry-index.ts';
import type { RegistryFile } from '../validate/registry-rules.ts';
import { SERVERS_DIR } from '../validate/registry-rules.ts';
import { git, revision } from './git.ts';

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

/**
 * Streams the blobs of `oids` through one `git cat-file --batch` (one process keeps git's delta cache warm; a
 * process per batch costs several times more), handing each to `each` as it arrives, so memory holds one blob.
 */
function catFile(repo: string, oids: readonly string[], each: (oid: string, bytes: Buffer | undefined) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    let pending: Buffer = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let at = 0;
      for (;;) {
        const eol = pending.indexOf(10, at);
        if (eol === -1) break;
        const [oid = '', type, size] = pending.subarray(at, eol).toString('utf8').split(' ');
        if (type === 'missing' || size === undefined) {
          each(oid, undefined);
          at = eol + 1;
          continue;
        }
        const end = eol + 1 + Number(size);
        if (end + 1 > pending.length) break;
        each(oid, pending.subarray(eol + 1, end));
        at = end + 1;
      }
      pending = pending.subarray(at);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(environmentError(`git cat-file --batch failed in ${repo}: ${stderr.trim() || `exit ${code}`}`));
      else resolve();
    });
    child.stdin.end(oids.length === 0 ? '' : `${oids.join('\n')}\n`);
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
 * entries it was made from. Each blob is reduced to its facts as it streams in, so memory holds facts, not documents.
 */
export async function serversIndex(repo: string, rev: string): Promise<{ entries: TreeEntry[]; files: RegistryFile[] }> {
  const entries = await serversTreeEntries(repo, rev);
  const wanted = entries.filter((e) => e.mode === SYMLINK || (e.type === 'blob' && e.path.endsWith('.json')));
  const byOid = new Map<string, TreeEntry[]>();
  for (const entry of wanted) if (entry.mode !== SYMLINK) byOid.set(entry.oid, [...(byOid.get(entry.oid) ?? []), entry]);
  const files = indexFromEntries(
    wanted.filter((e) => e.mode === SYMLINK),
    new Map(),
  );
  await catFile(repo, blobsToRead(wanted), (oid, bytes) => {
    files.push(...indexFromEntries(byOid.get(oid) ?? [], bytes === undefined ? new Map() : new Map([[oid, bytes]])));
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, files };
}
