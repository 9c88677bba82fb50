/**
 * The file-system edge for the build: every README file under registry/readmes/, checked, by
 * lower-cased server name. A file that fails the check is left out with a warning, never
 * failing a whole build.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { fileReport } from '../core/diagnostics.ts';
import type { FileReport } from '../core/diagnostics.ts';
import { parseReadmeFile, READMES_DIR } from './readme-file.ts';
import type { ReadmeFile } from './readme-file.ts';

export interface ReadmeState {
  readmes: Map<string, ReadmeFile>;
  reports: FileReport[];
}

export async function readReadmes(root: string): Promise<ReadmeState> {
  const state: ReadmeState = { readmes: new Map(), reports: [] };
  const files = (await fg(`${READMES_DIR}/*/*.json`, { cwd: root, onlyFiles: true, followSymbolicLinks: false })).sort();
  for (const path of files) {
    const parsed = parseReadmeFile(await readFile(join(root, path), 'utf8'), path);
    if (parsed.value) state.readmes.set(parsed.value.name.toLowerCase(), parsed.value);
    else state.reports.push(fileReport(path, parsed.diagnostics));
  }
  return state;
}
