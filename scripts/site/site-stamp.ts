/**
 * The site's source stamp: a digest of everything besides the data that decides how a page
 * renders. A page cached under another stamp is never reused.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Besides the Astro project (`siteRoot`: src/ and public/): scripts/ (the pages import the view-model
 * code below it), the guide the publish page renders, the lock file and the installed Astro and Vite.
 */
function repoParts(): string[] {
  return [
    join(REPO, 'scripts'),
    join(REPO, 'docs', 'publish-your-server.md'),
    join(REPO, 'package-lock.json'),
    join(REPO, 'node_modules', 'astro', 'package.json'),
    join(REPO, 'node_modules', 'vite', 'package.json'),
  ];
}

async function filesOf(path: string): Promise<string[]> {
  try {
    const found = await readdir(path, { recursive: true, withFileTypes: true });
    return found.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  } catch (error) {
    // A file, not a folder (or absent: its absence is part of the stamp too).
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR' || (error as NodeJS.ErrnoException).code === 'ENOENT') return [path];
    throw error;
  }
}

/** Digest of the site's sources below `siteRoot` and of the repository parts the pages read. */
export async function siteStamp(siteRoot: string): Promise<string> {
  const hash = createHash('sha256').update('site-stamp 1\0');
  const roots = [...['src', 'public'].map((part) => ({ base: siteRoot, path: join(siteRoot, part) })), ...repoParts().map((path) => ({ base: REPO, path }))];
  for (const { base, path } of roots) {
    const files = (await filesOf(path)).map((file) => ({ file, name: relative(base, file).split(sep).join('/') }));
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { file, name } of files) {
      const bytes = await readFile(file).catch(() => undefined);
      hash.update(`${name}\0${bytes === undefined ? 'absent' : bytes.length}\0`);
      if (bytes !== undefined) hash.update(bytes);
    }
  }
  return hash.digest('base64url');
}
