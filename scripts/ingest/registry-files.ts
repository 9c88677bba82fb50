/** Reading the registry's own files during an import or sync (the file-system edge). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The current text of a registry file (root-relative path); undefined when absent. */
export type ReadExisting = (path: string) => string | undefined;

export function treeReader(root: string): ReadExisting {
  return (path) => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}
