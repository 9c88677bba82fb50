/** The entries already in servers/, reduced to what registry-wide rules need (the file-system edge). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { RegistryFile } from '../validate/registry-rules.ts';
import { isRecord } from './legacy-seed.ts';

export async function readTreeIndex(root: string): Promise<RegistryFile[]> {
  const paths = (await fg('servers/*/*/*.json', { cwd: root, onlyFiles: true })).sort();
  const files: RegistryFile[] = [];
  for (const path of paths) {
    try {
      const value: unknown = JSON.parse((await readFile(join(root, path), 'utf8')).replace(/^\uFEFF/, ''));
      if (isRecord(value)) files.push({ path, value: { name: value.name, version: value.version, remotes: value.remotes } });
    } catch {
      // An unreadable file is validate's to report; it cannot conflict with anything here.
    }
  }
  return files;
}
