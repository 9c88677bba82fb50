/** File-system edge for lifecycle state: find published versions, read and atomically write the status file. */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { environmentError } from '../core/errors.ts';
import { statePath } from '../core/registry-state.ts';

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

/** Writes to a temp file beside the target, then renames it over: readers never see half a file. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw environmentError(`cannot write ${file}: ${(error as Error).message}`, error);
  }
}

export async function writeStatusText(root: string, serverName: string, text: string): Promise<string> {
  const relative = statePath('status', serverName);
  await writeAtomically(join(root, relative), text);
  return relative;
}
