/**
 * The Astro configuration of the site, shared by the programmatic build (emit-site.ts) and by
 * site/astro.config.mjs (for `npx astro build --root site` while working on the pages).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../config/registry-config.ts';
import { assembleSiteData, basePathOf } from './site-data.ts';

export const SITE_DATA_MODULE = 'virtual:mcp-site-data';
const RESOLVED = `\0${SITE_DATA_MODULE}`;
export const SITE_ROOT = fileURLToPath(new URL('../../site/', import.meta.url));
/** Pages import the view-model code and the docs through these, so a copy of site/ builds the same. */
export const SITE_ALIASES = {
  '@registry': fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, ''),
  '@docs': fileURLToPath(new URL('../../docs', import.meta.url)),
};

/** What `npx astro build --root site` renders: an empty registry, as the build would assemble it. */
const EMPTY_SITE_DATA = assembleSiteData([], { ...DEFAULT_CONFIG, name: 'mcp-static-registry', baseUrl: 'http://127.0.0.1:4321' });

/** A Vite plugin answering `virtual:mcp-site-data` from a JSON file read at render time (not bundled). */
export function siteDataPlugin(dataFile: string | undefined) {
  return {
    name: 'mcp-site-data',
    resolveId(id: string) {
      return id === SITE_DATA_MODULE ? RESOLVED : undefined;
    },
    load(id: string) {
      if (id !== RESOLVED) return undefined;
      if (dataFile === undefined) return `export default ${JSON.stringify(EMPTY_SITE_DATA)};`;
      // The build may start Astro before the data exists (emit-site.ts): the file appears whole, by rename.
      return [
        `import { existsSync, readFileSync } from 'node:fs';`,
        `import { setTimeout } from 'node:timers/promises';`,
        `const file = ${JSON.stringify(dataFile)};`,
        'while (!existsSync(file)) await setTimeout(5);',
        `export default JSON.parse(readFileSync(file, 'utf8'));`,
      ].join('\n');
    },
  };
}

export interface SiteConfigOptions {
  /** The Astro project; SITE_ROOT unless a per-build copy of it. */
  root?: string;
  dataFile?: string;
  siteUrl: string;
  outDir?: string;
  /** Astro's and Vite's caches; a per-build temp folder keeps parallel builds apart. */
  cacheDir?: string;
}

/** The inline Astro config for the site. */
export function siteAstroConfig(options: SiteConfigOptions) {
  return {
    root: options.root ?? SITE_ROOT,
    site: options.siteUrl,
    base: basePathOf(options.siteUrl),
    output: 'static' as const,
    trailingSlash: 'always' as const,
    // Four pages in flight: a page's mkdir and write overlap the next page's render (measured at
    // 20,000 pages a run: wall 35-41 s -> 25 s, CPU unchanged; the pages do not depend on the order).
    build: { format: 'directory' as const, inlineStylesheets: 'never' as const, concurrency: 4 },
    ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    devToolbar: { enabled: false },
    // Highlighting would add inline style attributes, which the pages' CSP forbids.
    markdown: { syntaxHighlight: false as const },
    vite: {
      plugins: [siteDataPlugin(options.dataFile)],
      resolve: { alias: SITE_ALIASES },
      // Scripts stay external files so the pages' Content-Security-Policy can forbid inline script.
      build: { assetsInlineLimit: 0 },
      logLevel: 'warn' as const,
      ...(options.cacheDir !== undefined ? { cacheDir: join(options.cacheDir, 'vite') } : {}),
    },
  };
}
