/** File-system edge for rename records: read every `registry/renames/**.yaml`, write one atomically. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import { environmentError } from '../core/errors.ts';
import { STATE_DIR } from '../core/registry-state.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';
import { parseRenameFile, renamePath, serializeRenameFile, type RenameRecord } from '../state/rename-file.ts';

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() || d.isFile()).map((d) => d.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw environmentError(`cannot read ${dir}: ${(error as Error).message}`, error);
  }
}

export async function readRenameRecords(root: string): Promise<{ records: RenameRecord[]; problems: { path: string; diagnostic: Diagnostic }[] }> {
  const records: RenameRecord[] = [];
  const problems: { path: string; diagnostic: Diagnostic }[] = [];
  const base = join(root, STATE_DIR, 'renames');
  for (const ns of (await list(base)).sort()) {
    for (const file of (await list(join(base, ns))).sort()) {
      if (!file.endsWith('.yaml')) continue;
      const oldName = `${ns}/${file.slice(0, -'.yaml'.length)}`;
      const path = renamePath(oldName);
      const parsed = parseRenameFile(await readFile(join(root, path), 'utf8'), oldName);
      if (parsed.value) records.push(parsed.value);
      for (const d of parsed.diagnostics) problems.push({ path, diagnostic: d });
    }
  }
  return { records, problems };
}

export async function writeRenameRecord(root: string, record: RenameRecord): Promise<string> {
  const path = renamePath(record.from);
  await writeFileAtomically(join(root, path), serializeRenameFile(record));
  return path;
}
