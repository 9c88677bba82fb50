/**
 * The tree the PR check's validate and verify read, in proportion to the change: the PR head's committed
 * registry/, the servers/ folders of the servers the PR touches (every version of each, with its signatures),
 * and the BASE branch's registry.config.yaml, so a PR cannot loosen the policy or point verify at its own
 * endpoints, nor plant caches or other untracked files for the checks to trust. The rest of servers/ is given to
 * the registry-wide rules as an index file (validate/registry-index.ts) made from git: the names, versions and
 * remote URLs of every file at the head, without writing or validating them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE } from '../config/registry-config.ts';
import { environmentError } from '../core/errors.ts';
import { renderRegistryIndex } from '../validate/registry-index.ts';
import { SERVERS_DIR } from '../validate/registry-rules.ts';
import type { ClassifiedFile } from './classify-changes.ts';
import { git, revision, showFile } from './git.ts';
import { serversIndex, type TreeEntry } from './tree-index.ts';

export interface CheckTree {
  /** The folder the checks run in. */
  dir: string;
  /** The index file to pass as `--registry-index`. */
  index: string;
  remove: () => Promise<void>;
}

/** `servers/<ns>/<name>/…` → `<ns>/<name>` lower-cased; undefined for a path not that deep. */
function serverKey(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length >= 4 && parts[0] === SERVERS_DIR ? `${parts[1]}/${parts[2]}`.toLowerCase() : undefined;
}

/**
 * Pure: the head paths to write. Every changed path under servers/ that exists at the head, and every file of each touched
 * server's folder (folder names matched case-insensitively, as lifecycle/status-store.ts reads them).
 */
export function pathsToExport(entries: readonly TreeEntry[], changed: readonly ClassifiedFile[], renamedFrom: readonly string[] = []): string[] {
  const touched = new Set<string>();
  const paths = new Set<string>();
  for (const file of changed) {
    for (const key of [serverKey(file.path), file.serverName?.toLowerCase()]) if (key !== undefined) touched.add(key);
    // Only servers/ (and all of registry/, exported apart): never a PR's config, workflows or anything else.
    if (file.path.startsWith(`${SERVERS_DIR}/`)) paths.add(file.path);
  }
  for (const path of renamedFrom) {
    const key = serverKey(path);
    if (key !== undefined) touched.add(key);
  }
  const wanted: string[] = [];
  for (const entry of entries) {
    const key = serverKey(entry.path);
    if (paths.has(entry.path) || (key !== undefined && touched.has(key))) wanted.push(entry.path);
  }
  return wanted.sort();
}

/** `git archive <rev> -- paths | tar -x -C dest`; paths are literal (no glob magic), and each must exist at `rev`. */
async function archive(repo: string, rev: string, paths: readonly string[], dest: string): Promise<void> {
  if (paths.length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const source = spawn('git', ['--literal-pathspecs', 'archive', '--format=tar', revision(rev), '--', ...paths], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    source.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    tar.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    source.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(environmentError(`${what} failed exporting ${paths.length} path(s) at ${rev}: ${stderr.trim() || `exit ${code}`}`));
      else if (--pending === 0) resolve();
    };
    source.on('error', reject);
    tar.on('error', reject);
    source.on('close', done('git archive'));
    tar.on('close', done('tar'));
  });
}

export async function prepareCheckTree(
  repo: string,
  base: string,
  head: string,
  changed: readonly ClassifiedFile[],
  renamedFrom: readonly string[] = [],
): Promise<CheckTree> {
  const dir = await mkdtemp(join(tmpdir(), 'mcp-registry-pr-'));
  const index = `${dir}.index.json`;
  const remove = async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(index, { force: true });
  };
  try {
    const { entries, files } = await serversIndex(repo, head);
    const top = new Set((await git(repo, ['ls-tree', '--name-only', '-z', revision(head)])).split('\0'));
    await archive(repo, head, [...(top.has('registry') ? ['registry'] : []), ...pathsToExport(entries, changed, renamedFrom)], dir);
    await writeFile(index, renderRegistryIndex(files));
    const config = await showFile(repo, base, CONFIG_FILE);
    if (config !== undefined) await writeFile(join(dir, CONFIG_FILE), config);
    return { dir, index, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
