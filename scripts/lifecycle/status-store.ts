/** File-system edge for lifecycle state: find published versions, read and atomically write the status file. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentError } from '../core/errors.ts';
import { statePath } from '../core/registry-state.ts';
import { writeFileAtomically } from '../files/atomic-file.ts';

async function entriesOf(dir: string): Promise<{ name: string; isDir: boolean; isFile: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list.map((d) => ({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile() }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw environmentError(`cannot read ${dir}: ${(error as Error).message}`, error);
  }
}

/** Versions published for `serverName` under `<root>/servers/` (folder names matched case-insensitively), sorted. */
export async function publishedVersions(root: string, serverName: string): Promise<string[]> {
  const [namespace, name] = serverName.toLowerCase().split('/') as [string, string];
  const versions: string[] = [];
  for (const ns of await entriesOf(join(root, 'servers'))) {
    if (!ns.isDir || ns.name.toLowerCase() !== namespace) continue;
    for (const srv of await entriesOf(join(root, 'servers', ns.name))) {
      if (!srv.isDir || srv.name.toLowerCase() !== name) continue;
      for (const f of await entriesOf(join(root, 'servers', ns.name, srv.name))) {
        if (f.isFile && f.name.endsWith('.json')) versions.push(f.name.slice(0, -'.json'.length));
      }
    }
  }
  return versions.sort();
}

/** The status file's text, or undefined when the server has none yet. */
export async function readStatusText(root: string, serverName: string): Promise<string | undefined> {
  const file = join(root, statePath('status', serverName));
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw environmentError(`cannot read ${file}: ${(error as Error).message}`, error);
  }
}

export async function writeStatusText(root: string, serverName: string, text: string): Promise<string> {
  const relative = statePath('status', serverName);
  await writeFileAtomically(join(root, relative), text);
  return relative;
}
