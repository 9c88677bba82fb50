/**
 * The site's source stamp: a digest of everything besides the data that decides how a page
 * renders. A page cached under another stamp is never reused.
 *
 * It covers what Astro actually runs and nothing else, so that a change elsewhere in scripts/
 * keeps every cached page: the Astro project's src/ and public/, every file the code below src/
 * imports (followed transitively through relative specifiers and the `@registry`/`@docs` aliases,
 * into scripts/ and docs/), the code that configures and starts the Astro build (with its imports),
 * the code that cuts the data Astro reads (site-pages.ts, site-batches.ts), the lock file and the
 * installed Astro and Vite. Package imports are covered by the lock file. What the main process
 * computes the data with needs no stamp: each page's key digests the data the page reads.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_ALIASES } from './astro-config.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const STAMP_FORMAT = 'site-stamp 2';

/** Files whose imports are followed (others, such as .md or .css, count by their bytes only). */
const CODE = /\.(?:ts|mts|js|mjs|astro)$/;

/** Where the stamp looks: the repository, the aliases the pages import through, the code that runs Astro. */
export interface StampSources {
  repo: string;
  aliases: Readonly<Record<string, string>>;
  /** Files besides the project's own that run in the Astro build (their imports are followed too). */
  entries: readonly string[];
  /** Files that count by their bytes only (absent ones count as absent). */
  fixed: readonly string[];
}

export const SITE_SOURCES: StampSources = {
  repo: REPO,
  aliases: SITE_ALIASES,
  entries: ['astro-config.ts', 'astro-build-process.ts', 'site-pages.ts', 'site-batches.ts'].map((file) => join(HERE, file)),
  fixed: [join(REPO, 'package-lock.json'), join(REPO, 'node_modules', 'astro', 'package.json'), join(REPO, 'node_modules', 'vite', 'package.json')],
};

/** Pure: the module specifiers a source file names (static and dynamic imports, re-exports). */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g)) found.push(match[2] as string);
  return found;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The file a specifier names (relative or through an alias), or undefined for a package's. */
function resolveSpecifier(specifier: string, from: string, aliases: Readonly<Record<string, string>>): string | undefined {
  const bare = specifier.replace(/[?#].*$/, '');
  let path: string | undefined;
  if (bare.startsWith('./') || bare.startsWith('../')) path = resolve(dirname(from), bare);
  else {
    for (const [alias, target] of Object.entries(aliases)) if (bare === alias || bare.startsWith(`${alias}/`)) path = target + bare.slice(alias.length);
  }
  if (path === undefined) return undefined;
  if (isFile(path)) return path;
  for (const candidate of [path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')]) if (isFile(candidate)) return candidate;
  // Absent: its absence is part of the stamp.
  return path;
}

async function filesBelow(path: string): Promise<string[]> {
  try {
    const found = await readdir(path, { recursive: true, withFileTypes: true });
    return found.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Every file the stamp covers, by name (`site/…` below `siteRoot`, else relative to the
 * repository), sorted: the project's src/ and public/ and all they and the entries import.
 */
export async function siteSources(siteRoot: string, sources: StampSources = SITE_SOURCES): Promise<Map<string, string>> {
  const named = new Map<string, string>();
  const nameOf = (file: string) => {
    const inSite = relative(siteRoot, file);
    const name = !inSite.startsWith('..') && !inSite.startsWith(sep) ? `site/${inSite}` : relative(sources.repo, file);
    return name.split(sep).join('/');
  };
  const queue: string[] = [];
  const add = (file: string) => {
    const name = nameOf(file);
    if (named.has(name)) return;
    named.set(name, file);
    if (CODE.test(file)) queue.push(file);
  };
  for (const part of ['src', 'public']) for (const file of await filesBelow(join(siteRoot, part))) add(file);
  for (const file of sources.entries) add(file);
  for (const file of sources.fixed) named.set(nameOf(file), file);
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (!existsSync(file)) continue;
    for (const specifier of importSpecifiers(await readFile(file, 'utf8'))) {
      const target = resolveSpecifier(specifier, file, sources.aliases);
      if (target !== undefined) add(target);
    }
  }
  return new Map([...named].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Digest of the site's sources below `siteRoot` and of the repository files the Astro build runs. */
export async function siteStamp(siteRoot: string, sources: StampSources = SITE_SOURCES): Promise<string> {
  const hash = createHash('sha256').update(`${STAMP_FORMAT}\0`);
  for (const [name, file] of await siteSources(siteRoot, sources)) {
    const bytes = await readFile(file).catch(() => undefined);
    hash.update(`${name}\0${bytes === undefined ? 'absent' : bytes.length}\0`);
    if (bytes !== undefined) hash.update(bytes);
  }
  return hash.digest('base64url');
}
